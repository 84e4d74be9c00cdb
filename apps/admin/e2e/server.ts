import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the real, built API (which also serves the built admin app) as a child process on a free port, against a
 * fresh embedded database in a temporary directory. Nothing is shared with a developer's own `.data/`.
 */

export const ADMIN_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const REPO_DIR = resolve(ADMIN_DIR, '..', '..');
const API_MAIN = join(REPO_DIR, 'apps', 'api', 'dist', 'main.js');
const ADMIN_DIST = join(ADMIN_DIR, 'dist');

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (exit ${String(result.status)})`);
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * `npm test` builds both before the tests run (turbo: test depends on build); a bare `npm run e2e` builds what is
 * missing, and rebuilds the app when its sources are newer than its build, so the journeys never test an old app.
 * A stale API build is only reported: the API belongs to its own package's build.
 */
export function ensureBuilt(): void {
  if (!existsSync(API_MAIN)) run('npm', ['run', 'build', '-w', '@liftlab/api'], REPO_DIR);
  else if (newestMtime(join(REPO_DIR, 'apps', 'api', 'src')) > statSync(API_MAIN).mtimeMs) {
    console.warn('apps/api/dist is older than apps/api/src: run `npm run build -w @liftlab/api` first.');
  }
  const index = join(ADMIN_DIST, 'index.html');
  const sources = Math.max(
    newestMtime(join(ADMIN_DIR, 'src')),
    statSync(join(ADMIN_DIR, 'index.html')).mtimeMs,
  );
  if (!existsSync(index) || sources > statSync(index).mtimeMs) run('npx', ['vite', 'build'], ADMIN_DIR);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface RunningApi {
  url: string;
  /** Everything the server printed, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export async function startApi(options: { adminEmail: string; adminPassword: string }): Promise<RunningApi> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'liftlab-e2e-'));
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    FIRST_ADMIN_EMAIL: options.adminEmail,
    FIRST_ADMIN_PASSWORD: options.adminPassword,
    ADMIN_DIST_DIR: ADMIN_DIST,
    LOG_LEVEL: 'warn',
  };
  // A fresh embedded database, never whatever server the developer's shell points at.
  delete env.DATABASE_URL;

  let output = '';
  const child: ChildProcess = spawn(process.execPath, [API_MAIN], { cwd: REPO_DIR, env, stdio: 'pipe' });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === null) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`the API exited with code ${String(exited)} before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not become healthy within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, logs: () => output, stop };
}
