import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/engines_bayesian.json';
import { type BayesianOptions, bayesianTest } from './bayesian';
import { type EffectEstimate, StatsInputError } from './types';

// Reference values: fixtures/gen_engines.py (scipy.stats.norm, risk by scipy.integrate.quad or mpmath
// quadrature in the far tail) and GrowthBook's published EffectBayesianABTest cases.

interface Case {
  name: string;
  effect: Omit<EffectEstimate, 'difference'> & { difference: string };
  options: BayesianOptions;
  expected: {
    estimate: number;
    se: number;
    ci: number[];
    chanceToWin: number;
    risk: { control: number; treatment: number };
  };
}

const asEffect = (e: Case['effect']): EffectEstimate => e as EffectEstimate;

/** |actual − expected| ≤ max(absolute, relative·|expected|). */
function expectClose(actual: number, expected: number, relative: number, absolute = 0): void {
  const tolerance = Math.max(absolute, relative * Math.abs(expected));
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function effect(estimate: number, se: number): EffectEstimate {
  return {
    difference: 'absolute',
    estimate,
    se,
    dof: Infinity,
    controlMean: 1,
    treatmentMean: 1 + estimate,
    controlN: 500,
    treatmentN: 500,
  };
}

describe('bayesianTest: GrowthBook published cases (5 decimals)', () => {
  for (const c of fixtures.published) {
    it(c.name, () => {
      const result = bayesianTest(asEffect(c.effect), c.options as BayesianOptions);
      const close = (actual: number, published: number) =>
        expect(Math.abs(actual - published), `${actual} vs ${published}`).toBeLessThanOrEqual(0.5e-5 + 1e-12);
      close(result.estimate, c.published.estimate);
      close(result.se, c.published.se);
      close(result.ci[0], c.published.ci[0] as number);
      close(result.ci[1], c.published.ci[1] as number);
      close(result.chanceToWin, c.published.chanceToWin);
      close(result.risk.control, c.published.risk.control);
      close(result.risk.treatment, c.published.risk.treatment);
    });
  }
});

describe('bayesianTest: reference grid', () => {
  for (const c of [...fixtures.grid, ...fixtures.zeroSe] as Case[]) {
    it(c.name, () => {
      const result = bayesianTest(asEffect(c.effect), c.options);
      expectClose(result.estimate, c.expected.estimate, 1e-12, 1e-15);
      expectClose(result.se, c.expected.se, 1e-12);
      expectClose(result.ci[0], c.expected.ci[0] as number, 1e-10, 1e-14);
      expectClose(result.ci[1], c.expected.ci[1] as number, 1e-10, 1e-14);
      // chance to win and risk keep relative accuracy far into the tail (down to 1e-200 in the grid)
      expectClose(result.chanceToWin, c.expected.chanceToWin, 1e-9, 1e-300);
      expectClose(result.risk.control, c.expected.risk.control, 1e-8, 1e-300);
      expectClose(result.risk.treatment, c.expected.risk.treatment, 1e-8, 1e-300);
    });
  }
});

describe('bayesianTest: behaviour', () => {
  it('risk of holdout minus risk of variant equals the posterior mean, and both are non-negative', () => {
    for (const [estimate, se] of [
      [0.3, 0.2],
      [-0.3, 0.2],
      [0, 1],
      [5, 0.1],
      [-5, 0.1],
      [1e-9, 1e-3],
    ] as const) {
      const { risk, estimate: mean } = bayesianTest(effect(estimate, se));
      expect(risk.control).toBeGreaterThanOrEqual(0);
      expect(risk.treatment).toBeGreaterThanOrEqual(0);
      expectClose(risk.control - risk.treatment, mean, 1e-12, 1e-15);
    }
  });

  it('without a prior reports the estimate and its standard error', () => {
    const result = bayesianTest(effect(0.12, 0.04));
    expect(result.estimate).toBe(0.12);
    expect(result.se).toBe(0.04);
    expectClose(result.ci[0], 0.12 - 1.959963984540054 * 0.04, 1e-12);
    expectClose(result.chanceToWin, 0.9986501019683699, 1e-12); // Φ(3)
  });

  it('moves from the data to the prior as the prior tightens', () => {
    const wide = bayesianTest(effect(0.2, 0.05), { prior: { mean: 0, variance: 1e6 } });
    expectClose(wide.estimate, 0.2, 1e-8);
    expectClose(wide.se, 0.05, 1e-8);
    const tight = bayesianTest(effect(0.2, 0.05), { prior: { mean: -0.1, variance: 1e-12 } });
    expectClose(tight.estimate, -0.1, 1e-6);
    const equal = bayesianTest(effect(0.2, 0.05), { prior: { mean: 0, variance: 0.0025 } });
    expectClose(equal.estimate, 0.1, 1e-12);
    expectClose(equal.se, 0.05 / Math.SQRT2, 1e-12);
  });

  it('widens the credible interval as alpha shrinks', () => {
    const widths = [0.2, 0.05, 0.01, 1e-6, 1e-20].map((alpha) => {
      const { ci } = bayesianTest(effect(0, 1), { alpha });
      return ci[1] - ci[0];
    });
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThan(widths[i - 1] as number);
    expect(Number.isFinite(widths[widths.length - 1])).toBe(true);
  });

  it('stays finite for extreme standard errors', () => {
    const tiny = bayesianTest(effect(0.5, 1e-200), { prior: { mean: 0, variance: 1 } });
    expect(tiny.estimate).toBe(0.5);
    expect(tiny.se).toBeCloseTo(1e-200, 210);
    expect(tiny.chanceToWin).toBe(1);
    const huge = bayesianTest(effect(0.5, 1e200), { prior: { mean: 0.1, variance: 1 } });
    expectClose(huge.estimate, 0.1, 1e-12);
    expectClose(huge.se, 1, 1e-12);
    const farTail = bayesianTest(effect(-1, 1e-3));
    expect(farTail.chanceToWin).toBe(0);
    expect(farTail.risk.control).toBe(0);
    expect(farTail.risk.treatment).toBe(1);
  });

  it('treats a zero standard error as a point mass at the estimate, whatever the prior', () => {
    const result = bayesianTest(effect(0.25, 0), { prior: { mean: 1, variance: 0.01 } });
    expect(result).toEqual({
      estimate: 0.25,
      se: 0,
      ci: [0.25, 0.25],
      chanceToWin: 1,
      risk: { control: 0.25, treatment: 0 },
    });
    expect(bayesianTest(effect(0, 0)).chanceToWin).toBe(0.5);
  });
});

describe('bayesianTest: input validation', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'a prior with zero variance',
      () => bayesianTest(effect(1, 1), { prior: { mean: 0, variance: 0 } }),
      'prior.variance',
    ],
    [
      'a prior with negative variance',
      () => bayesianTest(effect(1, 1), { prior: { mean: 0, variance: -1 } }),
      'prior.variance',
    ],
    [
      'a prior with infinite variance',
      () => bayesianTest(effect(1, 1), { prior: { mean: 0, variance: Infinity } }),
      'prior.variance',
    ],
    [
      'a prior with NaN mean',
      () => bayesianTest(effect(1, 1), { prior: { mean: NaN, variance: 1 } }),
      'prior.mean',
    ],
    ['NaN estimate', () => bayesianTest(effect(NaN, 1)), 'effect.estimate'],
    ['negative se', () => bayesianTest(effect(1, -1)), 'effect.se'],
    ['infinite se', () => bayesianTest(effect(1, Infinity)), 'effect.se'],
    ['alpha 0', () => bayesianTest(effect(1, 1), { alpha: 0 }), 'alpha'],
    ['alpha 1', () => bayesianTest(effect(1, 1), { alpha: 1 }), 'alpha'],
  ];
  for (const [name, run, field] of cases) {
    it(`rejects ${name}`, () => {
      expect(run).toThrow(StatsInputError);
      expect(run).toThrow(expect.objectContaining({ field }));
    });
  }
});
