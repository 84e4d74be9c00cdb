import { describe, expect, it } from 'vitest';
import reference from '../../fixtures/clv_cdnow.json';
import {
  fitGammaGamma,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  type GammaGammaParams,
} from './gamma-gamma';

// Expected spend against the published formula evaluated in fixtures/gen_clv.py at the scipy estimates.

const ref = reference.gammaGamma;
const params: GammaGammaParams = ref.scipy;
const relError = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe('Gamma-Gamma spend', () => {
  it.each(ref.expectedSpend.filter((c) => c.x > 0).map((c) => [`x=${c.x} mean=${c.mean}`, c] as const))(
    'expected spend for %s',
    (_name, c) => {
      expect(relError(gammaGammaExpectedSpend(params, c.x, c.mean), c.expected)).toBeLessThan(1e-14);
    },
  );

  it('falls back to the population mean pγ/(q − 1) without repeat purchases', () => {
    expect(relError(gammaGammaExpectedSpend(params, 0, 0), ref.populationMeanSpend)).toBeLessThan(1e-14);
    // and shrinks a customer's own mean towards it, less so the more purchases back it
    const own = 80;
    const few = gammaGammaExpectedSpend(params, 1, own);
    const many = gammaGammaExpectedSpend(params, 30, own);
    expect(few).toBeLessThan(many);
    expect(many).toBeLessThan(own);
    expect(few).toBeGreaterThan(ref.populationMeanSpend);
  });

  it('fits columns, skips customers without repeat purchases and reports the spend-frequency correlation', () => {
    const x = [1, 2, 5, 1, 3, 0, 8, 2, 1, 4, 0, 6];
    const mean = [20, 35, 28, 60, 41, 0, 25, 30, 15, 50, 0, 33];
    const fit = fitGammaGamma({ x, mean });
    expect(fit.customers).toBe(10);
    const rows = fitGammaGamma(x.map((xi, i) => ({ x: xi, mean: mean[i] as number })));
    expect(rows.logLikelihood).toBeCloseTo(fit.logLikelihood, 10);
    expect(fit.logLikelihood).toBeCloseTo(gammaGammaLogLikelihood(fit, { x, mean }), 10);
    // a fitted maximum: nudging any parameter lowers the likelihood
    for (const key of ['p', 'q', 'gamma'] as const) {
      for (const f of [0.99, 1.01]) {
        expect(gammaGammaLogLikelihood({ ...fit, [key]: fit[key] * f }, { x, mean })).toBeLessThan(
          fit.logLikelihood,
        );
      }
    }
    const used = x.map((xi, i) => [xi, mean[i] as number]).filter(([xi]) => (xi as number) > 0);
    const mx = used.reduce((s, [a]) => s + (a as number), 0) / used.length;
    const mm = used.reduce((s, [, b]) => s + (b as number), 0) / used.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (const [a, b] of used) {
      sxy += ((a as number) - mx) * ((b as number) - mm);
      sxx += ((a as number) - mx) ** 2;
      syy += ((b as number) - mm) ** 2;
    }
    expect(fit.frequencySpendCorrelation).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 12);
  });

  it('rejects invalid input with the field at fault', () => {
    expect(() => fitGammaGamma([{ x: 2, mean: 0 }])).toThrow(/^customers\[0\]\.mean: /);
    expect(() => fitGammaGamma([{ x: 2, mean: 10 }])).toThrow(/at least two customers/);
    expect(() => fitGammaGamma({ x: [1, 2], mean: [3] })).toThrow(/^mean: must have one value per customer/);
    expect(() => gammaGammaExpectedSpend({ p: 1, q: 0.5, gamma: 2 }, 0, 0)).toThrow(
      /^params.q: must exceed 1/,
    );
    expect(() => gammaGammaExpectedSpend(params, 2, -5)).toThrow(/^mean: /);
  });
});
