import { describe, expect, it } from 'vitest';
import type { CumulativeSeries, Effect, MetricResult, Srm, VariantResult } from '../api/types';
import {
  comparisonRows,
  cumulativePoints,
  formatLift,
  intervalDomain,
  plainWords,
  srmSentence,
  verdictBanner,
  type ComparisonRow,
} from './results';
import { dimensionLabel } from './dimensions';

function effect(estimate: number, ci: [number | null, number | null], p: number, adjusted = p): Effect {
  return {
    estimate,
    se: 0.1,
    ci,
    ciLevel: 0.975,
    pValue: p,
    adjustedPValue: adjusted,
    chanceToWin: null,
    risk: null,
  };
}

function arm(partial: Partial<VariantResult> & { key: string; name: string }): VariantResult {
  return {
    variantId: partial.key,
    isControl: false,
    n: 800,
    mean: null,
    absolute: null,
    relative: null,
    verdict: null,
    ...partial,
  };
}

function metric(partial: Partial<MetricResult> & { variants: VariantResult[] }): MetricResult {
  return {
    metricId: '00000000-0000-7000-8000-000000000001',
    key: 'repurchase',
    name: 'Repurchase',
    kind: 'proportion',
    role: 'primary',
    revenueStream: null,
    higherIsBetter: true,
    windowDays: 30,
    cuped: false,
    cap: null,
    corrected: true,
    note: null,
    ...partial,
  };
}

const holdout = arm({ key: 'holdout', name: 'Holdout', isControl: true, n: 200, mean: 0.2 });
const frequentist = { engine: 'frequentist' as const, alpha: 0.05 };

describe('comparisonRows', () => {
  it('makes one row per treated arm with the relative lift, its interval and the adjusted p-value', () => {
    const rows = comparisonRows(
      [
        metric({
          variants: [
            holdout,
            arm({
              key: 'treated',
              name: 'Win-back series',
              mean: 0.3,
              absolute: effect(0.1, [0.04, 0.16], 0.0001, 0.0002),
              relative: effect(0.5, [0.1, 0.9], 0.004, 0.008),
              verdict: 'better',
            }),
          ],
        }),
      ],
      frequentist,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: 'repurchase:treated',
      controlName: 'Holdout',
      controlMean: 0.2,
      variantMean: 0.3,
      controlN: 200,
      variantN: 800,
      scale: 'relative',
      lift: 0.5,
      lower: 0.1,
      upper: 0.9,
      ciLevel: 0.975,
      pValue: 0.008,
      pAdjusted: true,
      verdict: 'better',
    });
  });

  it('falls back to the absolute difference when the control mean is zero, and to raw p for uncorrected metrics', () => {
    const [row] = comparisonRows(
      [
        metric({
          key: 'complaints',
          name: 'Complaints',
          kind: 'mean',
          role: 'guardrail',
          corrected: false,
          higherIsBetter: false,
          variants: [
            { ...holdout, mean: 0 },
            arm({
              key: 'treated',
              name: 'Treated',
              mean: 0.3,
              absolute: effect(0.3, [0.1, 0.5], 0.01, 0.04),
              verdict: 'worse',
            }),
          ],
        }),
      ],
      frequentist,
    );
    expect(row?.scale).toBe('absolute');
    expect(row?.pValue).toBe(0.01);
    expect(row?.pAdjusted).toBe(false);
  });

  it('keeps a comparison without effect (too few customers) and says why in words', () => {
    const [row] = comparisonRows(
      [
        metric({
          note: 'the control has fewer than 2 customers',
          variants: [holdout, arm({ key: 'treated', name: 'Treated' })],
        }),
      ],
      frequentist,
    );
    expect(row?.lift).toBeNull();
    expect(row?.sentence).toBe('No comparison yet: the control has fewer than 2 customers.');
  });
});

function row(partial: Partial<Omit<ComparisonRow, 'sentence'>>): Omit<ComparisonRow, 'sentence'> {
  return {
    id: 'm:t',
    metricKey: 'repurchase',
    metricName: 'Repurchase',
    role: 'primary',
    kind: 'proportion',
    higherIsBetter: true,
    corrected: true,
    cuped: false,
    variantKey: 'treated',
    variantName: 'Win-back series',
    controlName: 'Holdout',
    controlMean: 0.2,
    variantMean: 0.3,
    controlN: 200,
    variantN: 800,
    scale: 'relative',
    lift: 0.5,
    lower: 0.1,
    upper: 0.9,
    ciLevel: 0.975,
    pValue: 0.008,
    pAdjusted: true,
    chanceToWin: null,
    verdict: 'better',
    note: null,
    ...partial,
  };
}

