import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The schema and its migrations live at the repository root (prisma/); the generated client goes into
// apps/api/src/generated/prisma (see the generator block). Migrations are applied by our own offline
// migrator (`npm run db:migrate`), not by `prisma migrate`, so no datasource URL is required here.
const root = path.resolve(__dirname, '../..');

// `prisma generate|format|validate` only need the bundled wasm engines, yet the CLI still tries to download the
// native schema engine first, which fails offline. Pointing the variable at any existing file skips that download.
const offlineCommands = ['generate', 'format', 'validate'];
if (offlineCommands.includes(process.argv[2] ?? '') && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(root, 'prisma/schema.prisma');
}

export default defineConfig({
  schema: path.join(root, 'prisma/schema.prisma'),
  migrations: { path: path.join(root, 'prisma/migrations') },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
