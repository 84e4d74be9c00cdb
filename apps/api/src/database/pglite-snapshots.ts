import { PGlite } from '@electric-sql/pglite';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readMigrationsList } from './migration-files';

/**
 * Creating an in-memory PGlite database runs initdb inside WebAssembly, which takes seconds; loading a
 * dumped data directory takes a fraction of that. Tests and migration diffs need many throwaway databases, so
 * each kind is built once and kept as a snapshot: in this process, and in the OS temp directory for the next
 * process. Snapshot names carry a hash of everything that shapes them, so a changed migration or PGlite
 * version simply produces a new snapshot.
 */

const inProcess = new Map<string, Promise<Blob>>();

/** An empty in-memory database (as after initdb). */
export function blankPGlite(): Promise<PGlite> {
  return fromSnapshot('blank', async () => new PGlite());
}

/** An in-memory database with every migration in `migrationsDir` applied (including `_prisma_migrations`). */
export function migratedPGlite(
  migrationsDir: string | undefined,
  migrate: (db: PGlite) => Promise<unknown>,
): Promise<PGlite> {
  const list = readMigrationsList(migrationsDir);
  const hash = createHash('sha256');
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

async function fromSnapshot(kind: string, build: () => Promise<PGlite>): Promise<PGlite> {
  const key = `${kind}-${pgliteVersion()}`;
  let snapshot = inProcess.get(key);
  if (!snapshot) {
    snapshot = loadOrBuild(key, build);
    inProcess.set(key, snapshot);
    snapshot.catch(() => inProcess.delete(key));
  }
  const db = new PGlite({ loadDataDir: await snapshot });
  await db.waitReady;
  return db;
}

async function loadOrBuild(key: string, build: () => Promise<PGlite>): Promise<Blob> {
  const file = path.join(tmpdir(), `liftlab-pglite-${key}.tar`);
  if (existsSync(file)) {
    try {
      return new Blob([readFileSync(file)]);
    } catch {
      // Unreadable (e.g. removed meanwhile): rebuild below.
    }
  }
  const db = await build();
  try {
    const blob = await db.dumpDataDir('none');
    const tmp = `${file}.${randomBytes(4).toString('hex')}`;
    try {
      writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
      renameSync(tmp, file);
    } catch {
      rmSync(tmp, { force: true });
    }
    return blob;
  } finally {
    await db.close();
  }
}

let version: string | undefined;
function pgliteVersion(): string {
  if (version === undefined) {
    const pkg = JSON.parse(
      readFileSync(
        path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'),
        'utf8',
      ),
    ) as { version?: string };
    version = pkg.version ?? 'unknown';
  }
  return version;
}
