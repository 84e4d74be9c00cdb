/**
 * Exactly-once delivery under crashes: a worker process (test-worker.ts) delivers a 10 000-message step to a
 * local SMTP server while this test SIGKILLs it at random moments and starts it again, until the step is done.
 * Then it counts what arrived:
 *
 * - every message arrived (none lost), and the database shows each one `sent`, exactly one message per
 *   enrollment and touch;
 * - no Message-ID arrived twice, except retransmissions after a kill that hit the RFC 1047 window (between the
 *   end of DATA and the recording of the 250 reply): each such duplicate must straddle a kill, and there can be
 *   at most one per kill (the worker has one message on the wire at a time). Their number is reported.
 *
 * The database must be reachable by several processes: TEST_DATABASE_URL's PostgreSQL server when set, else the
 * local PostgreSQL cluster (started the way .ci/run does when it is not answering).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../database/paths';
import { createTestDatabase, type TestDatabase } from '../database/test-database';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import {
  createSequence,
  createWorkspace,
  LOCAL_POSTGRES,
  postgresAnswers,
  seedStep,
  TEST_LINK_SECRET,
} from './test-fixtures';

const MESSAGES = 10_000;
const MAX_KILLS = 8;
const LEASE_SECONDS = 5;
const apiDir = join(repoRoot(), 'apps', 'api');

let db: TestDatabase;
let sink: SmtpSink;
let restoreEnv: () => void = () => undefined;

/** TEST_DATABASE_URL, else the local cluster (started if needed). Never skips: no PostgreSQL is a failure. */
async function postgresServer(): Promise<string> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) return configured;
  if (!(await postgresAnswers(LOCAL_POSTGRES))) {
    const versions = spawnSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).stdout.trim().split('\n');
    const version = versions[0];
    if (version) {
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
        stdio: 'ignore',
      });
      for (let i = 0; i < 30 && !(await postgresAnswers(LOCAL_POSTGRES)); i++) {
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
  if (!(await postgresAnswers(LOCAL_POSTGRES))) {
    throw new Error(
      `exactly-once test: needs PostgreSQL reachable by several processes; set TEST_DATABASE_URL or run one at ${LOCAL_POSTGRES}`,
    );
  }
  return LOCAL_POSTGRES;
}

beforeAll(async () => {
  const server = await postgresServer();
  const previous = process.env.TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = server;
  restoreEnv = () => {
    if (previous === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = previous;
  };
  [db, sink] = await Promise.all([createTestDatabase(), startSmtpSink({ keepRaw: false })]);
}, 180_000);

afterAll(async () => {
  restoreEnv();
  await sink?.close();
  await db?.close();
});

interface Run {
  child: ChildProcess;
  started: Promise<void>;
  exited: Promise<number | null>;
}

function startWorker(): Run {
  const worker = ['-r', '@swc-node/register', 'src/delivery/test-worker.ts', '--send-concurrency', '1'];
  const child = spawn(process.execPath, worker, {
    cwd: apiDir,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: db.url!,
      SMTP_URL: sink.url,
      LINK_SECRET: TEST_LINK_SECRET,
      DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const started = new Promise<void>((resolve) => {
    child.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('"event":"start"')) resolve();
    });
    child.once('exit', () => resolve());
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(`test-worker exited ${code}: ${stderr}\n`);
      resolve(code);
    }),
  );
  return { child, started, exited };
}

