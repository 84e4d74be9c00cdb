import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiftEstimate } from '@liftlab/contracts';
import { compareArms, spendPer, type ArmStats } from './reactivation';

/** Reference values: fixtures/gen_sequence_results.py (scipy), from the arms' units. */
interface Case {
  alpha?: number;
  treated: ArmStats;
  holdout: ArmStats;
  absoluteLift: LiftEstimate;
  relativeLift: LiftEstimate;
  incrementalReactivated: LiftEstimate;
  incrementalRevenue: LiftEstimate;
}
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'sequence_results.json'), 'utf8')) as {
  alpha: number;
  expected: Case & { armStats: { treated: ArmStats; holdout: ArmStats }; smallCase: Case };
};
const simulated: Case = {
  ...fixture.expected,
  alpha: fixture.alpha,
  treated: fixture.expected.armStats.treated,
  holdout: fixture.expected.armStats.holdout,
};

function expectLift(actual: LiftEstimate | null, expected: LiftEstimate): void {
  expect(actual).not.toBeNull();
  const close = (a: number, b: number, rel: number) =>
    expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));
  close(actual!.estimate, expected.estimate, 1e-12);
  close(actual!.se, expected.se, 1e-12);
  close(actual!.ci[0], expected.ci[0], 1e-9);
  close(actual!.ci[1], expected.ci[1], 1e-9);
  close(actual!.pValue, expected.pValue, 1e-8);
}

describe('compareArms', () => {
  for (const [name, c] of [
    ['the simulated sequence (alpha 0.05)', simulated],
    ['a small comparison (alpha 0.10)', fixture.expected.smallCase],
  ] as const) {
    it(`matches scipy on ${name}`, () => {
      const r = compareArms(c.treated, c.holdout, c.alpha ?? 0.05);
      expect(r.notMeasurable).toBeNull();
      expectLift(r.absoluteLift, c.absoluteLift);
      expectLift(r.relativeLift, c.relativeLift);
      expectLift(r.incrementalReactivated, c.incrementalReactivated);
      expectLift(r.incrementalRevenue, c.incrementalRevenue);
    });
  }

  it('has no relative lift when no holdout enrollment reactivated', () => {
    const r = compareArms(
      { n: 10, reactivated: 3, revenueSum: 30, revenueSumSquares: 300 },
      { n: 10, reactivated: 0, revenueSum: 0, revenueSumSquares: 0 },
      0.05,
    );
    expect(r.relativeLift).toBeNull();
    expect(r.absoluteLift!.estimate).toBeCloseTo(0.3, 12);
    expect(r.incrementalReactivated!.estimate).toBeCloseTo(3, 12);
  });

  it('says which arm is too small to compare', () => {
    const arm = { n: 5, reactivated: 1, revenueSum: 0, revenueSumSquares: 0 };
    expect(compareArms(arm, { ...arm, n: 1 }, 0.05)).toMatchObject({
      absoluteLift: null,
      notMeasurable: { field: 'reactivation.holdout.n', rule: 'min_2' },
    });
    expect(compareArms({ ...arm, n: 0, reactivated: 0 }, arm, 0.05).notMeasurable?.field).toBe(
      'reactivation.treated.n',
    );
  });
});

describe('spendPer', () => {
  it('divides only a known spend by a positive count', () => {
    expect(spendPer(1000, 8)).toBe(125);
    expect(spendPer(null, 8)).toBeNull();
    expect(spendPer(1000, 0)).toBeNull();
    expect(spendPer(1000, -2.5)).toBeNull();
    expect(spendPer(1000, null)).toBeNull();
  });
});
