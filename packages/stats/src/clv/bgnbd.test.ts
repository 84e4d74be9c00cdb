import { describe, expect, it } from 'vitest';
import reference from '../../fixtures/clv_cdnow.json';
import { chiSquareSurvival } from '../distributions';
import { StatsInputError } from '../types';
import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
  type BgNbdParams,
} from './bgnbd';
import { simulateBgNbd } from './simulate';

// Predictions are checked against the published closed forms evaluated with mpmath at 50 digits, the
// hypergeometric term included (fixtures/gen_clv.py), at the scipy maximum-likelihood estimates on CDNOW.

const ref = reference.bgnbd;
const params: BgNbdParams = ref.scipy;
const relError = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe('BG/NBD predictions', () => {
  it.each(ref.predictions.map((c) => [`x=${c.x} tx=${c.tx} T=${c.T}`, c] as const))(
    'P(alive) and expected purchases for %s',
    (_name, c) => {
      expect(relError(bgNbdProbabilityAlive(params, c.x, c.tx, c.T), c.probabilityAlive)).toBeLessThan(1e-14);
      for (const { t, expected } of c.expectedPurchases) {
        expect(relError(bgNbdExpectedPurchases(params, t, c.x, c.tx, c.T), expected)).toBeLessThan(1e-13);
      }
    },
  );

  it.each(ref.unconditional.map((c) => [c.t, c] as const))('E[X(%s)] for a new customer', (_t, c) => {
    expect(relError(bgNbdExpectedPurchasesNew(params, c.t), c.expected)).toBeLessThan(1e-12);
  });

  it('is continuous at a = 1, where the published formula divides 0 by 0', () => {
    const p = ref.aEqualsOne.params;
    for (const c of ref.aEqualsOne.cases) {
      expect(relError(bgNbdExpectedPurchases(p, c.t, c.x, c.tx, c.T), c.expected)).toBeLessThan(1e-12);
      const below = bgNbdExpectedPurchases({ ...p, a: 1 - 1e-7 }, c.t, c.x, c.tx, c.T);
      const above = bgNbdExpectedPurchases({ ...p, a: 1 + 1e-7 }, c.t, c.x, c.tx, c.T);
      expect(relError(below, c.expected)).toBeLessThan(1e-6);
      expect(relError(above, c.expected)).toBeLessThan(1e-6);
    }
  });

  it('stays finite for a very heavy buyer over a long horizon', () => {
    // (1 − z)^{r+x} → 0 and 2F1 → ∞ separately; only their product is finite
    const value = bgNbdExpectedPurchases(params, 2000, 400, 38, 39);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(bgNbdExpectedPurchases(params, 1000, 400, 38, 39));
  });

  it('has the properties the model implies', () => {
    expect(bgNbdProbabilityAlive(params, 0, 0, 30)).toBe(1);
    // the longer since the last purchase, the less likely the customer is alive
    expect(bgNbdProbabilityAlive(params, 3, 30, 38)).toBeGreaterThan(
      bgNbdProbabilityAlive(params, 3, 10, 38),
    );
    expect(bgNbdExpectedPurchases(params, 0, 3, 30, 38)).toBe(0);
    let previous = 0;
    for (const t of [1, 5, 20, 80, 300]) {
      const e = bgNbdExpectedPurchases(params, t, 3, 30, 38);
      expect(e).toBeGreaterThan(previous);
      previous = e;
    }
    // short horizon: expected purchases ≈ P(alive) × E[λ | x, alive] × t = P(alive) (r + x)/(α + T) t
    const t = 1e-4;
    const approx = (bgNbdProbabilityAlive(params, 3, 30, 38) * (params.r + 3) * t) / (params.alpha + 38);
    expect(relError(bgNbdExpectedPurchases(params, t, 3, 30, 38), approx)).toBeLessThan(1e-3);
  });

  it('rejects invalid customers and parameters with the field at fault', () => {
    expect(() => bgNbdProbabilityAlive(params, 1.5, 2, 5)).toThrow(/^x: must be a whole number/);
    expect(() => bgNbdProbabilityAlive(params, 2, 6, 5)).toThrow(/^tx: must be between 0 and T/);
    expect(() => bgNbdProbabilityAlive(params, 0, 1, 5)).toThrow(/^tx: must be 0 when x is 0/);
    expect(() => bgNbdExpectedPurchases(params, -1, 2, 3, 5)).toThrow(/^t: /);
    expect(() => bgNbdExpectedPurchases({ ...params, b: 0 }, 1, 2, 3, 5)).toThrow(/^params.b: /);
    expect(() => bgNbdExpectedPurchasesNew({ ...params, r: Number.NaN }, 1)).toThrow(StatsInputError);
  });
});