it(`delivers a ${MESSAGES}-message step exactly once per Message-ID while the worker is SIGKILLed repeatedly`, async () => {
  const ws = await createWorkspace(db.prisma, {
    // No quiet hours and no practical cap: this test is about crashes, not contact rules.
    quietHoursStart: '00:00',
    quietHoursEnd: '00:00',
    frequencyCapCount: 1000,
  });
  const seq = await createSequence(db.prisma, ws, 'sigkill', [
    {
      delayDays: 0,
      content: {
        subject: 'We miss you, {{ customer.externalId }}',
        text: 'Come back: {{ links.unsubscribe }}',
      },
    },
  ]);
  await seedStep(db.prisma, ws, seq.id, MESSAGES, 'k-', new Date(Date.now() - 60_000));

  const kills: number[] = [];
  const began = Date.now();
  let runs = 0;

  // First kill: deterministic, inside the RFC 1047 window. The sink holds its 250 reply to the 100th message
  // that fully arrived; the worker is killed while waiting for it, so that message must be sent again.
  let inWindow: string | null = null;
  let releaseReply: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    sink.holdReply = (arrival) => {
      if (inWindow !== null || sink.arrivals.length < 100) return null;
      inWindow = arrival.messageId;
      resolve();
      return new Promise<void>((release) => (releaseReply = release));
    };
  });
  {
    runs += 1;
    const run = startWorker();
    await Promise.race([held, run.exited]);
    expect(inWindow, 'the worker reached the 100th message').not.toBeNull();
    run.child.kill('SIGKILL');
    kills.push(Date.now());
    await run.exited;
    sink.holdReply = null;
    releaseReply();
  }

  for (;;) {
    runs += 1;
    const run = startWorker();
    await run.started;
    if (kills.length < MAX_KILLS) {
      // A random moment of this run: during the advance step, a claim, a gate, an SMTP exchange, a commit…
      const delay = 500 + Math.random() * 5_500;
      const outcome = await Promise.race([
        run.exited.then((code) => ({ exited: true as const, code })),
        new Promise<{ exited: false }>((r) => setTimeout(() => r({ exited: false }), delay)),
      ]);
      if (outcome.exited) {
        expect(outcome.code).toBe(0);
        break;
      }
      run.child.kill('SIGKILL');
      kills.push(Date.now());
      await run.exited;
      continue;
    }
    expect(await run.exited).toBe(0);
    break;
  }
  const elapsed = (Date.now() - began) / 1000;

  // What arrived, by Message-ID.
  const arrivals = new Map<string, number[]>();
  for (const a of sink.arrivals) {
    expect(a.messageId).not.toBeNull();
    arrivals.set(a.messageId!, [...(arrivals.get(a.messageId!) ?? []), a.at]);
  }
  const messages = await db.prisma.message.findMany({
    where: { workspaceId: ws },
    select: { id: true, status: true, providerMessageId: true, attempts: true, enrollmentId: true },
  });
  // One message per enrollment (the unique key held through every replay of the advance step).
  expect(messages).toHaveLength(MESSAGES);
  expect(new Set(messages.map((m) => m.enrollmentId)).size).toBe(MESSAGES);
  expect(await db.prisma.enrollment.count({ where: { sequenceId: seq.id, status: 'completed' } })).toBe(
    MESSAGES,
  );
  // Every message sent exactly once in the database…
  expect(messages.filter((m) => m.status !== 'sent')).toEqual([]);
  // …and arrived (none lost), with nothing arriving that the database does not know.
  const known = new Set(messages.map((m) => m.providerMessageId!));
  expect(messages.filter((m) => !arrivals.has(m.providerMessageId!))).toEqual([]);
  expect([...arrivals.keys()].filter((id) => !known.has(id))).toEqual([]);

  // Duplicates: only wire retransmissions across a kill (RFC 1047 window), at most one per kill.
  const duplicated = [...arrivals.entries()].filter(([, at]) => at.length > 1);
  const retransmissions = duplicated.reduce((s, [, at]) => s + at.length - 1, 0);
  for (const [id, at] of duplicated) {
    const [first, second] = [...at].sort((a, b) => a - b);
    expect(
      kills.some((k) => k >= first! && k <= second!),
      `${id} arrived twice without a kill in between`,
    ).toBe(true);
    const m = messages.find((x) => x.providerMessageId === id)!;
    expect(m.attempts).toBeGreaterThanOrEqual(2);
  }
  expect(retransmissions).toBeLessThanOrEqual(kills.length);
  // The message caught in the window was retransmitted, with the same Message-ID.
  expect(arrivals.get(inWindow!)?.length).toBe(2);
  // The kills must have hit the work, or this test proves nothing.
  expect(kills.length).toBeGreaterThanOrEqual(3);

  process.stdout.write(
    `exactly-once: ${MESSAGES} messages, ${runs} worker runs, ${kills.length} SIGKILLs, ` +
      `${sink.arrivals.length} arrivals, ${retransmissions} RFC 1047 retransmission(s), ${elapsed.toFixed(1)} s\n`,
  );
}, 900_000);
