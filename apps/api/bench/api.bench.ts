/**
 * `npm run bench -w @liftlab/api`: the api's throughput against its own floor and ceiling, on one machine, in
 * one run.
 *
 * 1. POST /v1/assign (10 customers x 2 running experiments per request, ingest API key) against POST
 *    /bench/bare, a route of the same server behind the same middleware that answers without the database:
 *    requests per second, p50 and p99 latency (autocannon, loopback, fixed duration).
 * 2. POST /v1/events (batches of 10 000) against a raw `COPY` of the same rows into the same `events` table of
 *    the same database: events per second.
 *
 * The server is the full application (createTestApp) in a child process on a fresh database: PostgreSQL at
 * BENCH_DATABASE_URL / TEST_DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres (a throwaway database
 * is created and dropped), or in-memory PGlite when no PostgreSQL answers. This process only generates load.
 *
 * Knobs (environment): BENCH_SECONDS (15), BENCH_CONNECTIONS (10), BENCH_CUSTOMERS (10000),
 * BENCH_ASSIGN_CUSTOMERS (10 per request), BENCH_EVENT_BATCHES (100; 10 on PGlite), BENCH_BATCH_SIZE (10000),
 * BENCH_INGEST_CONCURRENCY (2), BENCH_LOG_LEVEL (info, written to /dev/null).
 */
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { AssignResponse, CustomerBulkResult, EventIngestResult } from '@liftlab/contracts';
import type { Command, CopyResult, ParentMessage, ServerMessage, ServerReady } from './protocol';
import { BENCH_EXPERIMENTS, customerExternalId, eventBatch, type EventPlan } from './workload';

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Hard stop for the whole run, so a stuck server never leaves the bench hanging. */
const WATCHDOG_MS = 15 * 60_000;

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const line = (text: string) => process.stdout.write(`${text}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Database and server

/** The PostgreSQL server to use, or undefined (→ PGlite) when none answers within a few seconds. */
async function probePostgres(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

class BenchServer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly info: ServerReady,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (raw: unknown) => {
      const message = raw as ServerMessage;
      if (message.type === 'ready') return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'result') waiter?.resolve(message.value);
      else waiter?.reject(new Error(`bench server: ${message.message}`));
    });
    child.once('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`bench server exited (${code})`));
      this.pending.clear();
    });
  }

  /** Forks server.ts with the same loader as this process and waits until it listens. */
  static async start(databaseUrl: string | undefined): Promise<BenchServer> {
    const env = { ...process.env };
    if (databaseUrl) env.TEST_DATABASE_URL = databaseUrl;
    else delete env.TEST_DATABASE_URL;
    const child = fork(join(__dirname, 'server.ts'), [], {
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const info = await new Promise<ServerReady>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench server did not start within 120 s')), 120_000);
      child.on('message', (raw: unknown) => {
        const message = raw as ServerMessage;
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bench server exited during start-up (code ${code})`));
      });
    });
    return new BenchServer(child, info);
  }

  request<T>(command: Command): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.child.send({ ...command, id } satisfies ParentMessage);
    });
  }

  /** Closes the app and drops its database; kills the child if it does not finish in time. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.send({ id: 0, cmd: 'close' } satisfies ParentMessage);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Asks the child to drop its database and exit, without waiting. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP helpers

async function call<T>(
  server: ServerReady,
  method: string,
  path: string,
  auth: { key: string } | { cookie: string },
  body?: string,
): Promise<T> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...('key' in auth ? { authorization: `Bearer ${auth.key}` } : { cookie: auth.cookie }),
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Runs `tasks` with at most `concurrency` in flight. */
async function inParallel(
  concurrency: number,
  count: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
}

/** Fixed-duration load on one route, cycling through `bodies`; fails on any error or non-2xx answer. */
async function load(
  server: ServerReady,
  path: string,
  bodies: string[],
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: `${server.baseUrl}${path}`,
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.ingestKey}` },
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0)
    throw new Error(
      `${path}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`,
    );
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}

/** The bare route must pass the same Nest middleware as /v1/assign: the request-duration metric sees it. */
async function expectTimedByMiddleware(server: ServerReady, route: string): Promise<void> {
  const res = await fetch(`${server.baseUrl}/metrics`);
  const text = await res.text();
  if (!res.ok || !text.includes(`route="${route}"`))
    throw new Error(`${route} is missing from /metrics: it did not pass the app's middleware`);
}

// ---------------------------------------------------------------------------------------------------------------
// The measurements

