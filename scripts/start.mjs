#!/usr/bin/env node
// `npm start`: from a fresh checkout to a running Liftlab on one port.
//   1. installs dependencies when node_modules is missing
//   2. generates the database client and builds the packages, the api and the admin app (turbo, cached)
//   3. applies database migrations
//   4. seeds the demo workspace on the first run
//   5. starts the api, which also serves the admin app, and prints the address and the first-run login
// Settings come from the environment or a .env file at the repository root (see .env.example).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const envFile = join(root, '.env');
const nodeEnvArgs = existsSync(envFile) ? [`--env-file=${envFile}`] : [];

/** Settings this script itself needs, read the way the server reads them (process env, then .env). */
function setting(key, fallback) {
  if (process.env[key]) return process.env[key];
  if (existsSync(envFile)) {
    const line = readFileSync(envFile, 'utf8')
      .split(/\r?\n/)
      .find((l) => l.startsWith(`${key}=`));
    const value = line
      ?.slice(key.length + 1)
      .trim()
      .replace(/^["']|["']$/g, '');
    if (value) return value;
  }
  return fallback;
}

function step(title) {
  process.stdout.write(`\n▶ ${title}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    process.stderr.write(
      `\n✖ ${[command, ...args].join(' ')} failed (exit ${result.status ?? result.signal})\n`,
    );
    process.exit(result.status ?? 1);
  }
}

function hasRootScript(name) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Boolean(pkg.scripts?.[name]);
}

const dataDir = resolve(root, setting('DATA_DIR', '.data'));
const seededMarker = join(dataDir, 'seeded');
const loginFile = join(dataDir, 'first-run-login.txt');

// 1. dependencies
if (!existsSync(join(root, 'node_modules'))) {
  step('Installing dependencies (first run)');
  run(npm, ['install', '--no-fund', '--no-audit']);
}

// 2. build
step('Building (database client, packages, api, admin app)');
run(npm, ['run', 'generate', '-w', '@liftlab/api']);
run(npx, ['turbo', 'run', 'build', '--filter=@liftlab/api...', '--output-logs=errors-only']);
const admin = spawnSync(
  npx,
  ['turbo', 'run', 'build', '--filter=@liftlab/admin...', '--output-logs=errors-only'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (admin.status !== 0)
  process.stderr.write('\n! The admin app did not build; starting the API without it.\n');

const apiDist = join(root, 'apps', 'api', 'dist');
const node = process.execPath;

// 3. migrations (the api would also apply them at start; doing it first gives a clear error if it fails)
step('Migrating the database');
run(node, [...nodeEnvArgs, join(apiDist, 'database', 'migrate.cli.js')]);

// 4. demo data, once
if (!existsSync(seededMarker)) {
  const seedCli = join(apiDist, 'seed', 'seed.cli.js');
  if (existsSync(seedCli)) {
    step('Seeding the demo workspace (first run)');
    run(node, [...nodeEnvArgs, seedCli]);
  } else if (hasRootScript('db:seed')) {
    step('Seeding the demo workspace (first run)');
    run(npm, ['run', 'db:seed']);
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(seededMarker, `${new Date().toISOString()}\n`);
}

// 5. serve
step('Starting Liftlab');
const child = spawn(node, [...nodeEnvArgs, join(apiDist, 'main.js')], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));

const pretty = process.stdout.isTTY && setting('LOG_FORMAT', 'pretty') !== 'json';
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

createInterface({ input: child.stdout }).on('line', (line) => {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    process.stdout.write(`${line}\n`);
    return;
  }
  if (pretty) {
    const time = new Date(entry.time ?? Date.now()).toISOString().slice(11, 19);
    const where = entry.context ? ` [${entry.context}]` : '';
    const request = entry.req
      ? ` ${entry.req.method} ${entry.req.url} → ${entry.res?.statusCode} ${entry.responseTime}ms`
      : '';
    process.stdout.write(
      `${time} ${LEVELS[entry.level] ?? entry.level}${where} ${entry.msg ?? ''}${request}\n`,
    );
  } else {
    process.stdout.write(`${line}\n`);
  }
  if (typeof entry.msg === 'string' && entry.msg.startsWith('Liftlab is listening on ')) banner(entry.msg);
});

function banner(message) {
  const url = /listening on (\S+)/.exec(message)?.[1] ?? '';
  const lines = ['', `  Liftlab is running at ${url}`, `  API docs: ${url}/docs`];
  if (existsSync(loginFile)) {
    const login = readFileSync(loginFile, 'utf8');
    const email = /email: (\S+)/.exec(login)?.[1];
    const password = /password: (\S+)/.exec(login)?.[1];
    if (email && password) {
      lines.push(`  First-run login: ${email} / ${password}`);
      lines.push(`  (from ${loginFile}; change the password after signing in, then delete that file)`);
    }
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
}

child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 0 : 1));
});
