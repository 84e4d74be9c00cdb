import { describe, expect, it } from 'vitest';
import { analyzeExperiment, validateAnalysisInput, type AnalysisInput } from './analyze';
import { StatsInputError } from './types';
import reference from '../fixtures/analyze.json';

/** Whole analyses of synthetic experiments, computed from their rows by fixtures/gen_analyze.py. */
const fixture = reference as unknown as {
  cases: Array<{ name: string; input: AnalysisInput; expected: Record<string, unknown> }>;
};

/** Numbers in `expected` must match to `relative`; other values exactly; fields absent from `expected` are not read. */
function expectClose(actual: unknown, expected: unknown, relative: number, path = ''): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
      relative * Math.abs(expected),
    );
  } else if (Array.isArray(expected)) {
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((item, i) => expectClose((actual as unknown[])[i], item, relative, `${path}[${i}]`));
  } else if (typeof expected === 'object' && expected !== null) {
    for (const [key, value] of Object.entries(expected)) {
      expectClose((actual as Record<string, unknown>)[key], value, relative, path ? `${path}.${key}` : key);
    }
  } else {
    expect(actual, path).toEqual(expected);
  }
}

const example = (): AnalysisInput => ({
  metric: { type: 'mean', cuped: false },
  variants: [
    { key: 'control', weight: 0.5, n: 3407, sum: 1396.87, sumSquares: 52377.9767 },
    { key: 'treatment', weight: 0.5, n: 3461, sum: 2422.7, sumSquares: 134698.29 },
  ],
  options: {
    engine: 'frequentist',
    alpha: 0.05,
    alternative: 'two-sided',
    difference: 'relative',
    correction: 'holm',
  },
});

function errorOf(input: unknown): StatsInputError {
  try {
    validateAnalysisInput(input);
  } catch (error) {
    if (error instanceof StatsInputError) return error;
    throw error;
  }
  throw new Error('expected a StatsInputError');
}

