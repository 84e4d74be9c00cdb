"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.blankPGlite = blankPGlite;
exports.migratedPGlite = migratedPGlite;
const pglite_1 = require("@electric-sql/pglite");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = __importDefault(require("node:path"));
const migration_files_1 = require("./migration-files");
/**
 * Creating an in-memory PGlite database runs initdb inside WebAssembly, which takes seconds; loading a
 * dumped data directory takes a fraction of that. Tests and migration diffs need many throwaway databases, so
 * each kind is built once and kept as a snapshot: in this process, and in the OS temp directory for the next
 * process. Snapshot names carry a hash of everything that shapes them, so a changed migration or PGlite
 * version simply produces a new snapshot.
 */
const inProcess = new Map();
/** An empty in-memory database (as after initdb). */
function blankPGlite() {
    return fromSnapshot('blank', async () => new pglite_1.PGlite());
}
/** An in-memory database with every migration in `migrationsDir` applied (including `_prisma_migrations`). */
function migratedPGlite(migrationsDir, migrate) {
    const list = (0, migration_files_1.readMigrationsList)(migrationsDir);
    const hash = (0, node_crypto_1.createHash)('sha256');
    for (const m of list.migrationDirectories) {
        hash.update(m.path).update('\0');
        hash.update(m.migrationFile.content.tag === 'ok' ? m.migrationFile.content.value : '').update('\0');
    }
    return fromSnapshot(`migrated-${hash.digest('hex').slice(0, 16)}`, async () => {
        const db = await blankPGlite();
        await migrate(db);
        return db;
    });
}
async function fromSnapshot(kind, build) {
    const key = `${kind}-${pgliteVersion()}`;
    let snapshot = inProcess.get(key);
    if (!snapshot) {
        snapshot = loadOrBuild(key, build);
        inProcess.set(key, snapshot);
        snapshot.catch(() => inProcess.delete(key));
    }
    const db = new pglite_1.PGlite({ loadDataDir: await snapshot });
    await db.waitReady;
    return db;
}
async function loadOrBuild(key, build) {
    const file = node_path_1.default.join((0, node_os_1.tmpdir)(), `liftlab-pglite-${key}.tar`);
    if ((0, node_fs_1.existsSync)(file)) {
        try {
            return new Blob([(0, node_fs_1.readFileSync)(file)]);
        }
        catch {
            // Unreadable (e.g. removed meanwhile): rebuild below.
        }
    }
    const db = await build();
    try {
        const blob = await db.dumpDataDir('none');
        const tmp = `${file}.${(0, node_crypto_1.randomBytes)(4).toString('hex')}`;
        try {
            (0, node_fs_1.writeFileSync)(tmp, Buffer.from(await blob.arrayBuffer()));
            (0, node_fs_1.renameSync)(tmp, file);
        }
        catch {
            (0, node_fs_1.rmSync)(tmp, { force: true });
        }
        return blob;
    }
    finally {
        await db.close();
    }
}
let version;
function pgliteVersion() {
    if (version === undefined) {
        const pkg = JSON.parse((0, node_fs_1.readFileSync)(node_path_1.default.join(node_path_1.default.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8'));
        version = pkg.version ?? 'unknown';
    }
    return version;
}
//# sourceMappingURL=pglite-snapshots.js.map