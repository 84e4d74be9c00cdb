import { describe, expect, it } from 'vitest';
import reference from '../../fixtures/clv_cdnow.json';
import { presentValue } from '../money';
import { bgNbdExpectedPurchases } from './bgnbd';
import { CLV_UNITS_PER_MONTH, discountedClv } from './clv';

// Discounted CLV summed month by month in plain Python from 50-digit BG/NBD expectations
// (fixtures/gen_clv.py), at the scipy estimates of BG/NBD and Gamma-Gamma on CDNOW.

const bgnbd = reference.bgnbd.scipy;
const gg = reference.gammaGamma.scipy;
const relError = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe('discounted customer lifetime value', () => {
  it('uses a month of 365.25/12 days', () => {
    expect(CLV_UNITS_PER_MONTH.week).toBeCloseTo(reference.clv.weeksPerMonth, 14);
  });

  it.each(
    reference.clv.cases.map(
      (c) => [`x=${c.x} over ${c.horizonMonths} months at ${c.annualRate} (${c.timing})`, c] as const,
    ),
  )('%s matches the reference', (_name, c) => {
    const result = discountedClv({
      bgnbd,
      gg,
      x: c.x,
      tx: c.tx,
      T: c.T,
      mean: c.mean,
      timeUnit: 'week',
      horizonMonths: c.horizonMonths,
      annualRate: c.annualRate,
      margin: c.margin,
      timing: c.timing as 'end' | 'mid',
    });
    expect(relError(result.clv, c.clv)).toBeLessThan(1e-12);
    expect(relError(result.expectedPurchases, c.expectedPurchases)).toBeLessThan(1e-12);
    expect(relError(result.expectedSpend, c.expectedSpend)).toBeLessThan(1e-14);
    expect(result.monthlyPurchases).toHaveLength(c.horizonMonths);
  });

  it('is margin × spend × purchases, discounted with money.ts conventions', () => {
    const input = {
      bgnbd,
      gg,
      x: 3,
      tx: 30,
      T: 38,
      mean: 40,
      timeUnit: 'week' as const,
      horizonMonths: 24,
      annualRate: 0.1,
      margin: 0.3,
    };
    const result = discountedClv(input);
    const total = result.monthlyPurchases.reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo(bgNbdExpectedPurchases(bgnbd, 24 * CLV_UNITS_PER_MONTH.week, 3, 30, 38), 12);
    expect(result.clv).toBeCloseTo(
      presentValue(result.monthlyMargin, { annualRate: 0.1, period: 'month' }),
      10,
    );
    // undiscounted it is the plain product
    const flat = discountedClv({ ...input, annualRate: 0 });
    expect(flat.clv).toBeCloseTo(0.3 * result.expectedSpend * total, 10);
    // the same customer in days: identical once time is rescaled
    const days = discountedClv({
      ...input,
      bgnbd: { ...bgnbd, alpha: bgnbd.alpha * 7 },
      tx: 210,
      T: 266,
      timeUnit: 'day',
    });
    expect(relError(days.clv, result.clv)).toBeLessThan(1e-12);
    // Pareto/NBD as the purchase model
    const pnbd = discountedClv({ ...input, bgnbd: undefined, paretoNbd: reference.paretoNbd.scipy });
    expect(pnbd.clv).toBeGreaterThan(0);
    expect(pnbd.probabilityAlive).toBeLessThan(1);
  });

  it('rejects ambiguous or invalid input with the field at fault', () => {
    const base = {
      bgnbd,
      gg,
      x: 1,
      tx: 5,
      T: 30,
      mean: 20,
      timeUnit: 'week' as const,
      horizonMonths: 12,
      annualRate: 0.1,
    };
    expect(() => discountedClv({ ...base, paretoNbd: reference.paretoNbd.scipy })).toThrow(
      /^bgnbd: give exactly one/,
    );
    expect(() => discountedClv({ ...base, horizonMonths: 0 })).toThrow(/^horizonMonths: /);
    expect(() => discountedClv({ ...base, margin: 1.5 })).toThrow(/^margin: /);
    expect(() => discountedClv({ ...base, timeUnit: 'year' as 'week' })).toThrow(/^timeUnit: /);
    expect(() => discountedClv({ ...base, timeUnit: 'constructor' as 'week' })).toThrow(/^timeUnit: /);
    expect(() => discountedClv({ ...base, annualRate: -1 })).toThrow(/^annualRate: /);
    expect(() => discountedClv({ ...base, tx: 40 })).toThrow(/^tx: /);
  });
});
