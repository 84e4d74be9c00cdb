import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/engines_sequential.json';
import { sequentialTest } from './sequential';
import { type Alternative, type EffectEstimate, StatsInputError } from './types';

// Reference values: fixtures/gen_engines.py (mpmath evaluation of the published formulas, p-values by bisection
// on their definition) and GrowthBook's published gbstats test cases.

type Bound = number | null;
interface Case {
  name: string;
  effect: EffectEstimate | (Omit<EffectEstimate, 'difference'> & { difference: string });
  options: { alpha: number; alternative: string; tuning: number };
  expected: { estimate: number; se: number; ci: Bound[]; pValue: number };
}

const asEffect = (e: Case['effect']): EffectEstimate => e as EffectEstimate;
const asOptions = (o: Case['options']) => ({ ...o, alternative: o.alternative as Alternative });
const bound = (b: Bound | undefined, side: 0 | 1): number =>
  b === null || b === undefined ? (side === 0 ? -Infinity : Infinity) : b;

/** |actual − expected| ≤ max(absolute, relative·|expected|). */
function expectClose(actual: number, expected: number, relative: number, absolute = 0): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  const tolerance = Math.max(absolute, relative * Math.abs(expected));
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function effect(estimate: number, se: number, controlN = 1000, treatmentN = 1000): EffectEstimate {
  return {
    difference: 'absolute',
    estimate,
    se,
    dof: Infinity,
    controlMean: 1,
    treatmentMean: 1 + estimate,
    controlN,
    treatmentN,
  };
}

describe('sequentialTest: GrowthBook published cases', () => {
  for (const c of fixtures.published) {
    it(c.name, () => {
      const result = sequentialTest(asEffect(c.effect), asOptions(c.options));
      const tolerance = 0.5 * 10 ** -c.decimals + 1e-12;
      expect(Math.abs(result.estimate - c.published.estimate)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(result.se - c.published.se)).toBeLessThanOrEqual(tolerance);
      for (const side of [0, 1] as const) {
        const published = bound(c.published.ci[side], side);
        if (Number.isFinite(published)) {
          expect(Math.abs(result.ci[side] - published)).toBeLessThanOrEqual(tolerance);
        } else {
          expect(result.ci[side]).toBe(published);
        }
      }
      const pub = c.published as { pValue?: number; pValueAtLeast?: number };
      if (pub.pValue !== undefined) {
        const pTolerance = (c as { pValueTolerance?: number }).pValueTolerance ?? tolerance;
        expect(Math.abs(result.pValue - pub.pValue)).toBeLessThanOrEqual(pTolerance);
      } else {
        // gbstats searches one-sided p-values only up to 0.4999 and reports that cap.
        expect(result.pValue).toBeGreaterThanOrEqual(pub.pValueAtLeast as number);
      }
    });
  }
});

describe('sequentialTest: reference grid', () => {
  const cases = [...fixtures.grid, ...fixtures.zeroSe] as Case[];
  for (const c of cases) {
    it(c.name, () => {
      const result = sequentialTest(asEffect(c.effect), asOptions(c.options));
      expect(result.estimate).toBe(c.expected.estimate);
      expect(result.se).toBe(c.expected.se);
      expectClose(result.ci[0], bound(c.expected.ci[0], 0), 1e-10, 1e-13);
      expectClose(result.ci[1], bound(c.expected.ci[1], 1), 1e-10, 1e-13);
      // relative accuracy all the way into the tail (p down to 1e-134 in the grid)
      expectClose(result.pValue, c.expected.pValue, 1e-9, 1e-300);
      expect(result.alpha).toBe(c.options.alpha);
      expect(result.alternative).toBe(c.options.alternative);
      expect(result.tuning).toBe(c.options.tuning);
    });
  }

  it('rejects (p < alpha) exactly when the interval excludes zero', () => {
    for (const c of fixtures.grid as Case[]) {
      const result = sequentialTest(asEffect(c.effect), asOptions(c.options));
      const excludesZero = result.ci[0] > 0 || result.ci[1] < 0;
      expect(result.pValue < result.alpha, c.name).toBe(excludesZero);
    }
  });

  it('is always wider than the fixed-horizon normal interval at the same alpha', () => {
    const z975 = 1.959963984540054; // Φ⁻¹(0.975)
    const z95 = 1.6448536269514722; // Φ⁻¹(0.95)
    for (const n of [2, 100, 5000, 1e6]) {
      const twoSided = sequentialTest(effect(0, 1, n / 2, n / 2));
      expect(twoSided.ci[1]).toBeGreaterThan(z975);
      const greater = sequentialTest(effect(0, 1, n / 2, n / 2), { alternative: 'greater' });
      expect(greater.ci[0]).toBeLessThan(-z95);
      expect(greater.ci[1]).toBe(Infinity);
      const less = sequentialTest(effect(0, 1, n / 2, n / 2), { alternative: 'less' });
      expect(less.ci[0]).toBe(-Infinity);
      expect(less.ci[1]).toBeCloseTo(-greater.ci[0], 12);
    }
  });
});

