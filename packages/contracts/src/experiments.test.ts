import { describe, expect, it } from 'vitest';
import {
  ExperimentConcludeSchema,
  ExperimentCreateSchema,
  ExperimentRampSchema,
  ExperimentUpdateSchema,
  GlobalHoldoutUpdateSchema,
  NamespaceCreateSchema,
  TargetingRuleSchema,
} from './experiments';
import { toFieldErrors } from './common';
import type { z } from 'zod';

function errors(schema: z.ZodType, input: unknown) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected the input to be refused');
  return toFieldErrors(r.error);
}

const ab = {
  key: 'winback-email',
  name: 'Win-back email',
  variants: [
    { key: 'control', name: 'Control', weight: 0.5 },
    { key: 'email', name: 'Email', weight: 0.5 },
  ],
};

describe('ExperimentCreateSchema', () => {
  it('accepts a minimal a/b experiment and fills defaults', () => {
    const parsed = ExperimentCreateSchema.parse(ab);
    expect(parsed.kind).toBe('ab');
    expect(parsed.coverage).toBe(1);
    expect(parsed.targeting).toEqual([]);
    expect(parsed.metrics).toEqual([]);
    expect(parsed.engine).toBe('frequentist');
    expect(parsed.hypothesis).toBe('');
  });

  it('names missing fields', () => {
    expect(errors(ExperimentCreateSchema, { variants: ab.variants })).toEqual([
      { path: 'key', rule: 'required' },
      { path: 'name', rule: 'required' },
    ]);
  });

  it('refuses weights that do not sum to 1', () => {
    const input = {
      ...ab,
      variants: [
        { ...ab.variants[0], weight: 0.5 },
        { ...ab.variants[1], weight: 0.6 },
      ],
    };
    expect(errors(ExperimentCreateSchema, input)).toEqual([{ path: 'variants', rule: 'weights_sum_to_1' }]);
  });

  it('accepts weights that sum to 1 up to float rounding', () => {
    const third = { weight: 0.1 + 0.2 }; // 0.30000000000000004
    const input = {
      ...ab,
      variants: [
        { key: 'a', name: 'A', weight: third.weight },
        { key: 'b', name: 'B', weight: 0.7 },
      ],
    };
    expect(ExperimentCreateSchema.safeParse(input).success).toBe(true);
  });

  it('refuses a weight outside 0..1, a single arm, duplicate keys and two controls', () => {
    expect(
      errors(ExperimentCreateSchema, {
        ...ab,
        variants: [{ key: 'a', name: 'A', weight: 1.5 }, ab.variants[1]],
      }),
    ).toEqual([
      { path: 'variants.0.weight', rule: 'max_1' },
      { path: 'variants', rule: 'weights_sum_to_1' },
    ]);
    expect(errors(ExperimentCreateSchema, { ...ab, variants: [{ key: 'a', name: 'A', weight: 1 }] })).toEqual(
      [{ path: 'variants', rule: 'at_least_2' }],
    );
    expect(
      errors(ExperimentCreateSchema, {
        ...ab,
        variants: [
          { key: 'a', name: 'A', weight: 0.5, isControl: true },
          { key: 'a', name: 'B', weight: 0.5, isControl: true },
        ],
      }),
    ).toEqual([
      { path: 'variants.1.key', rule: 'unique' },
      { path: 'variants', rule: 'one_control' },
    ]);
  });

  it('accepts a 10/90 holdout with the holdout and treated arms', () => {
    const parsed = ExperimentCreateSchema.parse({
      key: 'retention-program',
      name: 'Retention program',
      kind: 'holdout',
      variants: [
        { key: 'holdout', name: 'Holdout', weight: 0.1 },
        { key: 'treated', name: 'Treated', weight: 0.9 },
      ],
    });
    expect(parsed.kind).toBe('holdout');
  });

  it('refuses a holdout without exactly the holdout and treated arms', () => {
    expect(errors(ExperimentCreateSchema, { ...ab, kind: 'holdout' })).toEqual([
      { path: 'variants', rule: 'holdout_arms' },
    ]);
    expect(
      errors(ExperimentCreateSchema, {
        ...ab,
        kind: 'holdout',
        variants: [
          { key: 'holdout', name: 'H', weight: 0.1 },
          { key: 'treated', name: 'T', weight: 0.8 },
          { key: 'extra', name: 'E', weight: 0.1 },
        ],
      }),
    ).toEqual([{ path: 'variants', rule: 'holdout_arms' }]);
    expect(
      errors(ExperimentCreateSchema, {
        ...ab,
        kind: 'holdout',
        variants: [
          { key: 'holdout', name: 'H', weight: 0.1 },
          { key: 'treated', name: 'T', weight: 0.9, isControl: true },
        ],
      }),
    ).toEqual([{ path: 'variants.1.isControl', rule: 'holdout_is_control' }]);
  });

  it('refuses coverage outside 0..1 and a bad key', () => {
    expect(errors(ExperimentCreateSchema, { ...ab, coverage: -0.1, key: 'Has Spaces' })).toEqual([
      { path: 'key', rule: 'key_format' },
      { path: 'coverage', rule: 'min_0' },
    ]);
  });

  it('refuses an empty or inverted namespace range', () => {
    expect(
      errors(ExperimentCreateSchema, { ...ab, namespace: { key: 'pricing', start: 0.5, end: 0.5 } }),
    ).toEqual([{ path: 'namespace.end', rule: 'greater_than_start' }]);
    expect(
      errors(ExperimentCreateSchema, { ...ab, namespace: { key: 'pricing', start: 0, end: 1.2 } }),
    ).toEqual([{ path: 'namespace.end', rule: 'max_1' }]);
  });

  it('refuses two primary metrics and a metric listed twice', () => {
    expect(
      errors(ExperimentCreateSchema, {
        ...ab,
        metrics: [
          { metricKey: 'revenue', role: 'primary' },
          { metricKey: 'orders', role: 'primary' },
          { metricKey: 'revenue', role: 'guardrail' },
        ],
      }),
    ).toEqual([
      { path: 'metrics.2.metricKey', rule: 'unique' },
      { path: 'metrics', rule: 'at_most_one_primary' },
    ]);
    expect(
      errors(ExperimentCreateSchema, { ...ab, metrics: [{ metricKey: 'revenue', role: 'north' }] }),
    ).toEqual([{ path: 'metrics.0.role', rule: 'one_of' }]);
  });

  it('refuses unknown fields by name', () => {
    expect(errors(ExperimentCreateSchema, { ...ab, colour: 'red' })).toEqual([
      { path: 'colour', rule: 'unknown_key' },
    ]);
  });
});

