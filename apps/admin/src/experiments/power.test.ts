import { describe, expect, it } from 'vitest';
import { armWeightsOf, comparisonSentence, defaultPowerForm, planPower, type PowerForm } from './power';

// Standard normal quantiles z(0.975) and z(0.8), to 7 significant digits (any statistical table).
const Z_975 = 1.959964;
const Z_80 = 0.8416212;

function form(patch: Partial<PowerForm> = {}): PowerForm {
  return { ...defaultPowerForm(), ...patch };
}

/**
 * One-tailed closed form for a mean metric, n_total = (z_α/2 + z_β)² σ² (1/w_c + 1/w_t) / Δ² (Chow, Shao & Wang,
 * "Sample Size Calculations in Clinical Research", §3.2). The two-sided solver also counts the far tail, which
 * at these sizes moves the answer by far less than one customer.
 */
function closedFormTotal(sd: number, delta: number, wc: number, wt: number): number {
  return ((Z_975 + Z_80) ** 2 * sd ** 2 * (1 / wc + 1 / wt)) / delta ** 2;
}

describe('planPower', () => {
  const meanForm = form({
    metricType: 'mean',
    baselineMean: '20',
    standardDeviation: '40',
    liftPercent: '5',
  });

  it('sizes a 10% holdout by the textbook formula and compares it with 50/50', () => {
    const outcome = planPower({ ...meanForm, dailyTraffic: '1000' }, [0.1, 0.9], 1);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const { chosen, even } = outcome.plan;
    expect(chosen.totalUnits).toBeGreaterThanOrEqual(Math.ceil(closedFormTotal(40, 1, 0.1, 0.9)) - 1);
    expect(chosen.totalUnits).toBeLessThanOrEqual(Math.ceil(closedFormTotal(40, 1, 0.1, 0.9)) + 1);
    expect(even.totalUnits).toBeGreaterThanOrEqual(Math.ceil(closedFormTotal(40, 1, 0.5, 0.5)) - 1);
    expect(even.totalUnits).toBeLessThanOrEqual(Math.ceil(closedFormTotal(40, 1, 0.5, 0.5)) + 1);
    // (1/0.1 + 1/0.9) / (1/0.5 + 1/0.5) = 11.11 / 4: a 10% holdout costs 2.78× the traffic of 50/50.
    expect(outcome.plan.trafficRatio).toBeCloseTo(11.1111 / 4, 2);
    expect(outcome.plan.isEven).toBe(false);
    expect(chosen.durationDays).toBe(Math.ceil(chosen.totalUnits / 1000));
    expect(chosen.unitsPerArm[0]).toBeLessThan(chosen.unitsPerArm[1] ?? 0);
    expect(outcome.plan.summary).toMatch(
      /^With a 10% holdout you need [\d,]+ customers over \d+ days.*; a 50\/50 split would need/,
    );
    expect(outcome.plan.summary).toMatch(/costs 2\.8× the traffic\.$/);
  });

  it('turns coverage into a longer run, not a bigger sample', () => {
    const full = planPower({ ...meanForm, dailyTraffic: '1000' }, [0.5, 0.5], 1);
    const half = planPower({ ...meanForm, dailyTraffic: '1000' }, [0.5, 0.5], 0.5);
    if (!full.ok || !half.ok) throw new Error('plan failed');
    expect(half.plan.chosen.totalUnits).toBe(full.plan.chosen.totalUnits);
    expect(half.plan.enrolledPerDay).toBe(500);
    expect(half.plan.chosen.durationDays).toBe(Math.ceil(full.plan.chosen.totalUnits / 500));
    expect(half.plan.summary).toMatch(/^An even split is the most traffic-efficient design/);
  });

  it('needs more customers for an always-valid (sequential) plan than for a fixed horizon', () => {
    const fixed = planPower(meanForm, [0.1, 0.9], 1);
    const sequential = planPower({ ...meanForm, sequential: true }, [0.1, 0.9], 1);
    if (!fixed.ok || !sequential.ok) throw new Error('plan failed');
    expect(sequential.plan.chosen.totalUnits).toBeGreaterThan(fixed.plan.chosen.totalUnits);
  });

  it('compares a three-arm test with an even three-way split', () => {
    const outcome = planPower(meanForm, [0.2, 0.4, 0.4], 1);
    if (!outcome.ok) throw new Error('plan failed');
    expect(outcome.plan.even.weights).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(outcome.plan.summary).toContain('an even 3-way split');
  });

  it('reports the smallest lift detectable in a fixed number of days', () => {
    const base = planPower({ ...meanForm, dailyTraffic: '1000' }, [0.1, 0.9], 1);
    if (!base.ok) throw new Error('plan failed');
    const days = base.plan.chosen.durationDays ?? 0;
    const outcome = planPower(
      { ...meanForm, dailyTraffic: '1000', plannedDays: String(days) },
      [0.1, 0.9],
      1,
    );
    if (!outcome.ok) throw new Error('plan failed');
    const mde = outcome.plan.detectableInPlannedDays;
    expect(mde?.totalUnits).toBe(days * 1000);
    // Running for the planned duration detects the lift the plan was sized for, or slightly less.
    expect(mde?.relativeLift).toBeLessThanOrEqual(0.05);
    expect(mde?.relativeLift).toBeGreaterThan(0.045);
  });

  it('names the input at fault instead of showing NaN', () => {
    const outcome = planPower(form({ baselineRatePercent: '0', liftPercent: 'x' }), [0.1, 0.9], 1);
    expect(outcome).toEqual({
      ok: false,
      errors: { baselineRatePercent: 'between_0_and_100_exclusive', liftPercent: 'required' },
    });
  });

  it('maps a rule the stats package enforces back to the calculator field', () => {
    // 95% baseline + 10% relative lift = 104.5%: impossible as a conversion rate.
    const outcome = planPower(form({ baselineRatePercent: '95', liftPercent: '10' }), [0.5, 0.5], 1);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(Object.keys(outcome.errors)).toEqual(['liftPercent']);
  });

  it('waits for a complete split', () => {
    expect(planPower(form(), [0.5, Number.NaN], 1)).toEqual({
      ok: false,
      errors: { split: 'split_incomplete' },
    });
    expect(planPower(form(), [0.5, 0.5], 0)).toEqual({ ok: false, errors: { split: 'coverage_missing' } });
  });
});

describe('armWeightsOf', () => {
  it('puts the control first whatever its position', () => {
    expect(
      armWeightsOf([
        { key: 'a', name: 'A', weight: 0.3, isControl: false },
        { key: 'c', name: 'C', weight: 0.2, isControl: true },
        { key: 'b', name: 'B', weight: 0.5, isControl: false },
      ]),
    ).toEqual([0.2, 0.3, 0.5]);
  });
});

describe('comparisonSentence', () => {
  it('uses one decimal for small holdouts and whole multiples beyond ten', () => {
    const text = comparisonSentence({
      chosen: {
        weights: [0.025, 0.975],
        totalUnits: 120_000,
        unitsPerArm: [3000, 117_000],
        durationDays: null,
      },
      even: { weights: [0.5, 0.5], totalUnits: 10_000, unitsPerArm: [5000, 5000], durationDays: null },
      isEven: false,
      trafficRatio: 12,
    });
    expect(text).toBe(
      'With a 2.5% holdout you need 120,000 customers; a 50/50 split would need 10,000 customers, so this split costs 12× the traffic.',
    );
  });
});
