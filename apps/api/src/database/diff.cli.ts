/**
 * `npm run db:diff -- --name <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
 * changes in prisma/schema.prisma that the existing migrations do not cover yet. Needs no database.
 */
import { parseArgs } from 'node:util';
import { createMigration } from './migrator';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { name: { type: 'string', short: 'n' } } });
  if (!values.name) {
    console.error('usage: npm run db:diff -- --name <migration_name>');
    process.exitCode = 2;
    return;
  }
  const created = await createMigration(values.name);
  if (created === null) console.log('schema.prisma matches the migrations; nothing to write.');
  else console.log(`wrote ${created.dir}/migration.sql`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