describe('BG/NBD fit', () => {
  const small = [
    { x: 2, tx: 30.43, T: 38.86 },
    { x: 1, tx: 1.71, T: 38.86 },
    { x: 0, tx: 0, T: 38.86 },
    { x: 0, tx: 0, T: 38.86 },
    { x: 0, tx: 0, T: 38.86 },
    { x: 7, tx: 29.43, T: 38.86 },
    { x: 1, tx: 5, T: 38.71 },
    { x: 0, tx: 0, T: 38.71 },
    { x: 3, tx: 20.57, T: 38.71 },
    { x: 0, tx: 0, T: 38.57 },
  ];

  it('takes columns with counts, giving the same fit as repeated rows', () => {
    const rows = fitBgNbd(small);
    const columns = fitBgNbd({
      x: [2, 1, 0, 7, 1, 0, 3, 0],
      tx: [30.43, 1.71, 0, 29.43, 5, 0, 20.57, 0],
      T: [38.86, 38.86, 38.86, 38.86, 38.71, 38.71, 38.71, 38.57],
      count: [1, 1, 3, 1, 1, 1, 1, 1],
    });
    expect(columns.customers).toBe(10);
    expect(columns.logLikelihood).toBeCloseTo(rows.logLikelihood, 9);
    expect(columns.r).toBeCloseTo(rows.r, 5);
  });

  it('rejects data it cannot fit, naming the customer', () => {
    expect(() => fitBgNbd([])).toThrow(/^customers: needs at least one customer/);
    expect(() => fitBgNbd([{ x: 0, tx: 0, T: 5 }])).toThrow(/at least one repeat purchase/);
    expect(() => fitBgNbd([...small, { x: 2, tx: 40, T: 38 }])).toThrow(/^customers\[10\]\.tx: /);
    expect(() => fitBgNbd({ x: [1], tx: [1, 2], T: [3] })).toThrow(/^tx: must have one value per customer/);
    expect(() => fitBgNbd({ x: [1], tx: [1], T: [3], count: [-1] })).toThrow(/^count\[0\]: /);
    expect(() => fitBgNbd(small, { start: { r: 1, alpha: 1, a: 1 } })).toThrow(/^options.start.b: /);
  });

  it('groups customers without changing the likelihood, on whole-day and on continuous times', () => {
    // 5,000 customers on whole days share triples (hashed groups); 70,000 in continuous time have more
    // than 2^16 distinct ages, so each customer becomes his own group
    for (const [customers, resolution] of [
      [5_000, 1 / 7],
      [70_000, 0],
    ] as const) {
      const data = simulateBgNbd(params, customers, { seed: 11, minT: 1, maxT: 52, resolution });
      let separately = 0;
      for (let i = 0; i < customers; i++) {
        const one = { x: data.x[i] as number, tx: data.tx[i] as number, T: data.T[i] as number };
        separately += bgNbdLogLikelihood(params, [one]);
      }
      expect(relError(bgNbdLogLikelihood(params, data), separately)).toBeLessThan(1e-12);
    }
  });

  it('recovers the parameters of simulated customers (likelihood-ratio test)', () => {
    const truth: BgNbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const data = simulateBgNbd(truth, 20_000, { seed: 20240611, minT: 26, maxT: 52, resolution: 1 / 7 });
    const fit = fitBgNbd(data);
    expect(fit.converged).toBe(true);
    const atTruth = bgNbdLogLikelihood(truth, data);
    // the maximum is above the truth, and 2ΔLL ~ χ²₄ if the generator and likelihood agree
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(atTruth);
    expect(chiSquareSurvival(2 * (fit.logLikelihood - atTruth), 4)).toBeGreaterThan(0.001);
    expect(relError(fit.r, truth.r)).toBeLessThan(0.1);
    expect(relError(fit.alpha, truth.alpha)).toBeLessThan(0.15);
  });
});
