import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentResults } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { FixedClock } from '../common/clock';
import { random } from './test-simulation';

/**
 * A historical experiment run outside Liftlab, exported as one row per customer: customer, variant and outcome
 * (spend in the 30 days after assignment, or whether the customer converted). Uploaded as is to the experiment
 * import and analysed by the API, it must give exactly what `liftlab analyze --csv` gives on the same file.
 */

const ROOT = resolve(__dirname, '../../../..');
const WEIGHTS = { control: 0.333333, email: 0.333333, sms: 0.333334 };

interface HistoryRow {
  customer: string;
  variant: keyof typeof WEIGHTS;
  spend: number;
  converted: 0 | 1;
}

let t: TestApp;
let clock: FixedClock;
let marketer: Agent;
let dir: string;
let rows: HistoryRow[];

function history(count: number): HistoryRow[] {
  const next = random(4242);
  const arms = Object.keys(WEIGHTS) as (keyof typeof WEIGHTS)[];
  const out: HistoryRow[] = [];
  for (let i = 0; i < count; i++) {
    const variant = arms[Math.floor(next() * 3)] as keyof typeof WEIGHTS;
    const habit = 20 + 80 * next() * next();
    const boost = variant === 'email' ? 1.25 : variant === 'sms' ? 1.05 : 1;
    const spend = next() < 0.55 ? Math.round(habit * boost * (0.5 + next()) * 100) / 100 : 0;
    const converted = next() < (variant === 'control' ? 0.2 : 0.26) ? 1 : 0;
    out.push({ customer: `hist-${i}`, variant, spend, converted });
  }
  return out;
}

async function createExperiment(key: string, metricKey: string): Promise<string> {
  const exp = await marketer.post('/v1/experiments').send({
    key,
    name: `${key} (imported)`,
    variants: [
      { key: 'control', name: 'No message', weight: WEIGHTS.control },
      { key: 'email', name: 'E-mail', weight: WEIGHTS.email },
      { key: 'sms', name: 'SMS', weight: WEIGHTS.sms },
    ],
    metrics: [{ metricKey, role: 'primary' }],
  });
  expect(exp.status, JSON.stringify(exp.body)).toBe(201);
  expect((await marketer.post(`/v1/experiments/${exp.body.id}/start`)).status).toBe(200);
  return exp.body.id as string;
}

beforeAll(async () => {
  clock = new FixedClock('2025-01-15T09:00:00Z');
  t = await createTestApp({ clock });
  marketer = await t.loginAs('marketer');
  dir = mkdtempSync(join(tmpdir(), 'liftlab-history-'));
  rows = history(900);

  for (const metric of [
    { key: 'spend-30d', name: 'Spend in 30 days', kind: 'mean', eventName: 'spend_30d', windowDays: 30 },
    { key: 'reactivated', name: 'Reactivated', kind: 'proportion', eventName: 'reactivated', windowDays: 30 },
  ]) {
    const res = await marketer.post('/v1/metrics').send(metric);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type CliOutput = {
  metric: { type: string; cuped: boolean };
  control: { key: string; n: number; mean: number };
  results: {
    key: string;
    treatmentMean: number;
    treatmentN: number;
    estimate: number;
    se: number;
    ci: [number, number];
    ciAlpha: number;
    pValue: number;
    adjustedPValue: number;
  }[];
  srm: { pValue: number; chiSquare: number };
};

function analyzeWithCli(file: string, type: 'mean' | 'proportion'): CliOutput {
  const stdout = execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [
      join(ROOT, 'packages/cli/src/bin.ts'),
      'analyze',
      '--csv',
      file,
      '--variant-column',
      'variant',
      '--metric-column',
      'outcome',
      '--type',
      type,
      '--control',
      'control',
      '--no-progress',
      ...Object.entries(WEIGHTS).flatMap(([k, w]) => ['--weight', `${k}=${w}`]),
    ],
    { encoding: 'utf8', cwd: ROOT },
  );
  return JSON.parse(stdout) as CliOutput;
}

function expectSame(api: ExperimentResults, cli: CliOutput): void {
  const same = (a: number | null | undefined, b: number, what: string) =>
    expect(Math.abs((a as number) - b), `${what}: API ${a} vs CLI ${b}`).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(b)),
    );
  const metric = api.metrics[0];
  // One file has no pre-period, so neither side adjusts.
  expect(metric?.cuped).toBe(false);
  expect(cli.metric.cuped).toBe(false);
  const control = metric?.variants.find((v) => v.isControl);
  expect(control?.n).toBe(cli.control.n);
  expect(control?.n).toBeGreaterThan(250);
  same(control?.mean, cli.control.mean, 'control mean');
  expect(cli.results).toHaveLength(2);
  for (const r of cli.results) {
    const v = metric?.variants.find((x) => x.key === r.key);
    expect(v?.n).toBe(r.treatmentN);
    same(v?.mean, r.treatmentMean, `${r.key} mean`);
    same(v?.relative?.estimate, r.estimate, `${r.key} lift`);
    same(v?.relative?.se, r.se, `${r.key} se`);
    same(v?.relative?.ci[0], r.ci[0], `${r.key} ci lower`);
    same(v?.relative?.ci[1], r.ci[1], `${r.key} ci upper`);
    same(v?.relative?.ciLevel, 1 - r.ciAlpha, `${r.key} ci level`);
    same(v?.relative?.pValue, r.pValue, `${r.key} p`);
    same(v?.relative?.adjustedPValue, r.adjustedPValue, `${r.key} adjusted p`);
  }
  same(api.srm?.pValue, cli.srm.pValue, 'srm p');
  same(api.srm?.chiSquare, cli.srm.chiSquare, 'srm chi-square');
}

describe('an imported historical experiment', () => {
  it.each([
    { experiment: 'spring-reactivation', metric: 'spend-30d', event: 'spend_30d', type: 'mean' as const },
    {
      experiment: 'spring-winback',
      metric: 'reactivated',
      event: 'reactivated',
      type: 'proportion' as const,
    },
  ])(
    'gives exactly the results of `liftlab analyze --csv` on the file ($type outcome)',
    async ({ experiment, metric, event, type }) => {
      const id = await createExperiment(experiment, metric);
      // The file an analyst has, exported from the tool that ran the test…
      const csv =
        'customer,variant,outcome\n' +
        rows
          .map((r) => `${r.customer},${r.variant},${type === 'mean' ? r.spend.toFixed(2) : r.converted}`)
          .join('\n') +
        '\n';
      const file = join(dir, `${experiment}.csv`);
      writeFileSync(file, csv);
      // …uploaded as it is: assignments and outcomes now, counted from the import.
      const res = await marketer
        .post(`/v1/imports/experiment?experimentKey=${experiment}&outcomeEvent=${event}`)
        .set('Content-Type', 'text/csv')
        .send(csv);
      expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
      expect(res.body).toMatchObject({
        status: 'completed',
        total: rows.length,
        accepted: rows.length,
        rejected: 0,
      });

      // Results cover data before "now"; the import happened at "now".
      clock.advanceMinutes(1);
      const refreshed = await marketer.post(`/v1/experiments/${id}/results/refresh`);
      expect(refreshed.status, JSON.stringify(refreshed.body).slice(0, 400)).toBe(200);
      const cli = analyzeWithCli(file, type);
      expect(cli.metric.type).toBe(type);
      expectSame(refreshed.body as ExperimentResults, cli);
    },
    120_000,
  );
});
