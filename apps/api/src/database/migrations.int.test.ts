import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryDatabaseAdapter } from './adapters';
import {
  applyMigrations,
  diffMigrationsToSchema,
  isEmptyScript,
  migrationNames,
  migrationStatus,
} from './migrator';
import { prismaPaths } from './paths';
import { withSchemaEngine } from './schema-engine';
import { createTestDatabase, type TestDatabase } from './test-database';

const NO_FILTER = { externalTables: [], externalEnums: [] };

/** SQL that would take the live database to schema.prisma (empty when they agree). */
async function diffDatabaseToSchema(db: TestDatabase): Promise<string> {
  const { schema } = prismaPaths();
  const files = [{ path: schema, content: readFileSync(schema, 'utf8') }];
  const out = await withSchemaEngine(db.prisma.database.migrations, (engine) =>
    engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(schema) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    }),
  );
  return out.stdout ?? '';
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('cover schema.prisma completely (no drift)', async () => {
    expect(migrationNames().length).toBeGreaterThan(0);
    const fromMigrations = await diffMigrationsToSchema();
    expect(isEmptyScript(fromMigrations), fromMigrations).toBe(true);
    const fromDatabase = await diffDatabaseToSchema(db);
    expect(isEmptyScript(fromDatabase), fromDatabase).toBe(true);
  });

  it('report the migrated test database as current', async () => {
    const status = await migrationStatus(db.prisma);
    expect(status).toEqual({ state: 'current', applied: migrationNames(), pending: [], failed: [] });
  });

  it('notice a database that differs from the schema', async () => {
    await db.prisma.$executeRawUnsafe('ALTER TABLE customers ADD COLUMN legacy_score integer');
    try {
      expect(await diffDatabaseToSchema(db)).toMatch(/DROP COLUMN "legacy_score"/);
    } finally {
      await db.prisma.$executeRawUnsafe('ALTER TABLE customers DROP COLUMN legacy_score');
    }
  });
});

describe('migrator on a scratch database', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'liftlab-migrations-'));
    cpSync(prismaPaths().migrations, dir, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies pending migrations once, then reports a failing one without recording it as applied', async () => {
    const db = await createMemoryDatabaseAdapter();
    try {
      const conn = await db.migrations.connect();
      const before = await migrationStatus(conn, dir);
      expect(before.state).toBe('pending');
      expect(before.pending).toEqual(migrationNames(dir));

      expect(await applyMigrations(db.migrations, { migrationsDir: dir })).toEqual(migrationNames(dir));
      expect(await applyMigrations(db.migrations, { migrationsDir: dir })).toEqual([]);
      expect((await migrationStatus(conn, dir)).state).toBe('current');

      const broken = '99991231235959_broken';
      mkdirSync(path.join(dir, broken));
      writeFileSync(path.join(dir, broken, 'migration.sql'), 'ALTER TABLE no_such_table ADD COLUMN x int;\n');
      await expect(applyMigrations(db.migrations, { migrationsDir: dir })).rejects.toThrow(/no_such_table/);
      const after = await migrationStatus(conn, dir);
      expect(after.state).toBe('pending');
      expect(after.pending).toEqual([broken]);
      expect(after.failed).toEqual([broken]);
      await conn.dispose();
    } finally {
      await db.close();
    }
  });
});
