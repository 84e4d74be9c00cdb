import { describe, expect, it } from 'vitest';
import type { AttributionComparison, CohortRow } from '@liftlab/contracts';
import { attributionBars, forestDomain, heatCell, heatColumns, ltvCurveRows } from './view';

const row = (cohort: string, values: number[]): CohortRow => ({
  cohort,
  customers: 10,
  nDay: { d30: null, d60: null, d90: null },
  cells: values.map((v, month) => ({
    month,
    customers: 10,
    activeCustomers: v * 10,
    retention: v,
    cumulativeRevenuePerCustomer: v * 100,
  })),
});

describe('value analytics views', () => {
  it('shades more retained cells darker and switches the text to white', () => {
    expect(heatCell(0)).toEqual({ background: 'rgba(0, 114, 178, 0.080)', color: '#1f2933' });
    expect(heatCell(1)).toEqual({ background: 'rgba(0, 114, 178, 1.000)', color: '#ffffff' });
    expect(heatCell(2).background).toBe(heatCell(1).background);
  });

  it('builds heatmap columns and LTV curve rows, leaving unobserved months empty', () => {
    const rows = [row('2025-01', [1, 0.5, 0.25]), row('2025-02', [1, 0.4])];
    expect(heatColumns(rows)).toEqual([0, 1, 2]);
    expect(ltvCurveRows(rows)[2]).toEqual({ month: 2, '2025-01': 25, '2025-02': null });
  });

  it('turns a comparison into grouped bars per channel', () => {
    const comparison = {
      channels: ['email', 'search'],
      models: [
        {
          model: 'first_touch',
          label: 'First',
          credits: [{ channel: 'email', conversions: 1, share: 0.5, revenue: 3 }],
        },
        {
          model: 'last_touch',
          label: 'Last',
          credits: [{ channel: 'search', conversions: 2, share: 1, revenue: 4 }],
        },
      ],
    } as unknown as AttributionComparison;
    expect(attributionBars(comparison, 'conversions')).toEqual([
      { channel: 'email', first_touch: 1, last_touch: 0 },
      { channel: 'search', first_touch: 0, last_touch: 2 },
    ]);
  });

  it('gives the forest plot a symmetric domain around zero', () => {
    expect(
      forestDomain([
        [-0.1, 0.2],
        [0.05, null],
      ]),
    ).toEqual([-0.22000000000000003, 0.22000000000000003]);
  });
});