describe('validateAnalysisInput', () => {
  it('accepts the documented example and fills the defaults', () => {
    const { options, variants, metric } = validateAnalysisInput({ ...example(), options: undefined });
    expect(metric).toEqual({ type: 'mean', cuped: false });
    expect(variants.map((v) => v.key)).toEqual(['control', 'treatment']);
    expect(options).toEqual({
      engine: 'frequentist',
      alpha: 0.05,
      alternative: 'two-sided',
      difference: 'relative',
      correction: 'holm',
      srmThreshold: 0.001,
    });
  });

  /** Sets (or, for undefined, deletes) the value at a dotted path such as `variants.1.n`. */
  function edit(target: unknown, path: string, value: unknown): void {
    const keys = path.split('.');
    const last = keys.pop() as string;
    const parent = keys.reduce((node, key) => (node as Record<string, unknown>)[key], target) as Record<
      string,
      unknown
    >;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }

  it.each<[string, string, unknown, string, RegExp]>([
    ['a missing metric', 'metric', undefined, 'metric', /is required/],
    [
      'an unknown metric type',
      'metric.type',
      'median',
      'metric.type',
      /must be one of "mean", "proportion", "ratio"/,
    ],
    ['a non-boolean cuped', 'metric.cuped', 'yes', 'metric.cuped', /true or false/],
    ['missing variants', 'variants', undefined, 'variants', /is required/],
    ['a single variant', 'variants', [example().variants[0]], 'variants', /at least one other variant/],
    ['a missing n', 'variants.1.n', undefined, 'variants[1].n', /is required/],
    ['a negative n', 'variants.1.n', -5, 'variants[1].n', /must not be negative/],
    ['a fractional n', 'variants.0.n', 10.5, 'variants[0].n', /whole number/],
    ['n of one', 'variants.0.n', 1, 'variants[0].n', /at least 2/],
    ['a string sum', 'variants.0.sum', '1396.87', 'variants[0].sum', /must be a number/],
    ['a missing sumSquares', 'variants.1.sumSquares', undefined, 'variants[1].sumSquares', /is required/],
    [
      'sumSquares below sum²/n',
      'variants.1.sumSquares',
      1000,
      'variants[1].sumSquares',
      /inconsistent with sum and n/,
    ],
    ['a duplicate key', 'variants.1.key', 'control', 'variants[1].key', /duplicates/],
    ['an empty key', 'variants.0.key', ' ', 'variants[0].key', /non-empty/],
    ['a zero weight', 'variants.0.weight', 0, 'variants[0].weight', /greater than 0/],
    [
      'weights on some variants only',
      'variants.1.weight',
      undefined,
      'variants[1].weight',
      /every variant or for none/,
    ],
    ['an unknown variant field', 'variants.0.sumSquare', 1, 'variants[0].sumSquare', /unknown field/],
    ['an unknown engine', 'options.engine', 'magic', 'options.engine', /must be one of/],
    ['an unknown option', 'options.alpah', 0.1, 'options.alpah', /unknown field/],
    ['alpha of 1', 'options.alpha', 1, 'options.alpha', /between 0 and 1/],
    ['an unknown alternative', 'options.alternative', 'bigger', 'options.alternative', /must be one of/],
    ['an unknown correction', 'options.correction', 'bonferroni', 'options.correction', /must be one of/],
    ['a negative tuning', 'options.sequentialTuning', -1, 'options.sequentialTuning', /greater than 0/],
    ['a prior without variance', 'options.prior', { mean: 0 }, 'options.prior.variance', /is required/],
    [
      'a zero prior variance',
      'options.prior',
      { mean: 0, variance: 0 },
      'options.prior.variance',
      /greater than 0/,
    ],
    ['an unknown top-level field', 'variant', [], 'variant', /unknown field/],
  ])('rejects %s', (_name, path, value, field, rule) => {
    const input = example();
    edit(input, path, value);
    const error = errorOf(input);
    expect(error.field).toBe(field);
    expect(error.rule).toMatch(rule);
  });

  it('rejects input that is not an object', () => {
    expect(errorOf(null).field).toBe('input');
    expect(errorOf([1, 2]).field).toBe('input');
  });

  it('lets a proportion omit sumSquares but not contradict it', () => {
    const proportion = {
      metric: { type: 'proportion' },
      variants: [
        { key: 'holdout', n: 1000, sum: 50 },
        { key: 'winback', n: 1000, sum: 61, sumSquares: 61 },
      ],
    };
    expect(validateAnalysisInput(proportion).variants[0]?.stats.sumSquares).toBe(50);
    const bad = structuredClone(proportion);
    (bad.variants[1] as { sumSquares: number }).sumSquares = 70;
    expect(errorOf(bad).field).toBe('variants[1].sumSquares');
    const tooMany = structuredClone(proportion);
    tooMany.variants[0]!.sum = 1001;
    expect(errorOf(tooMany)).toMatchObject({
      field: 'variants[0].sum',
      rule: expect.stringMatching(/between 0 and n/),
    });
  });

  it('requires the CUPED and ratio sums and checks them with Cauchy–Schwarz', () => {
    const cuped = {
      metric: { type: 'mean', cuped: true },
      variants: [
        { key: 'c', n: 3, sum: 6, sumSquares: 14, preSum: 3, preSumSquares: 5, sumProducts: 8 },
        { key: 't', n: 3, sum: 6, sumSquares: 14, preSum: 3, preSumSquares: 5 },
      ],
    };
    expect(errorOf(cuped)).toMatchObject({ field: 'variants[1].sumProducts', rule: 'is required' });
    // x = 1,2,3 and y = 0,1,2 give Σxy = 8; |Σxy − ΣxΣy/n| = 2 = √(Sxx·Syy) is the boundary, 9 is beyond it.
    cuped.variants[1] = { ...cuped.variants[0]!, key: 't', sumProducts: 9 };
    expect(errorOf(cuped)).toMatchObject({
      field: 'variants[1].sumProducts',
      rule: expect.stringMatching(/Cauchy–Schwarz/),
    });
    cuped.variants[1]!.sumProducts = 8;
    expect(() => validateAnalysisInput(cuped)).not.toThrow();

    const ratio = {
      metric: { type: 'ratio' },
      variants: [
        { key: 'c', n: 3, sum: 6, sumSquares: 14, denSum: 3, denSumSquares: 2, sumNumDen: 8 },
        { key: 't', n: 3, sum: 6, sumSquares: 14, denSum: 3, denSumSquares: 5, sumNumDen: 8 },
      ],
    };
    expect(errorOf(ratio)).toMatchObject({
      field: 'variants[0].denSumSquares',
      rule: expect.stringMatching(/denSum²\/n/),
    });
  });

  it('reports the Bayesian engine as uncorrected and keeps its prior', () => {
    const input = {
      ...example(),
      options: { engine: 'bayesian', prior: { mean: 0, variance: 0.09 }, correction: 'holm' },
    };
    expect(validateAnalysisInput(input).options).toMatchObject({
      engine: 'bayesian',
      correction: 'none',
      prior: { mean: 0, variance: 0.09 },
    });
  });
});

