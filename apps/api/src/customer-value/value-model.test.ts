import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  armMoments,
  calibrationBins,
  capDropoutConcentration,
  ClvForecaster,
  resolveThresholds,
  valueSegment,
  welchDifference,
  type LtvGroup,
} from './value-model';

interface Fixture {
  bgnbd: { r: number; alpha: number; a: number; b: number };
  gammaGamma: { p: number; q: number; gamma: number };
  horizonMonths: number;
  annualDiscountRate: number;
  predictions: {
    x: number;
    tx: number;
    T: number;
    monetary: number;
    predictedPurchases: number;
    probabilityAlive: number;
    expectedSpend: number;
    predictedClv: number;
    holdout90: number;
  }[];
  clvs: number[];
  quantiles: Record<string, number>;
  arms: Record<'control' | 'treated', { customer: number; observed: number; clv: number }[]>;
  welch: Record<
    'clv' | 'observed' | 'total',
    { estimate: number; lower: number; upper: number; pValue: number }
  >;
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'value_model.json'), 'utf8')) as Fixture;
const model = { bgnbd: fixture.bgnbd, gammaGamma: fixture.gammaGamma };
const horizon = { horizonMonths: fixture.horizonMonths, annualDiscountRate: fixture.annualDiscountRate };

describe('ClvForecaster', () => {
  it('matches the published BG/NBD and Gamma-Gamma formulas evaluated with scipy', () => {
    const f = new ClvForecaster(model, horizon);
    for (const c of fixture.predictions) {
      const p = f.predict(c);
      expect(p.probabilityAlive).toBeCloseTo(c.probabilityAlive, 10);
      expect(p.expectedSpend).toBeCloseTo(c.expectedSpend, 9);
      expect(p.predictedPurchases / c.predictedPurchases).toBeCloseTo(1, 9);
      expect(p.predictedClv / c.predictedClv).toBeCloseTo(1, 9);
    }
  });

  it('gives nothing over an exhausted horizon', () => {
    const f = new ClvForecaster(model, { horizonMonths: 0, annualDiscountRate: 0.1 });
    const c = fixture.predictions[2] as Fixture['predictions'][number];
    expect(f.predict(c).predictedClv).toBe(0);
  });
});

describe('capDropoutConcentration', () => {
  it('keeps the mean drop-out probability and caps a + b', () => {
    const { params, capped } = capDropoutConcentration({ r: 1.2, alpha: 89, a: 2.5e7, b: 4.5e7 });
    expect(capped).toBe(true);
    expect(params.a + params.b).toBeCloseTo(100, 9);
    expect(params.a / (params.a + params.b)).toBeCloseTo(2.5 / 7, 12);
    expect(params.r).toBe(1.2);
    const same = capDropoutConcentration(fixture.bgnbd);
    expect(same).toEqual({ params: fixture.bgnbd, capped: false });
  });
});

describe('value segments', () => {
  it('takes the CLV quantile as numpy does (type 7)', () => {
    for (const [q, expected] of Object.entries(fixture.quantiles)) {
      const t = resolveThresholds(fixture.clvs, {
        thresholdKind: 'quantile',
        clvQuantile: Number(q),
        clvAmount: null,
        aliveThreshold: 0.4,
      });
      expect(t.clv).toBeCloseTo(expected, 9);
      expect(t.alive).toBe(0.4);
    }
  });

  it('uses the absolute amount when configured', () => {
    const t = resolveThresholds(fixture.clvs, {
      thresholdKind: 'absolute',
      clvQuantile: 0.8,
      clvAmount: 250,
      aliveThreshold: 0.6,
    });
    expect(t).toEqual({ clv: 250, alive: 0.6 });
  });

  it('crosses high/low CLV with alive/not alive, thresholds inclusive', () => {
    const t = { clv: 100, alive: 0.5 };
    expect(valueSegment(100, 0.5, t)).toBe('vip_ambassador');
    expect(valueSegment(150, 0.2, t)).toBe('vip_at_risk');
    expect(valueSegment(99.99, 0.9, t)).toBe('occasional_potential');
    expect(valueSegment(10, 0.49, t)).toBe('passive');
  });
});

describe('calibration bins', () => {
  it('averages actual and forecast holdout purchases per calibration frequency, last bin open-ended', () => {
    const groups = fixture.predictions.map((c, i) => ({
      x: c.x,
      tx: c.tx,
      T: c.T,
      customers: i + 1,
      actual: 2 * i,
    }));
    const out = calibrationBins(groups, fixture.bgnbd, 90, 7);
    const expectedTotal = fixture.predictions.reduce((s, c, i) => s + (i + 1) * c.holdout90, 0);
    expect(out.totals.predicted).toBeCloseTo(expectedTotal, 9);
    expect(out.totals.actual).toBe(0 + 2 + 4 + 6 + 8);
    expect(out.customers).toBe(15);
    const last = out.bins.at(-1);
    expect(last).toMatchObject({ frequency: 7, andMore: true, customers: 4, actual: 6 / 4 });
    expect(last?.predicted).toBeCloseTo(fixture.predictions[3]!.holdout90, 9);
    expect(out.bins.map((b) => b.frequency)).toEqual([0, 1, 3, 5, 7]);
  });
});

describe('incremental LTV moments', () => {
  it('reproduces Welch on per-customer rows from grouped sums (scipy)', () => {
    const f = new ClvForecaster(model, horizon);
    const groupsOf = (arm: 'control' | 'treated'): LtvGroup[] => {
      // Group by customer history as the SQL does: sums of m, m², o, o², m·o per (x, tx, T).
      const byCustomer = new Map<number, LtvGroup>();
      for (const row of fixture.arms[arm]) {
        const c = fixture.predictions[row.customer] as Fixture['predictions'][number];
        const m = c.x > 0 ? c.monetary : 0;
        const g = byCustomer.get(row.customer) ?? {
          x: c.x,
          tx: c.tx,
          T: c.T,
          n: 0,
          sumM: 0,
          sumM2: 0,
          sumO: 0,
          sumO2: 0,
          sumMO: 0,
        };
        g.n += 1;
        g.sumM += m;
        g.sumM2 += m * m;
        g.sumO += row.observed;
        g.sumO2 += row.observed * row.observed;
        g.sumMO += m * row.observed;
        byCustomer.set(row.customer, g);
      }
      return [...byCustomer.values()];
    };
    const t = armMoments(groupsOf('treated'), f);
    const c = armMoments(groupsOf('control'), f);
    for (const key of ['clv', 'observed', 'total'] as const) {
      const d = welchDifference({ n: c.n, ...c[key] }, { n: t.n, ...t[key] });
      const want = fixture.welch[key];
      expect(d.estimate).toBeCloseTo(want.estimate, 6);
      expect(d.lower).toBeCloseTo(want.lower, 6);
      expect(d.upper).toBeCloseTo(want.upper, 6);
      expect(d.pValue).toBeCloseTo(want.pValue, 8);
    }
  });

  it('counts customers without an order with zero predicted value', () => {
    const f = new ClvForecaster(model, horizon);
    const m = armMoments([{ x: null, tx: 0, T: 0, n: 3, sumM: 0, sumM2: 0, sumO: 0, sumO2: 0, sumMO: 0 }], f);
    expect(m).toEqual({
      n: 3,
      clv: { sum: 0, sumSquares: 0 },
      observed: { sum: 0, sumSquares: 0 },
      total: { sum: 0, sumSquares: 0 },
    });
  });
});
