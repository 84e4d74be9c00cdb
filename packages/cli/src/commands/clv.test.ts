/**
 * `liftlab clv` end to end on the CDNOW sample (../shared/datasets/cdnow next to the project root): the
 * transactions file reproduces the published BG/NBD and Gamma-Gamma fits, the RFM summary file gives the same
 * BG/NBD fit, and the holdout check counts the holdout purchases of the data set's own summary (x_star).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../io';
import { run } from '../program';

function cdnowDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'turbo.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('CDNOW tests: project root (the folder with turbo.json) not found');
    dir = parent;
  }
  return resolve(dir, '..', 'shared', 'datasets', 'cdnow');
}

const DATA = cdnowDirectory();

function capture(isTTY = false): Writable & { text: string; isTTY?: boolean } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stream.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string; isTTY?: boolean; columns?: number };
  stream.text = '';
  if (isTTY) {
    stream.isTTY = true;
    stream.columns = 100;
  }
  return stream;
}

function io(stdin = '', stderrIsTTY = false) {
  return { stdin: Readable.from([stdin]), stdout: capture(), stderr: capture(stderrIsTTY) } satisfies CliIO;
}

interface ClvJson {
  customers: number;
  calibrationEnd: string | null;
  params: {
    bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number; converged: boolean };
    gammaGamma: { p: number; q: number; gamma: number; customers: number };
  };
  holdout: { totals: { actual: number; predicted: number }; bins: { x: number; customers: number }[] } | null;
  predictions: {
    id: string;
    x: number;
    tx: number;
    T: number;
    monetary: number;
    clv: number;
    probabilityAlive: number;
  }[];
}

let dir: string;
let transactions: string;
let cbs: Array<Record<string, number>>;

beforeAll(async () => {
  expect(existsSync(DATA), `${DATA}: the shared CDNOW data set`).toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'liftlab-clv-'));
  // CDNOW_sample.txt: master id, sample id, date (YYYYMMDD), CDs, dollars, separated by spaces.
  const lines = readFileSync(join(DATA, 'CDNOW_sample.txt'), 'utf8').trim().split(/\r?\n/);
  const csv = ['customer_id,date,amount'];
  for (const line of lines) {
    const [, id, date, , amount] = line.trim().split(/\s+/);
    csv.push(`${Number(id)},${date},${amount}`);
  }
  transactions = join(dir, 'cdnow.csv');
  await writeFile(transactions, csv.join('\n') + '\n');
  const [header, ...rows] = readFileSync(join(DATA, 'cdnow_cbs_exact_weeks.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const names = (header as string).split(',');
  cbs = rows.map((row) => {
    const values = row.split(',').map(Number);
    return Object.fromEntries(names.map((n, i) => [n, values[i] as number]));
  });
});

async function clvJson(args: string[]): Promise<{ out: ClvJson; stderr: string }> {
  const stream = io();
  const code = await run(['clv', ...args, '--format', 'json'], stream);
  expect(code, stream.stderr.text).toBe(0);
  return { out: JSON.parse(stream.stdout.text) as ClvJson, stderr: stream.stderr.text };
}

describe('liftlab clv on CDNOW', () => {
  it('reproduces the published fits from the transactions (39-week calibration)', async () => {
    const { out } = await clvJson([
      transactions,
      '--calibration-end',
      '1997-09-30',
      '--holdout-end',
      '1998-06-30',
      '--time-unit',
      'week',
    ]);
    expect(out.customers).toBe(2357);
    expect(out.calibrationEnd).toBe('1997-09-30');
    const bg = out.params.bgnbd;
    // Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
    expect(bg.r).toBeCloseTo(0.243, 3);
    expect(bg.alpha).toBeCloseTo(4.414, 2);
    expect(bg.a).toBeCloseTo(0.793, 3);
    expect(bg.b).toBeCloseTo(2.426, 2);
    expect(bg.logLikelihood).toBeCloseTo(-9582.4, 0);
    expect(bg.converged).toBe(true);
    // Fader & Hardie (2013): p = 6.25, q = 3.74, γ = 15.44 on the 946 repeat buyers.
    const gg = out.params.gammaGamma;
    expect(gg.customers).toBe(946);
    expect(gg.p).toBeCloseTo(6.25, 2);
    expect(gg.q).toBeCloseTo(3.74, 2);
    expect(gg.gamma).toBeCloseTo(15.44, 1);

    // The per-customer summary agrees with the data set's own (cdnow_cbs_exact_weeks.csv).
    const byId = new Map(out.predictions.map((p) => [p.id, p]));
    for (const row of cbs) {
      const p = byId.get(String(row.customer_id));
      expect(p?.x).toBe(row.x);
      expect(p?.tx).toBeCloseTo(row.t_x as number, 5);
      expect(p?.T).toBeCloseTo(row.T_cal as number, 5);
      if ((row.x as number) > 0) expect(p?.monetary).toBeCloseTo(row.zbar_repeat as number, 4);
    }
    // Holdout (weeks 40–78): the actual count is the data set's x_star total; the forecast is the paper's.
    const actual = cbs.reduce((s, r) => s + (r.x_star as number), 0);
    expect(out.holdout?.totals.actual).toBe(actual);
    expect(out.holdout?.totals.predicted).toBeCloseTo(1653.42, 0);
    expect(out.holdout?.bins.reduce((s, b) => s + b.customers, 0)).toBe(2357);
  });

  it('fits the RFM summary file to the same BG/NBD parameters', async () => {
    const { out } = await clvJson([
      join(DATA, 'cdnow_customers_summary_with_transactions.csv'),
      '--input',
      'rfm',
      '--customer-column',
      'ID',
      '--monetary-column',
      'zbar',
    ]);
    expect(out.customers).toBe(2357);
    expect(out.params.bgnbd.r).toBeCloseTo(0.243, 3);
    expect(out.params.bgnbd.alpha).toBeCloseTo(4.414, 1);
    expect(out.params.bgnbd.a).toBeCloseTo(0.793, 2);
    expect(out.params.bgnbd.b).toBeCloseTo(2.426, 1);
    expect(out.holdout).toBeNull();
  });

  it('writes per-customer predictions as CSV with the parameters on stderr, and shows progress on a terminal', async () => {
    const stream = io('', true);
    const code = await run(
      ['clv', transactions, '--calibration-end', '1997-09-30', '--format', 'csv', '--horizon', '24'],
      stream,
    );
    expect(code, stream.stderr.text).toBe(0);
    const lines = stream.stdout.text.trim().split('\n');
    expect(lines[0]).toBe('customer_id,x,t_x,T,monetary,predicted_purchases,p_alive,expected_spend,clv');
    expect(lines).toHaveLength(2358);
    expect(stream.stderr.text).toContain('BG/NBD (weeks)');
    expect(stream.stderr.text).toContain('CLV over 24 months');
    expect(stream.stderr.text).toMatch(/reading|predicting/);
  });
});

describe('liftlab clv input errors', () => {
  it('names the flag of a missing column and of a bad date', async () => {
    const s1 = io();
    expect(await run(['clv', transactions, '--amount-column', 'value'], s1)).toBe(2);
    expect(s1.stderr.text).toContain('--amount-column');
    const s2 = io();
    expect(await run(['clv', transactions, '--calibration-end', '1997-13-40'], s2)).toBe(2);
    expect(s2.stderr.text).toContain('--calibration-end: must be a date');
    const s3 = io();
    expect(
      await run(['clv', transactions, '--calibration-end', '1997-09-30', '--holdout-end', '1997-01-01'], s3),
    ).toBe(2);
    expect(s3.stderr.text).toContain('--holdout-end');
  });

  it('skips unreadable rows with a warning and reads standard input', async () => {
    const text =
      'customer_id,date,amount\n' +
      'a,2024-01-01,10\na,2024-01-15,12\na,2024-02-01,8\nb,2024-01-03,20\nb,not-a-date,5\n' +
      'c,2024-01-05,7\nc,2024-03-01,9\nd,2024-01-10,30\ne,2024-01-02,15\ne,2024-01-20,11\n';
    const stream = io(text);
    const code = await run(
      ['clv', '-', '--time-unit', 'day', '--calibration-end', '2024-03-31', '--format', 'json'],
      stream,
    );
    expect(code, stream.stderr.text).toBe(0);
    const out = JSON.parse(stream.stdout.text) as ClvJson;
    expect(out.customers).toBe(5);
    // Order days 2024-01-01, 01-15, 02-01 with the calibration ending 03-31: x = 2, tₓ = 31, T = 90 days.
    expect(out.predictions.find((p) => p.id === 'a')).toMatchObject({ x: 2, tx: 31, T: 90, monetary: 10 });
    expect(out.predictions.find((p) => p.id === 'b')).toMatchObject({ x: 0, tx: 0, T: 88, monetary: 0 });
  });
});
