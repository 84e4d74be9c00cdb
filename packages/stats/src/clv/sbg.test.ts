import { describe, expect, it } from 'vitest';
import reference from '../../fixtures/clv_sbg.json';
import { StatsInputError } from '../types';
import {
  fitShiftedBetaGeometric,
  sbgDiscountedExpectedLifetime,
  sbgDiscountedExpectedResidualLifetime,
  sbgExpectedLifetime,
  sbgRetentionCurve,
} from './sbg';

// The two cohorts of Fader & Hardie (2007), "How to Project Customer Retention": 1,000 customers each,
// calibrated on years 0-7. Published estimates are checked to their three decimals; scipy's maximum
// likelihood (fixtures/gen_clv.py) to 1e-5; curves and discounted lifetimes against direct sums at 50 digits.

const relError = (actual: number, expected: number): number => Math.abs(actual / expected - 1);
const cohorts = Object.entries(reference.cohorts);

describe('shifted-beta-geometric retention', () => {
  it.each(cohorts)('reproduces the published fit of the %s cohort', (_name, cohort) => {
    const fit = fitShiftedBetaGeometric(cohort.survivors.slice(0, cohort.calibrationPeriods + 1));
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(1000);
    expect(Math.abs(fit.alpha - cohort.published.alpha)).toBeLessThan(0.0005);
    expect(Math.abs(fit.beta - cohort.published.beta)).toBeLessThan(0.0005);
    expect(relError(fit.alpha, cohort.scipy.alpha)).toBeLessThan(1e-5);
    expect(relError(fit.beta, cohort.scipy.beta)).toBeLessThan(1e-5);
    expect(fit.logLikelihood).toBeCloseTo(cohort.scipy.logLikelihood, 7);
  });

  it.each(cohorts)('projects the %s cohort’s survival, retention and churn', (_name, cohort) => {
    const curve = sbgRetentionCurve(cohort.scipy, 12);
    expect(curve.survival).toHaveLength(13);
    curve.survival.forEach((s, t) => expect(relError(s, cohort.survival[t] as number)).toBeLessThan(1e-13));
    curve.retentionRate.forEach((r, i) =>
      expect(relError(r, cohort.retentionRate[i] as number)).toBeLessThan(1e-13),
    );
    curve.churnProbability.forEach((p, i) =>
      expect(relError(p, cohort.churnProbability[i] as number)).toBeLessThan(1e-13),
    );
    // the held-out years 8-12 are forecast within 2 percentage points of what happened
    for (let t = 8; t <= 12; t++) {
      expect(Math.abs(1000 * (curve.survival[t] as number) - (cohort.survivors[t] as number))).toBeLessThan(
        20,
      );
    }
  });

  it.each(cohorts)('values the %s cohort’s discounted lifetimes', (_name, cohort) => {
    for (const c of cohort.discountedExpectedLifetime) {
      expect(
        relError(sbgDiscountedExpectedLifetime(cohort.scipy, { annualRate: c.discountRate }), c.del),
      ).toBeLessThan(1e-13);
    }
    for (const c of cohort.discountedExpectedResidualLifetime) {
      const derl = sbgDiscountedExpectedResidualLifetime(cohort.scipy, c.period - 1, {
        annualRate: c.discountRate,
      });
      expect(relError(derl, c.derl)).toBeLessThan(1e-13);
    }
  });

  it('ties the lifetimes together', () => {
    const params = { alpha: 1.8, beta: 4.2 };
    // DEL = 1 + DERL(0 renewals)/(1 + d): a new subscriber pays now, then is a subscriber with no renewals
    const del = sbgDiscountedExpectedLifetime(params, { annualRate: 0.1 });
    const derl = sbgDiscountedExpectedResidualLifetime(params, 0, { annualRate: 0.1 });
    expect(del).toBeCloseTo(1 + derl / 1.1, 12);
    // undiscounted DEL is the mean lifetime (α + β − 1)/(α − 1) when α > 1
    expect(sbgExpectedLifetime(params)).toBeCloseTo(5 / 0.8, 12);
    expect(sbgDiscountedExpectedLifetime(params, { annualRate: 0 })).toBeCloseTo(5 / 0.8, 12);
    // as d → 0 it approaches that mean (slowly, like d^{α−1}); far closer than this the series is refused
    const near = sbgDiscountedExpectedLifetime(params, { annualRate: 1e-4 });
    expect(near).toBeLessThan(5 / 0.8);
    expect(near).toBeGreaterThan(sbgDiscountedExpectedLifetime(params, { annualRate: 1e-3 }));
    expect(5 / 0.8 - near).toBeLessThan(0.1);
    expect(() => sbgDiscountedExpectedLifetime(params, { annualRate: 1e-9 })).toThrow(/did not converge/);
    expect(sbgExpectedLifetime({ alpha: 0.7, beta: 1.2 })).toBe(Infinity);
    // a monthly renewal at 10% a year discounts each month by (1.1)^(1/12)
    const monthly = sbgDiscountedExpectedLifetime(params, { annualRate: 0.1, period: 'month' });
    const direct = sbgRetentionCurve(params, 4000).survival.reduce(
      (s, v, t) => s + v / Math.pow(1.1, t / 12),
      0,
    );
    expect(relError(monthly, direct)).toBeLessThan(1e-9);
    // residual lifetime grows with tenure: the survivors are the loyal ones
    expect(sbgDiscountedExpectedResidualLifetime(params, 5, { annualRate: 0.1 })).toBeGreaterThan(derl);
  });

  it('rejects retention data it cannot fit', () => {
    expect(() => fitShiftedBetaGeometric([1000, 600])).toThrow(/^survivorsByPeriod: needs the cohort size/);
    expect(() => fitShiftedBetaGeometric([1000, 600, 700])).toThrow(
      /^survivorsByPeriod\[2\]: must not exceed/,
    );
    expect(() => fitShiftedBetaGeometric([1000, 1000, 1000])).toThrow(/needs some customers to churn/);
    expect(() => fitShiftedBetaGeometric([0, 0, 0])).toThrow(/^survivorsByPeriod\[0\]/);
    expect(() => fitShiftedBetaGeometric([1000, -1, 0])).toThrow(StatsInputError);
    expect(() => sbgRetentionCurve({ alpha: 1, beta: 1 }, 2.5)).toThrow(/^periods: /);
    expect(() => sbgDiscountedExpectedLifetime({ alpha: 1, beta: 1 }, { annualRate: -0.1 })).toThrow(
      /^annualRate/,
    );
  });
});