describe('sequentialTest: behaviour', () => {
  it('defaults to alpha 0.05, two-sided, N* = 5,000', () => {
    const result = sequentialTest(effect(0.1, 0.05));
    expect(result).toMatchObject({ alpha: 0.05, alternative: 'two-sided', tuning: 5000 });
    expect(result.ci).toEqual(sequentialTest(effect(0.1, 0.05), { alpha: 0.05, tuning: 5000 }).ci);
  });

  it('is tightest when N* is near the actual enrollment (gbstats test_sequential_test_tuning_as_expected)', () => {
    const base = fixtures.published[0] as Case;
    const widthAt = (tuning: number) => {
      const r = sequentialTest(asEffect(base.effect), { tuning });
      return r.ci[1] - r.ci[0];
    };
    const enrolled = base.effect.controlN + base.effect.treatmentN;
    expect(widthAt(enrolled)).toBeLessThan(widthAt(10));
    expect(widthAt(enrolled)).toBeLessThan(widthAt(10000));
    expect(widthAt(10000)).toBeLessThan(widthAt(10));
  });

  it('narrows as enrollment grows for a fixed per-unit spread', () => {
    const widths = [200, 2000, 20000, 200000].map((n) => {
      const r = sequentialTest(effect(0, 3 / Math.sqrt(n / 2) / Math.SQRT2, n / 2, n / 2));
      return r.ci[1] - r.ci[0];
    });
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeLessThan(widths[i - 1] as number);
  });

  it('gives a smaller p-value to a stronger effect and never a NaN for a huge z', () => {
    const p = [2, 4, 8, 16, 32].map((z) => sequentialTest(effect(z * 0.1, 0.1)).pValue);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeLessThan(p[i - 1] as number);
    const huge = sequentialTest(effect(1e300, 1e-300));
    expect(huge.pValue).toBe(0);
    expect(huge.ci[0]).toBe(1e300);
    const hugeOneSided = sequentialTest(effect(-1e300, 1e-300), { alternative: 'less' });
    expect(hugeOneSided.pValue).toBe(0);
    const tinyEffect = sequentialTest(effect(1e-300, 1), { alternative: 'greater' });
    expect(tinyEffect.pValue).toBe(1);
  });

  it('handles a single unit per arm', () => {
    const result = sequentialTest(effect(2, 1.5, 1, 1));
    expect(Number.isFinite(result.ci[0]) && Number.isFinite(result.ci[1])).toBe(true);
    expect(result.pValue).toBeGreaterThan(0.05);
  });

  it('carries a relative effect through unchanged in its own units', () => {
    const relative: EffectEstimate = { ...effect(0.04, 0.01), difference: 'relative', controlMean: 0.1 };
    const absolute = effect(0.04, 0.01);
    expect(sequentialTest(relative)).toEqual(sequentialTest(absolute));
  });
});

describe('sequentialTest: input validation', () => {
  const cases: [string, () => unknown, string][] = [
    ['NaN estimate', () => sequentialTest(effect(NaN, 1)), 'effect.estimate'],
    ['infinite estimate', () => sequentialTest(effect(Infinity, 1)), 'effect.estimate'],
    ['negative se', () => sequentialTest(effect(1, -0.1)), 'effect.se'],
    ['NaN se', () => sequentialTest(effect(1, NaN)), 'effect.se'],
    ['empty holdout', () => sequentialTest(effect(1, 1, 0, 10)), 'effect.controlN'],
    ['empty variant', () => sequentialTest(effect(1, 1, 10, 0)), 'effect.treatmentN'],
    ['alpha 0', () => sequentialTest(effect(1, 1), { alpha: 0 }), 'alpha'],
    ['alpha 1', () => sequentialTest(effect(1, 1), { alpha: 1 }), 'alpha'],
    ['alpha NaN', () => sequentialTest(effect(1, 1), { alpha: NaN }), 'alpha'],
    [
      'one-sided alpha 0.5',
      () => sequentialTest(effect(1, 1), { alpha: 0.5, alternative: 'greater' }),
      'alpha',
    ],
    ['tuning 0', () => sequentialTest(effect(1, 1), { tuning: 0 }), 'tuning'],
    ['tuning Infinity', () => sequentialTest(effect(1, 1), { tuning: Infinity }), 'tuning'],
    [
      'unknown alternative',
      () => sequentialTest(effect(1, 1), { alternative: 'bigger' as Alternative }),
      'alternative',
    ],
  ];
  for (const [name, run, field] of cases) {
    it(`rejects ${name}`, () => {
      expect(run).toThrow(StatsInputError);
      expect(run).toThrow(expect.objectContaining({ field }));
    });
  }

  it('accepts a two-sided alpha of 0.5 and above', () => {
    expect(sequentialTest(effect(1, 1), { alpha: 0.6 }).ci[0]).toBeGreaterThan(-1);
  });
});
