/**
 * CSV analysis rows per second: `liftlab analyze --csv` (in-process, the same code path as the bin) on a
 * generated file of about a million customers with a CUPED covariate. Run with `npm run bench` in packages/cli.
 */
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { run, type CliIO } from '../src/index';

const ROWS = 1_000_000;
const file = join(tmpdir(), `liftlab-bench-${process.pid}.csv`);

/** Deterministic pseudo-random numbers (mulberry32), so every run reads the same file. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generate(): Promise<void> {
  const next = random(2024);
  const out = createWriteStream(file);
  out.write('customer_id,segment,channel,pre_spend,spend\n');
  const arms = ['holdout', 'upsell', 'cross-sell'];
  let buffer = '';
  for (let i = 0; i < ROWS; i++) {
    const pre = next() < 0.3 ? (next() * 400).toFixed(2) : '0';
    const spend = next() < 0.12 ? (Number(pre) * 0.4 + next() * 250).toFixed(2) : '0';
    buffer += `${100000 + i},${arms[i % 3]},${next() < 0.5 ? 'Web' : 'Phone'},${pre},${spend}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

const sink = (): Writable & { text: string } => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stream.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
};

try {
  await generate();
  const { size } = await stat(file);
  const stdout = sink();
  const io: CliIO = { stdin: process.stdin, stdout, stderr: sink() };
  const args = ['analyze', '--csv', file, '--variant-column', 'segment', '--metric-column', 'spend'];
  const start = performance.now();
  const code = await run(
    [...args, '--covariate-column', 'pre_spend', '--control', 'holdout', '--no-progress'],
    io,
  );
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(`liftlab analyze exited with ${code}`);
  const { rowsRead } = JSON.parse(stdout.text) as { rowsRead: number };
  console.log(
    `cli bench: liftlab analyze --csv: ${Math.round(rowsRead / seconds).toLocaleString('en-US')} rows/s ` +
      `(${rowsRead.toLocaleString('en-US')} rows, ${(size / 2 ** 20).toFixed(1)} MiB, 3 arms, CUPED, ${seconds.toFixed(2)} s)`,
  );
} finally {
  await rm(file, { force: true });
}
