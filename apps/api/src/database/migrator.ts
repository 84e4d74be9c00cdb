import type { SqlMigrationAwareDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import type { SchemaFilter } from '@prisma/schema-engine-wasm' with { 'resolution-mode': 'import' };
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createMemoryDatabaseAdapter } from './adapters';
import { LOCKFILE, LOCKFILE_CONTENT, migrationNames, readMigrationsList } from './migration-files';
import { prismaPaths } from './paths';

export { migrationNames, readMigrationsList };
import { type EngineLog, withSchemaEngine } from './schema-engine';

/**
 * Offline migrations: the standard `prisma/migrations/<timestamp>_<name>/migration.sql` layout and the
 * `_prisma_migrations` bookkeeping table, driven by the WebAssembly schema engine instead of `prisma migrate`.
 */

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface MigratorOptions {
  migrationsDir?: string;
  schemaPath?: string;
  onLog?: (log: EngineLog) => void;
}

/** Applies every migration not yet recorded in `_prisma_migrations`; returns the names it applied. */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: MigratorOptions = {},
): Promise<string[]> {
  const migrationsList = readMigrationsList(options.migrationsDir);
  const out = await withSchemaEngine(
    factory,
    (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
    options.onLog,
  );
  return out.appliedMigrationNames;
}

/**
 * SQL that takes a database built from the migrations to the state described by schema.prisma. Runs the
 * migrations in a throwaway in-memory database, so no server is needed. Empty (after removing comments) when
 * the migrations are complete.
 */
export async function diffMigrationsToSchema(options: MigratorOptions = {}): Promise<string> {
  const paths = prismaPaths();
  const schemaPath = options.schemaPath ?? paths.schema;
  const migrationsList = readMigrationsList(options.migrationsDir ?? paths.migrations);
  const scratch = await createMemoryDatabaseAdapter();
  try {
    const result = await withSchemaEngine(
      scratch.migrations,
      (engine) =>
        engine.diff({
          from:
            migrationsList.migrationDirectories.length > 0
              ? { tag: 'migrations', ...migrationsList }
              : { tag: 'empty' },
          to: {
            tag: 'schemaDatamodel',
            files: [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }],
          },
          script: true,
          exitCode: null,
          filters: NO_FILTER,
        }),
      options.onLog,
    );
    return result.stdout ?? '';
  } finally {
    await scratch.close();
  }
}

/** True when a migration script contains no statement (only comments and whitespace). */
export function isEmptyScript(sql: string): boolean {
  return (
    sql
      .split('\n')
      .map((line) => line.replace(/--.*$/, '').trim())
      .join('') === ''
  );
}

export interface CreatedMigration {
  name: string;
  dir: string;
  sql: string;
}

/**
 * Writes `prisma/migrations/<UTC yyyymmddhhmmss>_<name>/migration.sql` with the changes schema.prisma has
 * beyond the existing migrations. Returns null (and writes nothing) when there is nothing to migrate.
 */
export async function createMigration(
  name: string,
  options: MigratorOptions & { now?: Date } = {},
): Promise<CreatedMigration | null> {
  if (!/^[a-z0-9][a-z0-9_]*$/.test(name)) {
    throw new Error(`migration name "${name}": use lowercase letters, digits and underscores`);
  }
  const migrationsDir = options.migrationsDir ?? prismaPaths().migrations;
  const sql = await diffMigrationsToSchema({ ...options, migrationsDir });
  if (isEmptyScript(sql)) return null;
  const stamp = (options.now ?? new Date()).toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name}`;
  if (migrationNames(migrationsDir).some((existing) => existing >= folder)) {
    throw new Error(`migration ${folder} would not sort after the existing migrations`);
  }
  const dir = path.join(migrationsDir, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'migration.sql'), sql.endsWith('\n') ? sql : sql + '\n');
  const lockPath = path.join(migrationsDir, LOCKFILE);
  if (!existsSync(lockPath)) writeFileSync(lockPath, LOCKFILE_CONTENT);
  return { name: folder, dir, sql };
}

/** Anything that can run a query: a PrismaClient or a driver adapter. */
export type Queryable = { $queryRawUnsafe<T = unknown>(sql: string): Promise<T> } | SqlQueryable;

export interface MigrationStatus {
  /** `current` when every migration on disk has been applied successfully. */
  state: 'current' | 'pending';
  applied: string[];
  pending: string[];
  /** Started but not finished (and not rolled back): needs an operator. */
  failed: string[];
}

/** Compares the migrations on disk with `_prisma_migrations`; cheap enough for a health check. */
export async function migrationStatus(
  db: Queryable,
  migrationsDir = prismaPaths().migrations,
): Promise<MigrationStatus> {
  const onDisk = migrationNames(migrationsDir);
  const table = await rows(db, `SELECT to_regclass('_prisma_migrations')::text AS name`);
  const records =
    table[0]?.name == null
      ? []
      : await rows(
          db,
          `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
             FROM _prisma_migrations`,
        );
  const applied = new Set<string>();
  const failed = new Set<string>();
  for (const r of records) {
    const name = String(r.migration_name);
    if (r.rolled_back === true) continue;
    if (r.finished === true) applied.add(name);
    else failed.add(name);
  }
  for (const name of applied) failed.delete(name);
  const pending = onDisk.filter((n) => !applied.has(n));
  return {
    state: pending.length === 0 ? 'current' : 'pending',
    applied: onDisk.filter((n) => applied.has(n)),
    pending,
    failed: [...failed].sort(),
  };
}

async function rows(db: Queryable, sql: string): Promise<Record<string, unknown>[]> {
  if ('$queryRawUnsafe' in db) return db.$queryRawUnsafe<Record<string, unknown>[]>(sql);
  const result = await db.queryRaw({ sql, args: [], argTypes: [] });
  return result.rows.map((row) => Object.fromEntries(result.columnNames.map((c, i) => [c, row[i]])));
}
