import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/engines_multiple_testing.json';
import { type MultipleTestingMethod, adjustPValues, adjustedAlphas } from './multiple-testing';
import { StatsInputError } from './types';

// Reference values: statsmodels.stats.multitest.multipletests ('holm', 'fdr_bh'), via fixtures/gen_engines.py.

function expectAllClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i] as number;
    expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(e, 1e-300));
  });
}

describe('adjustPValues and adjustedAlphas: statsmodels reference', () => {
  for (const c of fixtures.cases) {
    it(c.name, () => {
      expectAllClose(adjustPValues(c.pValues, 'holm'), c.expected.holm);
      expectAllClose(adjustPValues(c.pValues, 'bh'), c.expected.bh);
      expect(adjustPValues(c.pValues, 'none')).toEqual(c.pValues);
      expectAllClose(adjustedAlphas(c.pValues, 'holm', c.alpha), c.expected.holmAlphas);
      expectAllClose(adjustedAlphas(c.pValues, 'bh', c.alpha), c.expected.bhAlphas);
      expect(adjustedAlphas(c.pValues, 'none', c.alpha)).toEqual(c.pValues.map(() => c.alpha));
    });
  }
});

describe('adjustPValues: behaviour', () => {
  it('never lowers a p-value and keeps the order of the input', () => {
    const p = [0.04, 0.001, 0.3, 0.02, 0.8];
    for (const method of ['holm', 'bh'] as const) {
      const adjusted = adjustPValues(p, method);
      adjusted.forEach((a, i) => expect(a).toBeGreaterThanOrEqual(p[i] as number));
      expect(adjusted[1]).toBeLessThanOrEqual(adjusted[3] as number);
    }
    expectAllClose(adjustPValues(p, 'holm'), [0.12, 0.005, 0.6, 0.08, 0.8]);
  });

  it('is Holm ≥ BH, and equal to the input for a single comparison', () => {
    const p = [0.01, 0.02, 0.03, 0.5];
    const holm = adjustPValues(p, 'holm');
    adjustPValues(p, 'bh').forEach((b, i) => expect(holm[i]).toBeGreaterThanOrEqual(b));
    expect(adjustPValues([0.037], 'holm')).toEqual([0.037]);
    expect(adjustPValues([0.037], 'bh')).toEqual([0.037]);
  });

  it('returns a new array and accepts an empty list', () => {
    const p = [0.2, 0.1];
    expect(adjustPValues(p, 'none')).not.toBe(p);
    expect(adjustPValues([], 'holm')).toEqual([]);
    expect(adjustedAlphas([], 'bh')).toEqual([]);
  });
});

describe('adjustedAlphas: behaviour', () => {
  it('uses α/m for Holm and α·R/m for BH', () => {
    const p = [0.001, 0.008, 0.039, 0.041, 0.6];
    expect(adjustedAlphas(p, 'holm', 0.05)).toEqual(p.map(() => 0.01));
    // BH at 0.05 rejects the two smallest (0.039 > 3·0.05/5 = 0.03 and 0.041 > 0.04)
    expect(adjustedAlphas(p, 'bh', 0.05)).toEqual(p.map(() => (0.05 * 2) / 5));
    // nothing rejected: fall back to α/m
    expect(adjustedAlphas([0.5, 0.9], 'bh', 0.05)).toEqual([0.025, 0.025]);
    // defaults to α = 0.05
    expect(adjustedAlphas([0.5, 0.9], 'holm')).toEqual([0.025, 0.025]);
  });
});

describe('multiple testing: input validation', () => {
  const cases: [string, () => unknown, string][] = [
    ['a p-value above 1', () => adjustPValues([0.2, 1.5], 'holm'), 'pValues[1]'],
    ['a negative p-value', () => adjustPValues([-0.1], 'bh'), 'pValues[0]'],
    ['a NaN p-value', () => adjustPValues([NaN], 'none'), 'pValues[0]'],
    ['an unknown method', () => adjustPValues([0.1], 'bonferroni' as MultipleTestingMethod), 'method'],
    ['alpha 0', () => adjustedAlphas([0.1], 'holm', 0), 'alpha'],
    ['alpha above 1', () => adjustedAlphas([0.1], 'bh', 2), 'alpha'],
    ['a bad p-value in adjustedAlphas', () => adjustedAlphas([2], 'bh', 0.05), 'pValues[0]'],
  ];
  for (const [name, run, field] of cases) {
    it(`rejects ${name}`, () => {
      expect(run).toThrow(StatsInputError);
      expect(run).toThrow(expect.objectContaining({ field }));
    });
  }
});
