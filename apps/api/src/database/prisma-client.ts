import { PrismaClient } from '../generated/prisma/client';
import { createDatabaseAdapter, type DatabaseAdapter, type DatabaseTarget } from './adapters';

export { PrismaClient };

export interface PrismaConnection {
  prisma: PrismaClient;
  /** The same database for the migrator (`applyMigrations(connection.adapter.migrations)`). */
  adapter: DatabaseAdapter;
  /** Disconnects Prisma, then closes the embedded database if there is one. */
  close(): Promise<void>;
}

/**
 * PrismaClient for the configured database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set,
 * otherwise the embedded PGlite database under DATA_DIR/pglite (`'memory'`: in RAM, for tests).
 */
export function createPrismaClient(target: DatabaseTarget): PrismaConnection {
  const adapter = createDatabaseAdapter(target);
  const prisma = new PrismaClient({ adapter: adapter.client });
  return {
    prisma,
    adapter,
    close: async () => {
      await prisma.$disconnect();
      await adapter.close();
    },
  };
}
