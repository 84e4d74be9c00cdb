import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { blankPGlite } from './pglite-snapshots';

/** What the database layer needs from the configuration (a subset of AppConfig). */
export interface DatabaseConfig {
  /** PostgreSQL connection string. Unset → embedded PGlite. */
  DATABASE_URL?: string | undefined;
  /** Directory of local state; PGlite files live in `<DATA_DIR>/pglite`. Relative paths resolve from the cwd. */
  DATA_DIR?: string | undefined;
}

/**
 * Where the data lives: per DatabaseConfig, `memory` (an embedded database in RAM only, for tests), or an
 * already opened PGlite database.
 */
export type DatabaseTarget = DatabaseConfig | 'memory' | { pglite: PGlite; location?: string };

export type DatabaseProvider = 'postgresql' | 'pglite';

/**
 * One database, seen through the two driver-adapter factories Prisma needs: `client` for PrismaClient,
 * `migrations` for the schema engine (its connections are opened and closed per migrator run).
 */
export interface DatabaseAdapter {
  provider: DatabaseProvider;
  /** Where the data lives, without credentials: a PGlite directory, `memory`, or host/database. */
  location: string;
  client: SqlMigrationAwareDriverAdapterFactory;
  migrations: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

export function pgliteDirectory(config: DatabaseConfig): string {
  return path.resolve(process.cwd(), config.DATA_DIR ?? '.data', 'pglite');
}

export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'postgresql';
  }
}

export function createDatabaseAdapter(target: DatabaseTarget): DatabaseAdapter {
  if (target === 'memory') return pgliteAdapter(new PGlite(), 'memory');
  if ('pglite' in target) return pgliteAdapter(target.pglite, target.location ?? 'memory');
  if (target.DATABASE_URL) return postgresAdapter(target.DATABASE_URL);
  const dir = pgliteDirectory(target);
  mkdirSync(dir, { recursive: true });
  return pgliteAdapter(new PGlite(dir), dir);
}

/** Like `createDatabaseAdapter('memory')`, but starts from a cached empty database (much faster). */
export async function createMemoryDatabaseAdapter(): Promise<DatabaseAdapter> {
  return pgliteAdapter(await blankPGlite(), 'memory');
}

function postgresAdapter(url: string): DatabaseAdapter {
  return {
    provider: 'postgresql',
    location: describePostgresUrl(url),
    client: new PrismaPg({ connectionString: url }),
    migrations: new PgMigrationAdapterFactory(new PrismaPg({ connectionString: url, max: 1 })),
    // PrismaClient.$disconnect() ends the client's pool; the migrator disposes its own connections.
    close: async () => {},
  };
}

function pgliteAdapter(db: PGlite, location: string): DatabaseAdapter {
  return {
    provider: 'pglite',
    location,
    client: new PrismaPGlite(db),
    migrations: new PGliteMigrationAdapterFactory(db),
    close: async () => {
      if (!db.closed) await db.close();
    },
  };
}

/**
 * The schema engine runs each migration through `executeScript`. The PGlite adapter fires that script without
 * awaiting it, so a failing migration would be recorded as applied. This factory awaits the script and reports
 * its error the way the engine expects, and gives every shadow database its own in-memory PGlite that is
 * closed again when the engine lets go of it.
 */
export class PGliteMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = 'liftlab-pglite-migrations';

  constructor(private readonly db: PGlite) {}

  async connect(): Promise<SqlDriverAdapter> {
    return awaitingScripts(await new PrismaPGlite(this.db).connect(), this.db);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = await blankPGlite();
    return awaitingScripts(await new PrismaPGlite(shadow).connect(), shadow, () => shadow.close());
  }
}

function awaitingScripts(
  inner: SqlDriverAdapter,
  db: PGlite,
  release?: () => Promise<void>,
): SqlDriverAdapter {
  const connectionInfo = inner.getConnectionInfo?.bind(inner);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (q) => inner.queryRaw(q),
    executeRaw: (q) => inner.executeRaw(q),
    startTransaction: (level) => inner.startTransaction(level),
    ...(connectionInfo ? { getConnectionInfo: connectionInfo } : {}),
    executeScript: async (script) => {
      try {
        await db.exec(script);
      } catch (e) {
        throw toDriverError(e);
      }
    },
    dispose: async () => {
      await inner.dispose();
      if (release && !db.closed) await release();
    },
  };
}

/**
 * The schema engine reads PostgreSQL's catalogs, whose single-byte `"char"` columns (relkind, contype, ...)
 * @prisma/adapter-pg cannot type, so introspecting (diffing against a live database) fails. When a query hits
 * that, it is re-run with those columns cast to text and they are reported as characters, which is what the
 * engine expects. Only the migrator uses this; the application's client is the plain adapter.
 */
export class PgMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = 'liftlab-pg-migrations';

  constructor(private readonly inner: PrismaPg) {}

  async connect(): Promise<SqlDriverAdapter> {
    return withCatalogChars(await this.inner.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return withCatalogChars(await this.inner.connectToShadowDb());
  }
}

const PG_CHAR_OID = 18;

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

function withCatalogChars(inner: PgAdapter): SqlDriverAdapter {
  const connectionInfo = inner.getConnectionInfo.bind(inner);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    executeRaw: (q) => inner.executeRaw(q),
    executeScript: (script) => inner.executeScript(script),
    startTransaction: (level) => inner.startTransaction(level),
    getConnectionInfo: connectionInfo,
    dispose: () => inner.dispose(),
    queryRaw: async (q) => {
      try {
        return await inner.queryRaw(q);
      } catch (e) {
        if (!isUnsupportedChar(e)) throw e;
      }
      const sql = q.sql.trim().replace(/;\s*$/, '');
      const probe = await inner
        .underlyingDriver()
        .query({ text: `SELECT * FROM (${sql}) AS q LIMIT 0`, values: q.args, rowMode: 'array' });
      const fields = probe.fields;
      const aliases = fields.map((_, i) => `c${i}`).join(', ');
      const columns = fields
        .map(
          (f, i) => `c${i}${f.dataTypeID === PG_CHAR_OID ? '::text' : ''} AS "${f.name.replace(/"/g, '""')}"`,
        )
        .join(', ');
      const result = await inner.queryRaw({ ...q, sql: `SELECT ${columns} FROM (${sql}) AS q(${aliases})` });
      return {
        ...result,
        columnTypes: result.columnTypes.map((t, i) =>
          fields[i]?.dataTypeID === PG_CHAR_OID ? ColumnTypeEnum.Character : t,
        ),
      };
    },
  };
}

function isUnsupportedChar(e: unknown): boolean {
  if (!(e instanceof DriverAdapterError)) return false;
  const cause = e.cause as { kind?: string; type?: string };
  return cause.kind === 'UnsupportedNativeDataType' && cause.type === 'char';
}

function toDriverError(e: unknown): unknown {
  if (typeof e !== 'object' || e === null) return e;
  const err = e as {
    code?: unknown;
    message?: unknown;
    severity?: unknown;
    detail?: unknown;
    hint?: unknown;
  };
  if (typeof err.code !== 'string' || typeof err.message !== 'string') return e;
  return new DriverAdapterError({
    kind: 'postgres',
    code: err.code,
    severity: typeof err.severity === 'string' ? err.severity : 'ERROR',
    message: err.message,
    detail: typeof err.detail === 'string' ? err.detail : undefined,
    column: undefined,
    hint: typeof err.hint === 'string' ? err.hint : undefined,
  });
}
