import { describe, expect, it } from 'vitest';
import type { Portfolio, PortfolioCampaign, PortfolioTotals } from '../api/types';
import { actionLists, bandLabel, distributionBars, headline, quarterOptions, trendLines } from './portfolio';

const totals = (partial: Partial<PortfolioTotals> = {}): PortfolioTotals => ({
  campaigns: 0,
  measurable: 0,
  byVerdict: { proven: 0, incremental_not_profitable: 0, unproven: 0, blocked_by_srm: 0 },
  costsPv: 0,
  pooledRoi: null,
  provenIncrementalMarginPv: 0,
  provenIncrementalMarginPvShrunk: 0,
  provenNetPvShrunk: 0,
  ...partial,
});

function campaign(key: string, partial: Partial<PortfolioCampaign> = {}): PortfolioCampaign {
  return {
    id: `00000000-0000-7000-8000-00000000000${key.length}`,
    key,
    name: key,
    programKey: 'winback',
    launchDate: '2026-10-02',
    verdict: 'proven',
    reason: '',
    roi: { estimate: 1, lower: 0.5, upper: 1.5 },
    shrunkRoi: 0.9,
    incrementalMarginPv: 20000,
    costsPv: 10000,
    netPv: 10000,
    shrunkNetPv: 9000,
    targetRoi: null,
    recommendation: 'scale',
    ...partial,
  };
}

function portfolio(partial: Partial<Portfolio> = {}): Portfolio {
  return {
    period: { from: '2026-10-01', to: '2026-11-23' },
    previousPeriod: { from: '2026-07-01', to: '2026-08-23' },
    generatedAt: '2026-11-23T10:00:00.000Z',
    totals: totals(),
    previousTotals: totals(),
    trend: { pooledRoiChange: null, provenIncrementalMarginPvShrunkChange: 0 },
    shrinkage: { method: 'empirical_bayes_normal', priorMean: null, priorSd: null, campaignsUsed: 0 },
    distribution: { count: 0, min: null, q1: null, median: null, q3: null, max: null, bands: [] },
    campaigns: [],
    scale: [],
    stop: [],
    ...partial,
  };
}

describe('quarterOptions', () => {
  it('lists quarters newest first, the current one up to today, across the year boundary', () => {
    const options = quarterOptions(new Date(Date.UTC(2026, 1, 14)), 3);
    expect(options).toEqual([
      { label: '2026 Q1 (to date)', from: '2026-01-01', to: '2026-02-14' },
      { label: '2025 Q4', from: '2025-10-01', to: '2025-12-31' },
      { label: '2025 Q3', from: '2025-07-01', to: '2025-09-30' },
    ]);
  });
});

describe('ROI distribution', () => {
  it('labels open and closed bands and marks the losing ones', () => {
    const bands = [
      { from: null, to: -0.5, count: 1 },
      { from: -0.5, to: 0, count: 2 },
      { from: 0, to: 0.5, count: 0 },
      { from: 2, to: null, count: 3 },
    ];
    expect(bands.map(bandLabel)).toEqual(['< −50%', '−50 to 0%', '0 to +50%', '≥ +200%']);
    const bars = distributionBars({ count: 6, min: -1, q1: 0, median: 0.2, q3: 1, max: 3, bands });
    expect(bars.map((b) => b.losing)).toEqual([true, true, false, false]);
  });
});

describe('trend and lists', () => {
  it('compares the headline numbers with the previous period, with a direction', () => {
    const p = portfolio({
      totals: totals({ campaigns: 3, measurable: 2, pooledRoi: 0.4, provenIncrementalMarginPvShrunk: 50000 }),
      previousTotals: totals({
        campaigns: 1,
        measurable: 1,
        pooledRoi: 0.1,
        provenIncrementalMarginPvShrunk: 60000,
      }),
      trend: { pooledRoiChange: 0.3, provenIncrementalMarginPvShrunkChange: -10000 },
    });
    expect(trendLines(p).map((t) => [t.label, t.current, t.previous, t.change, t.direction])).toEqual([
      ['Pooled ROI', '+40%', '+10%', '+30% points', 'up'],
      ['Proven incremental margin (after shrinkage)', '50,000', '60,000', '−10,000', 'down'],
      ['Campaigns measured', '2 of 3', '1 of 1', '+1', 'up'],
    ]);
  });

  it('says when there is nothing to compare with', () => {
    expect(trendLines(portfolio())[0]).toMatchObject({ direction: 'none', current: '—' });
  });

  it('resolves the scale and stop keys to campaigns, keeping the report’s order', () => {
    const p = portfolio({
      campaigns: [campaign('a'), campaign('bb', { recommendation: 'stop' }), campaign('ccc')],
      scale: ['ccc', 'a'],
      stop: ['bb', 'missing'],
    });
    const lists = actionLists(p);
    expect(lists.scale.map((c) => c.key)).toEqual(['ccc', 'a']);
    expect(lists.stop.map((c) => c.key)).toEqual(['bb']);
  });

  it('sums the period up in one sentence', () => {
    expect(headline(portfolio())).toBe('No campaign launched in this period.');
    expect(
      headline(
        portfolio({
          totals: totals({
            campaigns: 4,
            measurable: 3,
            pooledRoi: 0.25,
            provenIncrementalMarginPvShrunk: 81234.4,
            byVerdict: { proven: 2, incremental_not_profitable: 1, unproven: 0, blocked_by_srm: 0 },
          }),
        }),
      ),
    ).toBe(
      '4 campaigns launched, 3 measured; 2 proven to pay, together 81,234 of incremental margin after allowing ' +
        'for luck; pooled ROI +25%.',
    );
  });
});
