import { describe, expect, it } from 'vitest';
import type { Portfolio } from '@liftlab/contracts';
import { computePortfolio, type PortfolioEntry } from './portfolio';
import { csvField, digestMessage, PORTFOLIO_CSV_COLUMNS, portfolioCsv, portfolioHtml } from './render';

const entry = (
  key: string,
  name: string,
  estimate: number,
  lower: number,
  upper: number,
): PortfolioEntry => ({
  id: key,
  key,
  name,
  programKey: 'winback',
  launchDate: '2025-02-01',
  targetRoi: null,
  reason: '',
  outcome: {
    verdict: lower > 0 ? 'proven' : 'unproven',
    reason: 'r',
    roi: { estimate, lower, upper },
    incrementalMarginPv: 1000 * (1 + estimate),
    costsPv: 1000,
    confidenceLevel: 0.95,
  },
});

function portfolio(entries: PortfolioEntry[]): Portfolio {
  const now = computePortfolio(entries);
  const prev = computePortfolio([]);
  return {
    period: { from: '2025-01-01', to: '2025-03-31' },
    previousPeriod: { from: '2024-10-01', to: '2024-12-31' },
    generatedAt: '2025-04-01T07:00:00.000Z',
    totals: now.totals,
    previousTotals: prev.totals,
    trend: {
      pooledRoiChange: null,
      provenIncrementalMarginPvShrunkChange: now.totals.provenIncrementalMarginPvShrunk,
    },
    shrinkage: now.shrinkage,
    distribution: now.distribution,
    campaigns: now.campaigns,
    scale: now.campaigns.filter((c) => c.recommendation === 'scale').map((c) => c.key),
    stop: now.campaigns.filter((c) => c.recommendation === 'stop').map((c) => c.key),
  };
}

describe('CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(null)).toBe('');
  });

  it('one header and one row per campaign', () => {
    const csv = portfolioCsv(
      portfolio([entry('a', 'Win-back, Q1', 0.5, 0.1, 0.9), entry('b', 'VIP', -0.2, -0.6, 0.2)]),
    );
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(PORTFOLIO_CSV_COLUMNS.join(','));
    expect(lines[1]).toMatch(/^a,"Win-back, Q1",winback,2025-02-01,proven,0.5,0.1,0.9,/);
    expect(lines[2]).toMatch(/^b,VIP,winback,2025-02-01,unproven,-0.2,-0.6,0.2,/);
  });
});

describe('printable page and digest', () => {
  const p = portfolio([entry('a', '<script>alert(1)</script>', 0.5, 0.1, 0.9)]);

  it('escapes names and carries a print stylesheet', () => {
    const html = portfolioHtml(p);
    expect(html).toContain('@media print');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#60;script&#62;');
  });

  it('digest carries the headline numbers and the link', () => {
    const m = digestMessage(
      p,
      'https://liftlab.example/v1/reports/portfolio?from=2025-01-01&to=2025-03-31&format=html',
    );
    expect(m.subject).toBe('Liftlab portfolio 2025-01-01 to 2025-03-31: 1 proven of 1, proven margin 1,500');
    expect(m.text).toContain('Scale: a');
    expect(m.text).toContain('Full portfolio: https://liftlab.example/v1/reports/portfolio?from=2025-01-01');
    expect(m.html).toContain('href="https://liftlab.example/v1/reports/portfolio?from=2025-01-01&#38;to=');
  });
});
