import { describe, expect, it } from 'vitest';
import { MetricCreateSchema } from './metrics';
import { toFieldErrors } from './common';

function errors(input: unknown) {
  const r = MetricCreateSchema.safeParse(input);
  if (r.success) throw new Error('expected the input to be refused');
  return toFieldErrors(r.error);
}

const conversion = { key: 'upgraded', name: 'Upgraded', kind: 'proportion', eventName: 'plan_upgraded' };

describe('MetricCreateSchema', () => {
  it('fills defaults', () => {
    expect(MetricCreateSchema.parse(conversion)).toEqual({
      ...conversion,
      windowDays: 14,
      capping: 'none',
      higherIsBetter: true,
    });
  });

  it('needs a denominator for ratio metrics and refuses one otherwise', () => {
    expect(errors({ ...conversion, kind: 'ratio' })).toEqual([
      { path: 'denominatorEventName', rule: 'required_for_ratio' },
    ]);
    expect(errors({ ...conversion, kind: 'mean', denominatorEventName: 'orders' })).toEqual([
      { path: 'denominatorEventName', rule: 'only_for_ratio' },
    ]);
  });

  it('refuses a value property on a proportion', () => {
    expect(errors({ ...conversion, valueProperty: 'amount' })).toEqual([
      { path: 'valueProperty', rule: 'not_for_proportion' },
    ]);
  });

  it('checks the cap against the capping mode', () => {
    expect(errors({ ...conversion, kind: 'mean', capping: 'absolute' })).toEqual([
      { path: 'capValue', rule: 'positive' },
    ]);
    expect(errors({ ...conversion, kind: 'mean', capping: 'percentile', capValue: 1 })).toEqual([
      { path: 'capValue', rule: 'between_0_and_1_exclusive' },
    ]);
    expect(errors({ ...conversion, capValue: 3 })).toEqual([{ path: 'capValue', rule: 'requires_capping' }]);
    expect(
      MetricCreateSchema.safeParse({ ...conversion, kind: 'mean', capping: 'percentile', capValue: 0.99 })
        .success,
    ).toBe(true);
  });

  it('refuses an unknown kind and an out-of-range window', () => {
    expect(errors({ ...conversion, kind: 'median', windowDays: 0 })).toEqual([
      { path: 'kind', rule: 'one_of' },
      { path: 'windowDays', rule: 'min_1' },
    ]);
    expect(errors({ ...conversion, windowDays: 1.5 })).toEqual([{ path: 'windowDays', rule: 'integer' }]);
  });
});
