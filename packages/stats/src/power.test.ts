import { describe, expect, it } from 'vitest';
import reference from '../fixtures/power.json';
import {
  minimumDetectableEffect,
  powerAnalysis,
  sampleSize,
  sequentialHalfWidthMultiplier,
  type MinimumDetectableEffectInput,
  type PowerInput,
  type SampleSizeInput,
} from './power';
import { sequentialTest } from './sequential';
import { StatsInputError, type EffectEstimate } from './types';

// Reference values come from packages/stats/fixtures/gen_power.py (statsmodels 0.13 + scipy 1.10).

type Case = Record<string, unknown> & { name: string; expected: unknown };
const inputOf = <T>(entry: Case): T => {
  const { name: _name, expected: _expected, ...input } = entry;
  return input as unknown as T;
};
const relClose = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual / expected - 1)).toBeLessThan(tolerance);
};
const findSize = (name: string) => {
  const entry = reference.sampleSize.find((c) => c.name === name);
  if (!entry) throw new Error(`missing fixture ${name}`);
  return entry;
};

describe('powerAnalysis', () => {
  it.each(reference.power.map((c) => [c.name, c] as const))(
    '%s matches the reference power',
    (_name, entry) => {
      const result = powerAnalysis(inputOf<PowerInput>(entry as Case));
      expect(result.power).toBeCloseTo(entry.expected.power, 10);
      expect(result.comparisons.map((c) => c.power)).toHaveLength(entry.expected.comparisons.length);
      result.comparisons.forEach((c, i) =>
        expect(c.power).toBeCloseTo(entry.expected.comparisons[i] ?? NaN, 10),
      );
      expect(result.lift.absolute).toBeCloseTo(entry.expected.absoluteLift, 12);
    },
  );

  it('reports the planned duration in whole days', () => {
    const result = powerAnalysis({
      metric: { type: 'proportion', baselineRate: 0.1 },
      totalUnits: 20000,
      lift: 0.1,
      dailyTraffic: 3000,
    });
    expect(result.durationDays).toBe(7);
    expect(
      powerAnalysis({ metric: { type: 'proportion', baselineRate: 0.1 }, totalUnits: 20000, lift: 0.1 })
        .durationDays,
    ).toBeNull();
  });

  it('has power alpha/2 per tail under no lift (two-sided) and splits alpha with Bonferroni', () => {
    const base = {
      metric: { type: 'mean', baselineMean: 10, standardDeviation: 3 } as const,
      totalUnits: 1000,
      lift: 1e-12,
    };
    expect(powerAnalysis(base).power).toBeCloseTo(0.05, 8);
    const corrected = powerAnalysis({ ...base, armWeights: [1, 1, 1, 1], correction: 'bonferroni' });
    expect(corrected.alphaPerComparison).toBeCloseTo(0.05 / 3, 15);
    expect(corrected.power).toBeCloseTo(0.05 / 3, 8);
  });
});

