import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../config/config';
import { createDatabaseAdapter } from './adapters';
import { applyMigrations } from './migrator';
import { migratedPGlite } from './pglite-snapshots';
import { PrismaService } from './prisma.service';

export interface TestDatabase {
  /** A migrated, empty database. */
  prisma: PrismaService;
  /** Connection string of the per-file PostgreSQL database; undefined for in-memory PGlite. */
  url?: string;
  /** Disconnects and drops the database. */
  close(): Promise<void>;
}

/**
 * A fresh database for one test file: in-memory PGlite by default, or, when TEST_DATABASE_URL is set, a new
 * database `liftlab_test_<random>` on that PostgreSQL server, dropped again by close(). Either way every
 * migration has been applied by the migrator, exactly as at server start (PGlite databases are copied from a
 * migrated snapshot, see pglite-snapshots.ts).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = loadConfig().TEST_DATABASE_URL;
  if (!serverUrl) {
    const pglite = await migratedPGlite(undefined, (db) =>
      applyMigrations(createDatabaseAdapter({ pglite: db }).migrations),
    );
    const prisma = new PrismaService(createDatabaseAdapter({ pglite }), { migrateOnStart: false });
    return { prisma, close: () => prisma.close() };
  }

  const name = `liftlab_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabase(serverUrl, name);
  const prisma = new PrismaService(createDatabaseAdapter({ DATABASE_URL: url }), { migrateOnStart: false });
  const close = async () => {
    await prisma.close();
    await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  try {
    await applyMigrations(prisma.database.migrations);
  } catch (e) {
    await close();
    throw e;
  }
  return { prisma, url, close };
}

function withDatabase(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