async function setUp(server: ServerReady, customers: number): Promise<void> {
  const key = { key: server.ingestKey };
  for (let start = 0; start < customers; start += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, customers - start) }, (_, i) => ({
      externalId: customerExternalId(start + i),
      segment: (start + i) % 3 === 0 ? 'at_risk' : 'active',
      country: (start + i) % 2 === 0 ? 'DE' : 'FR',
    }));
    const result = await call<CustomerBulkResult>(
      server,
      'POST',
      '/v1/customers/bulk',
      key,
      JSON.stringify({ customers: batch }),
    );
    if (result.rejected.length > 0)
      throw new Error(`customers rejected: ${JSON.stringify(result.rejected[0])}`);
  }
  const admin = { cookie: server.adminCookie };
  for (const experiment of BENCH_EXPERIMENTS) {
    const created = await call<{ id: string }>(
      server,
      'POST',
      '/v1/experiments',
      admin,
      JSON.stringify(experiment),
    );
    await call(server, 'POST', `/v1/experiments/${created.id}/start`, admin, '{}');
  }
}

async function benchAssign(
  server: ServerReady,
  settings: { customers: number; perRequest: number; seconds: number; connections: number },
): Promise<void> {
  const keys = BENCH_EXPERIMENTS.map((e) => e.key);
  const bodies: string[] = [];
  for (let start = 0; start + settings.perRequest <= settings.customers; start += settings.perRequest) {
    const customers = Array.from({ length: settings.perRequest }, (_, i) => customerExternalId(start + i));
    bodies.push(JSON.stringify({ customers, experiments: keys }));
  }
  const pairs = settings.perRequest * keys.length;

  // First contact: every customer is assigned once (holdout decision and assignments stored). This is also the
  // warm-up; the timed runs below then see the steady state, where every assignment is a sticky read.
  const started = process.hrtime.bigint();
  await inParallel(settings.connections, bodies.length, async (i) => {
    const res = await call<AssignResponse>(
      server,
      'POST',
      '/v1/assign',
      { key: server.ingestKey },
      bodies[i],
    );
    if (res.assignments.length !== pairs || res.assignments.some((a) => !a.inExperiment))
      throw new Error(`/v1/assign answered unexpectedly: ${JSON.stringify(res.assignments[0])}`);
  });
  const firstSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  line(
    `/v1/assign first contact: ${fmt(bodies.length / firstSeconds)} req/s ` +
      `(${fmt((bodies.length * pairs) / firstSeconds)} assignments/s stored; ${fmt(bodies.length)} requests, ` +
      `${settings.connections} in flight, fetch)`,
  );

  const warmSeconds = Math.min(3, settings.seconds);
  await load(server, '/bench/bare', bodies, warmSeconds, settings.connections);
  await load(server, '/v1/assign', bodies, warmSeconds, settings.connections);
  const bare = await load(server, '/bench/bare', bodies, settings.seconds, settings.connections);
  await expectTimedByMiddleware(server, '/bench/bare');
  const assign = await load(server, '/v1/assign', bodies, settings.seconds, settings.connections);

  const shape = `${settings.connections} connections, ${settings.seconds} s`;
  line(
    `bare route POST /bench/bare (same server and middleware, no database): ${fmt(bare.requestsPerSecond)} req/s, ` +
      `p50 ${fmt(bare.p50)} ms, p99 ${fmt(bare.p99)} ms (${shape})`,
  );
  line(
    `/v1/assign (${settings.perRequest} customers x ${keys.length} experiments, sticky): ` +
      `${fmt(assign.requestsPerSecond)} req/s = ${fmt(assign.requestsPerSecond * pairs)} assignments/s, ` +
      `p50 ${fmt(assign.p50)} ms, p99 ${fmt(assign.p99)} ms (${shape})`,
  );
  line(
    `ratio /v1/assign vs bare: throughput ${ratio(assign.requestsPerSecond, bare.requestsPerSecond)}, ` +
      `p99 latency ${ratio(assign.p99, bare.p99)}`,
  );
}

