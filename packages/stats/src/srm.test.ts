import { describe, expect, it } from 'vitest';
import fixtures from '../fixtures/engines_srm.json';
import { srmTest } from './srm';
import { StatsInputError } from './types';

// Reference values: scipy.stats.chisquare, via fixtures/gen_engines.py.

describe('srmTest: scipy.stats.chisquare reference', () => {
  for (const c of fixtures.cases) {
    it(c.name, () => {
      const result = srmTest(c.counts, c.weights);
      expect(Math.abs(result.chiSquare - c.expected.chiSquare)).toBeLessThanOrEqual(
        1e-12 * Math.max(1, c.expected.chiSquare),
      );
      expect(result.dof).toBe(c.expected.dof);
      // relative accuracy into the far tail (p ≈ 3e-87 in one case; 0 below double range)
      expect(
        Math.abs(result.pValue - c.expected.pValue),
        `${result.pValue} vs ${c.expected.pValue}`,
      ).toBeLessThanOrEqual(Math.max(1e-300, 1e-9 * c.expected.pValue));
      expect(result.flagged).toBe(c.expected.flagged);
    });
  }
});

describe('srmTest: behaviour', () => {
  it('normalises the weights', () => {
    expect(srmTest([480, 520], [1, 1])).toEqual(srmTest([480, 520], [0.5, 0.5]));
    expect(srmTest([300, 700], [3, 7])).toEqual(srmTest([300, 700], [30, 70]));
  });

  it('does not flag an experiment with no enrollment yet', () => {
    expect(srmTest([0, 0, 0], [1, 1, 2])).toEqual({ chiSquare: 0, dof: 2, pValue: 1, flagged: false });
  });

  it('flags at p < 0.001 by default and honours a custom threshold', () => {
    // χ² = 9.9 on 1 dof: p ≈ 0.00165
    expect(srmTest([10000, 10450], [1, 1]).flagged).toBe(false);
    expect(srmTest([10000, 10450], [1, 1], { threshold: 0.01 }).flagged).toBe(true);
  });
});

describe('srmTest: input validation', () => {
  const cases: [string, () => unknown, string][] = [
    ['a single arm', () => srmTest([10], [1]), 'counts'],
    ['no arms', () => srmTest([], []), 'counts'],
    ['mismatched lengths', () => srmTest([10, 10], [1, 1, 1]), 'weights'],
    ['a negative count', () => srmTest([10, -1], [1, 1]), 'counts[1]'],
    ['a fractional count', () => srmTest([10.5, 10], [1, 1]), 'counts[0]'],
    ['a NaN count', () => srmTest([10, NaN], [1, 1]), 'counts[1]'],
    ['a zero weight', () => srmTest([10, 10], [1, 0]), 'weights[1]'],
    ['a negative weight', () => srmTest([10, 10], [-1, 1]), 'weights[0]'],
    ['an infinite weight', () => srmTest([10, 10], [1, Infinity]), 'weights[1]'],
    ['threshold 0', () => srmTest([10, 10], [1, 1], { threshold: 0 }), 'threshold'],
    ['threshold 1', () => srmTest([10, 10], [1, 1], { threshold: 1 }), 'threshold'],
  ];
  for (const [name, run, field] of cases) {
    it(`rejects ${name}`, () => {
      expect(run).toThrow(StatsInputError);
      expect(run).toThrow(expect.objectContaining({ field }));
    });
  }
});
