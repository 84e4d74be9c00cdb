"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.readMigrationsList = exports.migrationNames = void 0;
exports.applyMigrations = applyMigrations;
exports.diffMigrationsToSchema = diffMigrationsToSchema;
exports.isEmptyScript = isEmptyScript;
exports.createMigration = createMigration;
exports.migrationStatus = migrationStatus;
const node_fs_1 = require("node:fs");
const node_path_1 = __importDefault(require("node:path"));
const adapters_1 = require("./adapters");
const migration_files_1 = require("./migration-files");
Object.defineProperty(exports, "migrationNames", { enumerable: true, get: function () { return migration_files_1.migrationNames; } });
Object.defineProperty(exports, "readMigrationsList", { enumerable: true, get: function () { return migration_files_1.readMigrationsList; } });
const paths_1 = require("./paths");
const schema_engine_1 = require("./schema-engine");
/**
 * Offline migrations: the standard `prisma/migrations/<timestamp>_<name>/migration.sql` layout and the
 * `_prisma_migrations` bookkeeping table, driven by the WebAssembly schema engine instead of `prisma migrate`.
 */
const NO_FILTER = { externalTables: [], externalEnums: [] };
/** Applies every migration not yet recorded in `_prisma_migrations`; returns the names it applied. */
async function applyMigrations(factory, options = {}) {
    const migrationsList = (0, migration_files_1.readMigrationsList)(options.migrationsDir);
    const out = await (0, schema_engine_1.withSchemaEngine)(factory, (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTER }), options.onLog);
    return out.appliedMigrationNames;
}
/**
 * SQL that takes a database built from the migrations to the state described by schema.prisma. Runs the
 * migrations in a throwaway in-memory database, so no server is needed. Empty (after removing comments) when
 * the migrations are complete.
 */
async function diffMigrationsToSchema(options = {}) {
    const paths = (0, paths_1.prismaPaths)();
    const schemaPath = options.schemaPath ?? paths.schema;
    const migrationsList = (0, migration_files_1.readMigrationsList)(options.migrationsDir ?? paths.migrations);
    const scratch = await (0, adapters_1.createMemoryDatabaseAdapter)();
    try {
        const result = await (0, schema_engine_1.withSchemaEngine)(scratch.migrations, (engine) => engine.diff({
            from: migrationsList.migrationDirectories.length > 0
                ? { tag: 'migrations', ...migrationsList }
                : { tag: 'empty' },
            to: {
                tag: 'schemaDatamodel',
                files: [{ path: schemaPath, content: (0, node_fs_1.readFileSync)(schemaPath, 'utf8') }],
            },
            script: true,
            exitCode: null,
            filters: NO_FILTER,
        }), options.onLog);
        return result.stdout ?? '';
    }
    finally {
        await scratch.close();
    }
}
/** True when a migration script contains no statement (only comments and whitespace). */
function isEmptyScript(sql) {
    return (sql
        .split('\n')
        .map((line) => line.replace(/--.*$/, '').trim())
        .join('') === '');
}
/**
 * Writes `prisma/migrations/<UTC yyyymmddhhmmss>_<name>/migration.sql` with the changes schema.prisma has
 * beyond the existing migrations. Returns null (and writes nothing) when there is nothing to migrate.
 */
async function createMigration(name, options = {}) {
    if (!/^[a-z0-9][a-z0-9_]*$/.test(name)) {
        throw new Error(`migration name "${name}": use lowercase letters, digits and underscores`);
    }
    const migrationsDir = options.migrationsDir ?? (0, paths_1.prismaPaths)().migrations;
    const sql = await diffMigrationsToSchema({ ...options, migrationsDir });
    if (isEmptyScript(sql))
        return null;
    const stamp = (options.now ?? new Date()).toISOString().replace(/\D/g, '').slice(0, 14);
    const folder = `${stamp}_${name}`;
    if ((0, migration_files_1.migrationNames)(migrationsDir).some((existing) => existing >= folder)) {
        throw new Error(`migration ${folder} would not sort after the existing migrations`);
    }
    const dir = node_path_1.default.join(migrationsDir, folder);
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    (0, node_fs_1.writeFileSync)(node_path_1.default.join(dir, 'migration.sql'), sql.endsWith('\n') ? sql : sql + '\n');
    const lockPath = node_path_1.default.join(migrationsDir, migration_files_1.LOCKFILE);
    if (!(0, node_fs_1.existsSync)(lockPath))
        (0, node_fs_1.writeFileSync)(lockPath, migration_files_1.LOCKFILE_CONTENT);
    return { name: folder, dir, sql };
}
/** Compares the migrations on disk with `_prisma_migrations`; cheap enough for a health check. */
async function migrationStatus(db, migrationsDir = (0, paths_1.prismaPaths)().migrations) {
    const onDisk = (0, migration_files_1.migrationNames)(migrationsDir);
    const table = await rows(db, `SELECT to_regclass('_prisma_migrations')::text AS name`);
    const records = table[0]?.name == null
        ? []
        : await rows(db, `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
             FROM _prisma_migrations`);
    const applied = new Set();
    const failed = new Set();
    for (const r of records) {
        const name = String(r.migration_name);
        if (r.rolled_back === true)
            continue;
        if (r.finished === true)
            applied.add(name);
        else
            failed.add(name);
    }
    for (const name of applied)
        failed.delete(name);
    const pending = onDisk.filter((n) => !applied.has(n));
    return {
        state: pending.length === 0 ? 'current' : 'pending',
        applied: onDisk.filter((n) => applied.has(n)),
        pending,
        failed: [...failed].sort(),
    };
}
async function rows(db, sql) {
    if ('$queryRawUnsafe' in db)
        return db.$queryRawUnsafe(sql);
    const result = await db.queryRaw({ sql, args: [], argTypes: [] });
    return result.rows.map((row) => Object.fromEntries(result.columnNames.map((c, i) => [c, row[i]])));
}
//# sourceMappingURL=migrator.js.map