async function benchIngest(
  bench: BenchServer,
  settings: { customers: number; batches: number; batchSize: number; concurrency: number },
): Promise<void> {
  const server = bench.info;
  const plan: EventPlan = {
    prefix: 'bench',
    batches: settings.batches,
    batchSize: settings.batchSize,
    customers: settings.customers,
  };
  const send = async (body: string) => {
    const res = await call<EventIngestResult>(server, 'POST', '/v1/events', { key: server.ingestKey }, body);
    if (res.accepted !== settings.batchSize || res.duplicates !== 0 || res.rejected.length > 0)
      throw new Error(`/v1/events answered unexpectedly: ${JSON.stringify(res).slice(0, 300)}`);
  };

  // Bodies are rendered before the clock starts: the timed part is the server's work, not this process's.
  // Rendering blocks this event loop for seconds, long enough for the server to close idle keep-alive
  // connections unnoticed (EPIPE on the next request); the warm-up after it runs on fresh connections.
  const bodies = Array.from({ length: plan.batches }, (_, b) =>
    JSON.stringify({ events: eventBatch(plan, b) }),
  );
  await new Promise((resolve) => setTimeout(resolve, 100));

  // Warm-up with other event ids, then an empty table for the timed run.
  const warmPlan = { ...plan, prefix: 'warm', batches: Math.min(2, settings.batches) };
  for (let b = 0; b < warmPlan.batches; b++) await send(JSON.stringify({ events: eventBatch(warmPlan, b) }));
  await bench.request({ cmd: 'truncate-events' });
  const total = plan.batches * plan.batchSize;
  const started = process.hrtime.bigint();
  await inParallel(settings.concurrency, bodies.length, (b) => send(bodies[b]!));
  const httpSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const storedByHttp = await bench.request<number>({ cmd: 'count-events' });
  if (storedByHttp !== total) throw new Error(`/v1/events stored ${storedByHttp} of ${total} events`);
  bodies.length = 0;

  await bench.request({ cmd: 'truncate-events' });
  const copy = await bench.request<CopyResult>({ cmd: 'copy-events', plan });
  const storedByCopy = await bench.request<number>({ cmd: 'count-events' });
  if (copy.rows !== total || storedByCopy !== total)
    throw new Error(`COPY stored ${storedByCopy} of ${total} events`);

  const httpRate = total / httpSeconds;
  const copyRate = total / copy.seconds;
  line(
    `POST /v1/events (${fmt(plan.batches)} batches x ${fmt(plan.batchSize)} events, ${settings.concurrency} in flight): ` +
      `${fmt(httpRate)} events/s (${fmt(total)} events in ${fmt(httpSeconds, 1)} s)`,
  );
  line(
    `raw COPY of the same rows into the same table: ${fmt(copyRate)} events/s ` +
      `(${fmt(total)} events in ${fmt(copy.seconds, 1)} s; ${copy.method})`,
  );
  line(`ratio /v1/events vs COPY: ${ratio(httpRate, copyRate)}`);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  const postgresVersion = await probePostgres(databaseUrl);
  const customers = intSetting('BENCH_CUSTOMERS', 10_000);
  const perRequest = intSetting('BENCH_ASSIGN_CUSTOMERS', 10);
  if (perRequest > customers) throw new Error('BENCH_ASSIGN_CUSTOMERS must not exceed BENCH_CUSTOMERS');
  const seconds = intSetting('BENCH_SECONDS', 15);
  const connections = intSetting('BENCH_CONNECTIONS', 10);
  const batches = intSetting('BENCH_EVENT_BATCHES', postgresVersion ? 100 : 10);
  const batchSize = intSetting('BENCH_BATCH_SIZE', 10_000);
  const concurrency = intSetting('BENCH_INGEST_CONCURRENCY', 2);

  line(
    `liftlab api bench — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores ` +
      `(${cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  if (!postgresVersion)
    line(
      `database: no PostgreSQL answered at ${new URL(databaseUrl).host}; FALLING BACK to in-memory PGlite ` +
        `(numbers are not comparable with PostgreSQL runs)`,
    );

  let bench: BenchServer | undefined;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${WATCHDOG_MS / 60_000} min, giving up\n`);
    bench?.kill();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  try {
    bench = await BenchServer.start(postgresVersion ? databaseUrl : undefined);
    const info = bench.info;
    line(
      `database: ${info.provider}${postgresVersion ? ` ${postgresVersion}` : ''} at ${info.location} ` +
        `(${info.provider === 'pglite' ? 'in memory' : 'fresh, migrated, dropped at the end'}); ` +
        `server log level ${info.logLevel}; loopback ${info.baseUrl}`,
    );
    await setUp(info, customers);
    await benchAssign(info, { customers, perRequest, seconds, connections });
    await benchIngest(bench, { customers, batches, batchSize, concurrency });
    line(
      `done; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await bench?.stop();
    clearTimeout(watchdog);
  }
}

main().catch((err: unknown) => {
  const cause = err instanceof Error && err.cause ? `\ncaused by: ${String(err.cause)}` : '';
  process.stderr.write(
    `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}\n`,
  );
  process.exitCode = 1;
});
