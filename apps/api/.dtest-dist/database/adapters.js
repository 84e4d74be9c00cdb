"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.PgMigrationAdapterFactory = exports.PGliteMigrationAdapterFactory = void 0;
exports.pgliteDirectory = pgliteDirectory;
exports.describePostgresUrl = describePostgresUrl;
exports.createDatabaseAdapter = createDatabaseAdapter;
exports.createMemoryDatabaseAdapter = createMemoryDatabaseAdapter;
const pglite_1 = require("@electric-sql/pglite");
const adapter_pg_1 = require("@prisma/adapter-pg");
const driver_adapter_utils_1 = require("@prisma/driver-adapter-utils");
const node_fs_1 = require("node:fs");
const node_path_1 = __importDefault(require("node:path"));
const pglite_prisma_adapter_1 = require("pglite-prisma-adapter");
const pglite_snapshots_1 = require("./pglite-snapshots");
function pgliteDirectory(config) {
    return node_path_1.default.resolve(process.cwd(), config.DATA_DIR ?? '.data', 'pglite');
}
function describePostgresUrl(url) {
    try {
        const u = new URL(url);
        return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
    }
    catch {
        return 'postgresql';
    }
}
function createDatabaseAdapter(target) {
    if (target === 'memory')
        return pgliteAdapter(new pglite_1.PGlite(), 'memory');
    if ('pglite' in target)
        return pgliteAdapter(target.pglite, target.location ?? 'memory');
    if (target.DATABASE_URL)
        return postgresAdapter(target.DATABASE_URL);
    const dir = pgliteDirectory(target);
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    return pgliteAdapter(new pglite_1.PGlite(dir), dir);
}
/** Like `createDatabaseAdapter('memory')`, but starts from a cached empty database (much faster). */
async function createMemoryDatabaseAdapter() {
    return pgliteAdapter(await (0, pglite_snapshots_1.blankPGlite)(), 'memory');
}
function postgresAdapter(url) {
    return {
        provider: 'postgresql',
        location: describePostgresUrl(url),
        client: new adapter_pg_1.PrismaPg({ connectionString: url }),
        migrations: new PgMigrationAdapterFactory(new adapter_pg_1.PrismaPg({ connectionString: url, max: 1 })),
        // PrismaClient.$disconnect() ends the client's pool; the migrator disposes its own connections.
        close: async () => { },
    };
}
function pgliteAdapter(db, location) {
    return {
        provider: 'pglite',
        location,
        client: new pglite_prisma_adapter_1.PrismaPGlite(db),
        migrations: new PGliteMigrationAdapterFactory(db),
        close: async () => {
            if (!db.closed)
                await db.close();
        },
    };
}
/**
 * The schema engine runs each migration through `executeScript`. The PGlite adapter fires that script without
 * awaiting it, so a failing migration would be recorded as applied. This factory awaits the script and reports
 * its error the way the engine expects, and gives every shadow database its own in-memory PGlite that is
 * closed again when the engine lets go of it.
 */
class PGliteMigrationAdapterFactory {
    db;
    provider = 'postgres';
    adapterName = 'liftlab-pglite-migrations';
    constructor(db) {
        this.db = db;
    }
    async connect() {
        return awaitingScripts(await new pglite_prisma_adapter_1.PrismaPGlite(this.db).connect(), this.db);
    }
    async connectToShadowDb() {
        const shadow = await (0, pglite_snapshots_1.blankPGlite)();
        return awaitingScripts(await new pglite_prisma_adapter_1.PrismaPGlite(shadow).connect(), shadow, () => shadow.close());
    }
}
exports.PGliteMigrationAdapterFactory = PGliteMigrationAdapterFactory;
function awaitingScripts(inner, db, release) {
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
            }
            catch (e) {
                throw toDriverError(e);
            }
        },
        dispose: async () => {
            await inner.dispose();
            if (release && !db.closed)
                await release();
        },
    };
}
/**
 * The schema engine reads PostgreSQL's catalogs, whose single-byte `"char"` columns (relkind, contype, ...)
 * @prisma/adapter-pg cannot type, so introspecting (diffing against a live database) fails. When a query hits
 * that, it is re-run with those columns cast to text and they are reported as characters, which is what the
 * engine expects. Only the migrator uses this; the application's client is the plain adapter.
 */
class PgMigrationAdapterFactory {
    inner;
    provider = 'postgres';
    adapterName = 'liftlab-pg-migrations';
    constructor(inner) {
        this.inner = inner;
    }
    async connect() {
        return withCatalogChars(await this.inner.connect());
    }
    async connectToShadowDb() {
        return withCatalogChars(await this.inner.connectToShadowDb());
    }
}
exports.PgMigrationAdapterFactory = PgMigrationAdapterFactory;
const PG_CHAR_OID = 18;
function withCatalogChars(inner) {
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
            }
            catch (e) {
                if (!isUnsupportedChar(e))
                    throw e;
            }
            const sql = q.sql.trim().replace(/;\s*$/, '');
            const probe = await inner
                .underlyingDriver()
                .query({ text: `SELECT * FROM (${sql}) AS q LIMIT 0`, values: q.args, rowMode: 'array' });
            const fields = probe.fields;
            const aliases = fields.map((_, i) => `c${i}`).join(', ');
            const columns = fields
                .map((f, i) => `c${i}${f.dataTypeID === PG_CHAR_OID ? '::text' : ''} AS "${f.name.replace(/"/g, '""')}"`)
                .join(', ');
            const result = await inner.queryRaw({ ...q, sql: `SELECT ${columns} FROM (${sql}) AS q(${aliases})` });
            return {
                ...result,
                columnTypes: result.columnTypes.map((t, i) => fields[i]?.dataTypeID === PG_CHAR_OID ? driver_adapter_utils_1.ColumnTypeEnum.Character : t),
            };
        },
    };
}
function isUnsupportedChar(e) {
    if (!(e instanceof driver_adapter_utils_1.DriverAdapterError))
        return false;
    const cause = e.cause;
    return cause.kind === 'UnsupportedNativeDataType' && cause.type === 'char';
}
function toDriverError(e) {
    if (typeof e !== 'object' || e === null)
        return e;
    const err = e;
    if (typeof err.code !== 'string' || typeof err.message !== 'string')
        return e;
    return new driver_adapter_utils_1.DriverAdapterError({
        kind: 'postgres',
        code: err.code,
        severity: typeof err.severity === 'string' ? err.severity : 'ERROR',
        message: err.message,
        detail: typeof err.detail === 'string' ? err.detail : undefined,
        column: undefined,
        hint: typeof err.hint === 'string' ? err.hint : undefined,
    });
}
//# sourceMappingURL=adapters.js.map