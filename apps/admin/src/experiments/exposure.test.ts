import { describe, expect, it } from 'vitest';
import type { ExperimentExposures, Variant } from '../api/types';
import { armColour, exposureRows, OKABE_ITO, srmExplanation } from './exposure';

const variants: Variant[] = [
  { id: 'v2', key: 'treated', name: 'Treated', weight: 0.9, isControl: false, position: 1 },
  { id: 'v1', key: 'holdout', name: 'Holdout', weight: 0.1, isControl: true, position: 0 },
];

function report(holdout: number, treated: number): ExperimentExposures {
  return {
    experimentId: 'e1',
    experimentKey: 'x',
    totalExposedCustomers: holdout + treated,
    totalExposures: (holdout + treated) * 2,
    variants: [
      {
        variantId: 'v2',
        key: 'treated',
        weight: 0.9,
        assigned: treated,
        exposedCustomers: treated,
        exposures: treated * 2,
      },
      {
        variantId: 'v1',
        key: 'holdout',
        weight: 0.1,
        assigned: holdout,
        exposedCustomers: holdout,
        exposures: holdout * 2,
      },
    ],
    srm: null,
  };
}

describe('exposureRows', () => {
  it('lists arms in design order with planned and observed shares', () => {
    const rows = exposureRows(report(20, 180), variants);
    expect(rows.map((r) => r.key)).toEqual(['holdout', 'treated']);
    expect(rows[0]).toMatchObject({
      name: 'Holdout',
      isControl: true,
      plannedShare: 0.1,
      observedShare: 0.1,
    });
    expect(rows[0]?.expectedCustomers).toBeCloseTo(20, 10);
    expect(rows[1]?.expectedCustomers).toBeCloseTo(180, 10);
  });

  it('shows zero shares, not NaN, before anyone is exposed', () => {
    const rows = exposureRows(report(0, 0), variants);
    for (const r of rows) {
      expect(r.observedShare).toBe(0);
      expect(r.expectedCustomers).toBe(0);
    }
  });
});

describe('srmExplanation', () => {
  it('names the arm furthest from plan and the direction', () => {
    const text = srmExplanation(exposureRows(report(60, 140), variants));
    expect(text).toMatch(/^Holdout has 200% more exposed customers than planned \(60 vs about 20\)/);
  });
});

describe('armColour', () => {
  it('cycles through the Okabe–Ito palette', () => {
    expect(armColour(0)).toBe('#0072B2');
    expect(armColour(OKABE_ITO.length)).toBe(armColour(0));
  });
});