describe('sampleSize', () => {
  it.each(reference.sampleSize.map((c) => [c.name, c] as const))(
    '%s matches the reference units',
    (_name, entry) => {
      const result = sampleSize(inputOf<SampleSizeInput>(entry as Case));
      relClose(result.exactTotalUnits, entry.expected.exactTotalUnits, 1e-9);
      expect(result.totalUnits).toBe(entry.expected.totalUnits);
      if ('statsmodelsTotalUnits' in entry.expected)
        relClose(result.exactTotalUnits, entry.expected.statsmodelsTotalUnits ?? NaN, 1e-5);
      if ('durationDays' in entry.expected) expect(result.durationDays).toBe(entry.expected.durationDays);
      const target = (entry as { power?: number }).power ?? 0.8;
      expect(result.power).toBeGreaterThanOrEqual(target);
      const oneLess = powerAnalysis({
        ...inputOf<PowerInput>(entry as Case),
        totalUnits: result.totalUnits - 1,
      });
      expect(oneLess.power).toBeLessThan(target);
    },
  );

  it('needs far more traffic with a 10% holdout than with a 50/50 split for the same lift', () => {
    const design = { metric: { type: 'proportion', baselineRate: 0.05 } as const, lift: 0.05 };
    const even = sampleSize({ ...design, treatmentShare: 0.5 });
    const holdout = sampleSize({ ...design, treatmentShare: 0.9 });
    const evenRef = findSize('proportion 50/50 5% relative').expected;
    const holdoutRef = findSize('proportion 10% holdout 5% relative').expected;
    expect(even.totalUnits).toBe(evenRef.totalUnits); // 244,241
    expect(holdout.totalUnits).toBe(holdoutRef.totalUnits); // 665,924
    relClose(
      holdout.exactTotalUnits / even.exactTotalUnits,
      (holdoutRef.statsmodelsTotalUnits ?? NaN) / (evenRef.statsmodelsTotalUnits ?? NaN),
      1e-5,
    );
    expect(holdout.exactTotalUnits / even.exactTotalUnits).toBeGreaterThan(2.7);
    expect(holdout.unitsPerArm).toEqual([
      Math.ceil(0.1 * holdout.totalUnits - 1e-9),
      Math.ceil(0.9 * holdout.totalUnits - 1e-9),
    ]);
  });

  it('needs more units for an always-valid analysis than for a single look', () => {
    const fixed = findSize('proportion 10% holdout 5% relative').expected.totalUnits;
    const sequential = findSize('sequential proportion 10% holdout').expected.totalUnits;
    const result = sampleSize({
      metric: { type: 'proportion', baselineRate: 0.05 },
      treatmentShare: 0.9,
      lift: 0.05,
      sequential: { tuning: 5000 },
    });
    expect(result.totalUnits).toBe(sequential);
    expect(result.totalUnits / fixed).toBeGreaterThan(2);
  });

  it('agrees with the t-test and Cohen-h approximations where they should', () => {
    const t = reference.crossChecks.tTestMean;
    relClose(sampleSize(t as unknown as SampleSizeInput).exactTotalUnits, t.tTestTotalUnits, 1e-4);
    // The arcsine transform is a different approximation: a couple of percent apart at a 5% base rate.
    const h = reference.crossChecks.cohensH;
    relClose(sampleSize(h as unknown as SampleSizeInput).exactTotalUnits, h.cohensHTotalUnits, 0.03);
  });
});

describe('minimumDetectableEffect', () => {
  it.each(reference.mde.map((c) => [c.name, c] as const))('%s matches the reference lift', (_name, entry) => {
    const result = minimumDetectableEffect(inputOf<MinimumDetectableEffectInput>(entry as Case));
    relClose(result.lift.absolute, entry.expected.absolute, 1e-9);
    relClose(result.lift.relative ?? NaN, entry.expected.relative, 1e-9);
    result.comparisons.forEach((c, i) =>
      relClose(c.lift.absolute, entry.expected.comparisons[i] ?? NaN, 1e-9),
    );
    if ('durationDays' in entry.expected) expect(result.durationDays).toBe(entry.expected.durationDays);
  });

  it('inverts sampleSize', () => {
    const design = {
      metric: { type: 'mean', baselineMean: 80, standardDeviation: 120 } as const,
      treatmentShare: 0.9,
    };
    const { exactTotalUnits } = sampleSize({ ...design, lift: 0.02 });
    expect(minimumDetectableEffect({ ...design, totalUnits: exactTotalUnits }).lift.relative).toBeCloseTo(
      0.02,
      9,
    );
  });

  it('throws when no conversion lift can reach the power', () => {
    expect(() =>
      minimumDetectableEffect({ metric: { type: 'proportion', baselineRate: 0.5 }, totalUnits: 4 }),
    ).toThrow(StatsInputError);
  });
});