describe('plainWords', () => {
  it('says a significant lift works, by how much, how sure, and with which correction', () => {
    expect(plainWords(row({}), frequentist)).toBe(
      'Win-back series works: Repurchase is 50% higher than for Holdout (30% against 20%, 800 and 200 customers). ' +
        'The true change is likely between +10% and +90% (97.5% interval), so it is unlikely to be chance ' +
        '(p = 0.0080 after correcting for the other metrics).',
    );
  });

  it('reads a drop on a lower-is-better metric as good news', () => {
    const text = plainWords(
      row({ metricName: 'Returns', higherIsBetter: false, lift: -0.2, lower: -0.3, upper: -0.1 }),
      frequentist,
    );
    expect(text).toMatch(/^Win-back series works: Returns is 20% lower than for Holdout/);
    expect(text).toContain('and lower is better here');
  });

  it('warns about a guardrail that got worse', () => {
    const text = plainWords(
      row({
        role: 'guardrail',
        metricName: 'Unsubscribes',
        verdict: 'worse',
        lift: 0.3,
        lower: 0.05,
        upper: 0.55,
      }),
      frequentist,
    );
    expect(text).toMatch(/^Win-back series makes this worse: Unsubscribes is 30% higher than for Holdout/);
    expect(text).toContain('This is a guardrail: find out why before rolling the campaign out.');
  });

  it('says plainly when the interval still includes no change', () => {
    const text = plainWords(
      row({ verdict: 'inconclusive', lift: 0.04, lower: -0.05, upper: 0.13, pValue: 0.4 }),
      frequentist,
    );
    expect(text).toMatch(/^No clear difference yet: Repurchase is 4% higher than for Holdout/);
    expect(text).toContain('could be between −5% and +13% (97.5% interval), which includes no change at all');
    expect(text).toContain('More customers or more time will narrow the range.');
  });

  it('states open-ended intervals of one-sided tests and chance to win for the Bayesian engine', () => {
    const text = plainWords(
      row({ verdict: 'inconclusive', lower: -0.02, upper: null, pValue: null, chanceToWin: 0.9 }),
      { engine: 'bayesian', alpha: 0.05 },
    );
    expect(text).toContain('could be at least −2%');
    expect(text).toContain('the chance that Win-back series is really better is 90%');
    expect(text).toContain('A decision needs a chance of 95% or more.');
  });

  it('tells people not to act while the split is broken', () => {
    expect(plainWords(row({ verdict: 'blocked_by_srm' }), frequentist)).toMatch(
      /^Do not act on this yet: customers were not split between the arms as planned/,
    );
  });

  it('reports differences of conversion rates in percentage points', () => {
    expect(formatLift('absolute', 'proportion', 0.134)).toBe('+13.4 pts');
    expect(formatLift('absolute', 'mean', -2.5)).toBe('−2.50');
  });
});

describe('intervalDomain', () => {
  it('always includes zero and pads both ends', () => {
    const [lo, hi] = intervalDomain([{ lift: 0.5, lower: 0.1, upper: 0.9 }]);
    expect(lo).toBeCloseTo(-0.072, 10);
    expect(hi).toBeCloseTo(0.972, 10);
  });
  it('ignores open ends and still gives a usable range with nothing to show', () => {
    expect(intervalDomain([{ lift: null, lower: null, upper: null }])).toEqual([-1, 1]);
    const [lo, hi] = intervalDomain([{ lift: -0.2, lower: null, upper: -0.1 }]);
    expect(lo).toBeLessThan(-0.2);
    expect(hi).toBeGreaterThan(0);
  });
});

describe('srmSentence', () => {
  it('names the arm furthest from its planned share and the test behind the warning', () => {
    const srm: Srm = {
      chiSquare: 25.3,
      dof: 1,
      pValue: 0.0000005,
      flagged: true,
      threshold: 0.001,
      arms: [
        { key: 'holdout', n: 150, weight: 0.2 },
        { key: 'treated', n: 850, weight: 0.8 },
      ],
    };
    expect(srmSentence(srm, new Map([['holdout', 'Holdout']]))).toBe(
      'Holdout has 25% fewer customers than planned (150 against about 200 of 1,000; χ² = 25.3, p < 0.0001, ' +
        'flagged below 0.001). Until the assignment or exposure logging is fixed, no difference on this page can be ' +
        'trusted.',
    );
  });
});

describe('verdictBanner', () => {
  it('gives each overall verdict a tone and a headline', () => {
    expect(verdictBanner({ status: 'winner', variantKey: 'treated', reason: '' }, 'Win-back series')).toEqual(
      {
        tone: 'success',
        title: 'Win-back series wins',
      },
    );
    expect(verdictBanner({ status: 'blocked_by_srm', variantKey: null, reason: '' }, null).tone).toBe(
      'error',
    );
    expect(verdictBanner({ status: 'guardrail_breached', variantKey: 't', reason: '' }, 'T').tone).toBe(
      'warning',
    );
    expect(verdictBanner({ status: 'no_winner', variantKey: null, reason: '' }, null).title).toBe(
      'No winner yet',
    );
  });
});

describe('cumulativePoints', () => {
  const series: CumulativeSeries = {
    metricKey: 'repurchase',
    variantKey: 'treated',
    points: [
      { date: '2026-09-29', controlN: 1, variantN: 10, relative: null, absolute: null },
      {
        date: '2026-09-30',
        controlN: 8,
        variantN: 52,
        relative: { estimate: 0.46, ci: [-1.6, 2.5] },
        absolute: { estimate: 0.11, ci: [-0.25, null] },
      },
    ],
  };
  it('maps each day to its estimate and band in the chosen scale, leaving gaps where there is none', () => {
    expect(cumulativePoints(series, 'relative')).toEqual([
      { date: '2026-09-29', estimate: null, band: null, customers: 11 },
      { date: '2026-09-30', estimate: 0.46, band: [-1.6, 2.5], customers: 60 },
    ]);
    expect(cumulativePoints(series, 'absolute')[1]).toEqual({
      date: '2026-09-30',
      estimate: 0.11,
      band: null,
      customers: 60,
    });
  });
});

describe('dimensionLabel', () => {
  it('names built-in breakdowns and traits', () => {
    expect(dimensionLabel('acquisitionCohort')).toBe('Acquisition cohort (month)');
    expect(dimensionLabel('trait.tier')).toBe('Trait: tier');
  });
});
