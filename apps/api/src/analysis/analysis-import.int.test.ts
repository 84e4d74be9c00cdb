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
 * A historical experiment run outside Liftlab: one row per customer with their variant, their spend in the 30
 * days after assignment and in the 30 days before it. Loaded through the CSV imports (assignments + orders) and
 * analysed by the API, it must give exactly what `liftlab analyze --csv` gives on the file itself.
 */

const ROOT = resolve(__dirname, '../../../..');
const ASSIGNED_AT = Date.parse('2024-06-03T08:00:00Z');
const DAY = 86_400_000;
const WEIGHTS = { control: 0.333333, email: 0.333333, sms: 0.333334 };

interface HistoryRow {
  customer: string;
  variant: keyof typeof WEIGHTS;
  preSpend: number;
  spend: number;
}

let t: TestApp;
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
    const preSpend = next() < 0.6 ? Math.round(habit * (0.5 + next()) * 100) / 100 : 0;
    const boost = variant === 'email' ? 1.25 : variant === 'sms' ? 1.05 : 1;
    const spend = next() < 0.55 ? Math.round(habit * boost * (0.5 + next()) * 100) / 100 : 0;
    out.push({ customer: `hist-${i}`, variant, preSpend, spend });
  }
  return out;
}

beforeAll(async () => {
  t = await createTestApp({ clock: new FixedClock('2025-01-15T09:00:00Z') });
  marketer = await t.loginAs('marketer');
  dir = mkdtempSync(join(tmpdir(), 'liftlab-history-'));
  rows = history(900);

  const metric = await marketer
    .post('/v1/metrics')
    .send({ key: 'spend-30d', name: 'Spend in 30 days', kind: 'mean', eventName: 'order', windowDays: 30 });
  expect(metric.status, JSON.stringify(metric.body)).toBe(201);
  const exp = await marketer.post('/v1/experiments').send({
    key: 'spring-reactivation',
    name: 'Spring reactivation (imported)',
    variants: [
      { key: 'control', name: 'No message', weight: WEIGHTS.control },
      { key: 'email', name: 'E-mail', weight: WEIGHTS.email },
      { key: 'sms', name: 'SMS', weight: WEIGHTS.sms },
    ],
    metrics: [{ metricKey: 'spend-30d', role: 'primary' }],
  });
  expect(exp.status, JSON.stringify(exp.body)).toBe(201);
  expect((await marketer.post(`/v1/experiments/${exp.body.id}/start`)).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function upload(kind: 'experiment' | 'orders', csv: string): Promise<void> {
  const res = await marketer.post(`/v1/imports/${kind}`).set('Content-Type', 'text/csv').send(csv);
  expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
  expect(res.body).toMatchObject({ status: 'completed', rejected: 0 });
}

describe('an imported historical experiment', () => {
  it('gives exactly the results of `liftlab analyze --csv` on the file', async () => {
    // The file an analyst has…
    const file = join(dir, 'spring-reactivation.csv');
    writeFileSync(
      file,
      'customer_id,variant,pre_spend,spend\n' +
        rows
          .map((r) => `${r.customer},${r.variant},${r.preSpend.toFixed(2)},${r.spend.toFixed(2)}`)
          .join('\n') +
        '\n',
    );
    // …and the same history loaded into Liftlab: the assignments, then one order per non-zero spend.
    const assignedAt = new Date(ASSIGNED_AT).toISOString();
    await upload(
      'experiment',
      'customerId,experimentKey,variantKey,assignedAt\n' +
        rows.map((r) => `${r.customer},spring-reactivation,${r.variant},${assignedAt}`).join('\n'),
    );
    const orders = rows.flatMap((r) => [
      ...(r.preSpend > 0
        ? [
            `pre-${r.customer},${r.customer},${r.preSpend.toFixed(2)},EUR,${new Date(ASSIGNED_AT - 10 * DAY).toISOString()}`,
          ]
        : []),
      ...(r.spend > 0
        ? [
            `post-${r.customer},${r.customer},${r.spend.toFixed(2)},EUR,${new Date(ASSIGNED_AT + 5 * DAY).toISOString()}`,
          ]
        : []),
    ]);
    await upload('orders', 'orderId,customerId,amount,currency,occurredAt\n' + orders.join('\n'));

    const exp = await marketer.get('/v1/experiments?limit=10');
    const id = (exp.body.items as { id: string; key: string }[]).find(
      (e) => e.key === 'spring-reactivation',
    )?.id;
    const res = await marketer.post(`/v1/experiments/${id}/results/refresh`);
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
    const api = res.body as ExperimentResults;

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
        'spend',
        '--covariate-column',
        'pre_spend',
        '--control',
        'control',
        '--no-progress',
        ...Object.entries(WEIGHTS).flatMap(([k, w]) => ['--weight', `${k}=${w}`]),
      ],
      { encoding: 'utf8', cwd: ROOT },
    );
    const cli = JSON.parse(stdout) as {
      metric: { cuped: boolean };
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

    const same = (a: number | null | undefined, b: number, what: string) =>
      expect(Math.abs((a as number) - b), `${what}: API ${a} vs CLI ${b}`).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(b)),
      );
    const metric = api.metrics[0];
    expect(metric?.cuped).toBe(true);
    expect(cli.metric.cuped).toBe(true);
    const control = metric?.variants.find((v) => v.isControl);
    expect(control?.n).toBe(cli.control.n);
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
  }, 120_000);
});