describe('sequentialHalfWidthMultiplier', () => {
  it.each(
    reference.multiplier.map(
      (c) => [`${c.alternative} n=${c.n} alpha=${c.alpha} N*=${c.tuning}`, c] as const,
    ),
  )('%s', (_name, entry) => {
    const value = sequentialHalfWidthMultiplier(
      entry.n,
      entry.alpha,
      entry.tuning,
      entry.alternative as 'two-sided',
    );
    relClose(value, entry.expected, 1e-12);
  });

  it('matches the half-width of the sequential analysis the plan is for', () => {
    const unitEffect = (n: number): EffectEstimate => ({
      difference: 'absolute',
      estimate: 0,
      se: 1,
      dof: Infinity,
      controlMean: 0,
      treatmentMean: 0,
      controlN: n / 2,
      treatmentN: n / 2,
    });
    for (const entry of reference.multiplier) {
      const alternative = entry.alternative as 'two-sided' | 'greater' | 'less';
      const { ci } = sequentialTest(unitEffect(entry.n), {
        alpha: entry.alpha,
        tuning: entry.tuning,
        alternative,
      });
      const halfWidth = alternative === 'less' ? ci[1] : -ci[0];
      relClose(
        sequentialHalfWidthMultiplier(entry.n, entry.alpha, entry.tuning, alternative),
        halfWidth,
        1e-12,
      );
    }
  });

  it('defaults the tuning to 5000 units, as the analysis does', () => {
    const design = {
      metric: { type: 'mean', baselineMean: 80, standardDeviation: 120 } as const,
      lift: 0.02,
    };
    expect(sampleSize({ ...design, sequential: {} }).exactTotalUnits).toBe(
      sampleSize({ ...design, sequential: { tuning: 5000 } }).exactTotalUnits,
    );
    expect(sequentialHalfWidthMultiplier(1000, 0.05)).toBe(sequentialHalfWidthMultiplier(1000, 0.05, 5000));
  });

  it('is wider than the fixed-horizon z quantile', () => {
    for (const n of [100, 5000, 1e6]) expect(sequentialHalfWidthMultiplier(n, 0.05)).toBeGreaterThan(1.96);
  });
});

describe('input validation', () => {
  const proportion = { type: 'proportion', baselineRate: 0.1 } as const;
  const cases: Array<[string, () => unknown, string]> = [
    [
      'share of 1',
      () => powerAnalysis({ metric: proportion, treatmentShare: 1, totalUnits: 100, lift: 0.1 }),
      'treatmentShare',
    ],
    ['share of 0', () => sampleSize({ metric: proportion, treatmentShare: 0, lift: 0.1 }), 'treatmentShare'],
    [
      'baseline rate 0',
      () => sampleSize({ metric: { type: 'proportion', baselineRate: 0 }, lift: 0.1 }),
      'metric.baselineRate',
    ],
    [
      'negative sd',
      () => sampleSize({ metric: { type: 'mean', baselineMean: 1, standardDeviation: -1 }, lift: 0.1 }),
      'metric.standardDeviation',
    ],
    [
      'zero mean with relative lift',
      () => sampleSize({ metric: { type: 'mean', baselineMean: 0, standardDeviation: 1 }, lift: 0.1 }),
      'metric.baselineMean',
    ],
    ['alpha 0', () => sampleSize({ metric: proportion, alpha: 0, lift: 0.1 }), 'alpha'],
    ['power below alpha', () => sampleSize({ metric: proportion, power: 0.01, lift: 0.1 }), 'power'],
    ['zero lift', () => sampleSize({ metric: proportion, lift: 0 }), 'lift'],
    [
      'lift against alternative',
      () => sampleSize({ metric: proportion, alternative: 'greater', lift: -0.1 }),
      'lift',
    ],
    ['rate beyond 100%', () => powerAnalysis({ metric: proportion, totalUnits: 100, lift: 9.5 }), 'lift'],
    [
      'both shares and weights',
      () => sampleSize({ metric: proportion, treatmentShare: 0.9, armWeights: [1, 9], lift: 0.1 }),
      'armWeights',
    ],
    ['single arm', () => sampleSize({ metric: proportion, armWeights: [1], lift: 0.1 }), 'armWeights'],
    [
      'negative weight',
      () => sampleSize({ metric: proportion, armWeights: [1, -1], lift: 0.1 }),
      'armWeights[1]',
    ],
    [
      'zero tuning',
      () => sampleSize({ metric: proportion, sequential: { tuning: 0 }, lift: 0.1 }),
      'sequential.tuning',
    ],
    ['no units', () => powerAnalysis({ metric: proportion, totalUnits: 0, lift: 0.1 }), 'totalUnits'],
    [
      'negative traffic',
      () => minimumDetectableEffect({ metric: proportion, totalUnits: 100, dailyTraffic: -5 }),
      'dailyTraffic',
    ],
    ['NaN lift', () => powerAnalysis({ metric: proportion, totalUnits: 100, lift: Number.NaN }), 'lift'],
  ];
  it.each(cases)('%s', (_name, run, field) => {
    expect(run).toThrow(StatsInputError);
    try {
      run();
    } catch (error) {
      expect((error as StatsInputError).field).toBe(field);
    }
  });
});