describe('analyzeExperiment', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches the reference: %s', (_name, testCase) => {
    const result = analyzeExperiment(testCase.input);
    // Sums of thousands of rows carry ~1e-13 relative rounding; a wrong formula is off by far more than 1e-9.
    expectClose(result, testCase.expected, 1e-9);
  });

  it('gives intervals and significance consistent with the corrected p-values', () => {
    for (const testCase of fixture.cases.filter(
      (c) => (c.input.options?.engine ?? 'frequentist') === 'frequentist',
    )) {
      const { results, options } = analyzeExperiment(testCase.input);
      for (const r of results) {
        expect(r.significant).toBe((r.adjustedPValue as number) < options.alpha);
        expect(r.adjustedPValue).toBeGreaterThanOrEqual(r.pValue as number);
        expect(r.ci[0]).toBeLessThan(r.estimate);
        expect(r.ci[1]).toBeGreaterThan(r.estimate);
      }
    }
  });

  it('warns when the sample ratio does not match the weights', () => {
    const flagged = fixture.cases.find((c) => c.name.includes('SRM'));
    const result = analyzeExperiment(flagged!.input);
    expect(result.srm.flagged).toBe(true);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^sample ratio mismatch: the variants' sizes \(5000, 2900, 2500\)/),
    ]);
    expect(analyzeExperiment(example()).warnings).toEqual([]);
  });

  it('reports p-values only for frequentist and sequential engines, chance to win only for Bayesian', () => {
    for (const engine of ['frequentist', 'sequential'] as const) {
      const [r] = analyzeExperiment({ ...example(), options: { engine } }).results;
      expect(r).toMatchObject({ pValue: expect.any(Number), adjustedPValue: expect.any(Number) });
      expect(r?.chanceToWin).toBeUndefined();
    }
    const [r] = analyzeExperiment({ ...example(), options: { engine: 'bayesian' } }).results;
    expect(r).toMatchObject({ chanceToWin: expect.any(Number), risk: { control: expect.any(Number) } });
    expect(r?.pValue).toBeUndefined();
  });

  it('widens sequential intervals over fixed-horizon ones at the same alpha', () => {
    const [fixed] = analyzeExperiment({ ...example(), options: { engine: 'frequentist' } }).results;
    const [always] = analyzeExperiment({
      ...example(),
      options: { engine: 'sequential', sequentialTuning: 5000 },
    }).results;
    expect(always!.ci[1] - always!.ci[0]).toBeGreaterThan(fixed!.ci[1] - fixed!.ci[0]);
    expect(always!.pValue).toBeGreaterThan(fixed!.pValue!);
  });

  it('throws StatsInputError for bad input', () => {
    expect(() => analyzeExperiment({ ...example(), variants: [] })).toThrow(StatsInputError);
  });
});

describe('analyzeExperiment errors from the statistics', () => {
  it('names the control when a relative lift has a zero control mean', () => {
    const input: AnalysisInput = {
      metric: { type: 'proportion' },
      variants: [
        { key: 'holdout', n: 500, sum: 0 },
        { key: 'win-back', n: 500, sum: 7 },
      ],
    };
    expect(() => analyzeExperiment(input)).toThrow(
      expect.objectContaining({
        field: 'variants[0].sum',
        rule: expect.stringMatching(/control mean 0.*"absolute"/),
      }),
    );
    expect(
      analyzeExperiment({ ...input, options: { difference: 'absolute' } }).results[0]?.estimate,
    ).toBeCloseTo(7 / 500, 15);
  });

  it('rejects a one-sided sequential test at alpha ≥ 0.5', () => {
    expect(() =>
      analyzeExperiment({
        ...example(),
        options: { engine: 'sequential', alternative: 'greater', alpha: 0.6 },
      }),
    ).toThrow(expect.objectContaining({ field: 'options.alpha' }));
  });
});