describe('TargetingRuleSchema', () => {
  it('accepts attribute and segment rules', () => {
    expect(TargetingRuleSchema.parse({ type: 'segment', segments: ['vip'] })).toEqual({
      type: 'segment',
      operator: 'in',
      segments: ['vip'],
    });
    expect(
      TargetingRuleSchema.safeParse({
        type: 'attribute',
        attribute: 'traits.ltv',
        operator: 'gte',
        value: 100,
      }).success,
    ).toBe(true);
  });

  it('checks the value against the operator', () => {
    expect(
      errors(TargetingRuleSchema, { type: 'attribute', attribute: 'plan', operator: 'in', value: 'pro' }),
    ).toEqual([{ path: 'value', rule: 'non_empty_list' }]);
    expect(errors(TargetingRuleSchema, { type: 'attribute', attribute: 'plan', operator: 'eq' })).toEqual([
      { path: 'value', rule: 'scalar' },
    ]);
    expect(
      errors(TargetingRuleSchema, { type: 'attribute', attribute: 'plan', operator: 'exists', value: 'x' }),
    ).toEqual([{ path: 'value', rule: 'no_value_for_exists' }]);
    expect(
      errors(TargetingRuleSchema, { type: 'attribute', attribute: 'age', operator: 'gt', value: true }),
    ).toEqual([{ path: 'value', rule: 'number_or_string' }]);
  });

  it('refuses a bad attribute path, an unknown operator and an empty segment list', () => {
    expect(
      errors(TargetingRuleSchema, { type: 'attribute', attribute: '1x', operator: 'eq', value: 1 }),
    ).toEqual([{ path: 'attribute', rule: 'attribute_path' }]);
    expect(
      errors(TargetingRuleSchema, { type: 'attribute', attribute: 'x', operator: 'like', value: 1 }),
    ).toEqual([{ path: 'operator', rule: 'one_of' }]);
    expect(errors(TargetingRuleSchema, { type: 'segment', segments: [] })).toEqual([
      { path: 'segments', rule: 'non_empty_list' },
    ]);
  });
});

describe('ExperimentUpdateSchema', () => {
  it('refuses an empty body and checks variants when given', () => {
    expect(errors(ExperimentUpdateSchema, {})).toEqual([{ path: '', rule: 'empty_update' }]);
    expect(
      errors(ExperimentUpdateSchema, {
        variants: [
          { key: 'a', name: 'A', weight: 0.2 },
          { key: 'b', name: 'B', weight: 0.2 },
        ],
      }),
    ).toEqual([{ path: 'variants', rule: 'weights_sum_to_1' }]);
    expect(ExperimentUpdateSchema.parse({ name: 'New name' })).toEqual({ name: 'New name' });
  });
});

describe('ExperimentRampSchema', () => {
  it('needs coverage or weights, and weights summing to 1', () => {
    expect(errors(ExperimentRampSchema, {})).toEqual([{ path: '', rule: 'coverage_or_weights' }]);
    expect(errors(ExperimentRampSchema, { weights: { control: 0.5, email: 0.4 } })).toEqual([
      { path: 'weights', rule: 'weights_sum_to_1' },
    ]);
    expect(errors(ExperimentRampSchema, { coverage: 2 })).toEqual([{ path: 'coverage', rule: 'max_1' }]);
    expect(ExperimentRampSchema.parse({ coverage: 0.5 })).toEqual({ coverage: 0.5 });
  });
});

describe('other experiment bodies', () => {
  it('conclude needs a winner when shipping', () => {
    expect(errors(ExperimentConcludeSchema, { decision: 'ship' })).toEqual([
      { path: 'winnerVariantKey', rule: 'required_for_ship' },
    ]);
    expect(ExperimentConcludeSchema.safeParse({ decision: 'inconclusive' }).success).toBe(true);
  });

  it('global holdout percent is 0..50 percentage points', () => {
    expect(errors(GlobalHoldoutUpdateSchema, { percent: 60 })).toEqual([{ path: 'percent', rule: 'max_50' }]);
    expect(errors(GlobalHoldoutUpdateSchema, { percent: -1 })).toEqual([{ path: 'percent', rule: 'min_0' }]);
    expect(GlobalHoldoutUpdateSchema.parse({ percent: 5 })).toEqual({ percent: 5 });
  });

  it('namespace needs a key and a name', () => {
    expect(errors(NamespaceCreateSchema, { key: 'pricing', name: '  ' })).toEqual([
      { path: 'name', rule: 'required' },
    ]);
  });
});
