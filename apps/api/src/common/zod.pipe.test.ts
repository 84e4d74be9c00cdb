import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from './domain-error';
import { ZodPipe } from './zod.pipe';

const Body = z.strictObject({
  name: z.string().min(2),
  coverage: z.number().min(0).max(1),
  email: z.email(),
  kind: z.enum(['ab', 'holdout']),
  variants: z.array(z.object({ key: z.string(), weight: z.number().positive() })).min(2),
});

function errorsOf(value: unknown, pipe: ZodPipe<z.ZodType> = new ZodPipe(Body)): unknown {
  try {
    pipe.transform(value);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('validation_failed');
    return (e as DomainError).details;
  }
  throw new Error('expected validation to fail');
}

describe('ZodPipe', () => {
  it('returns the parsed value when valid', () => {
    const ok = {
      name: 'ab',
      coverage: 0.5,
      email: 'a@b.co',
      kind: 'ab',
      variants: [
        { key: 'a', weight: 1 },
        { key: 'b', weight: 1 },
      ],
    };
    expect(new ZodPipe(Body).transform(ok)).toEqual(ok);
  });

  it('names each field and the rule it broke', () => {
    const errors = errorsOf({
      name: 'x',
      coverage: 2,
      email: 'nope',
      kind: 'other',
      variants: [{ key: 'a', weight: 0 }, { weight: 1 }],
      extra: true,
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'name', rule: 'min_2' },
        { path: 'coverage', rule: 'max_1' },
        { path: 'email', rule: 'format_email' },
        { path: 'kind', rule: 'one_of' },
        { path: 'variants.0.weight', rule: 'gt_0' },
        { path: 'variants.1.key', rule: 'required' },
        { path: 'extra', rule: 'unknown_key' },
      ]),
    );
    expect(errors).toHaveLength(7);
  });

  it('distinguishes a missing field from a wrong type', () => {
    expect(errorsOf({ name: 5 })).toEqual(
      expect.arrayContaining([
        { path: 'name', rule: 'type_string' },
        { path: 'coverage', rule: 'required' },
      ]),
    );
  });

  it('uses a schema message that is a rule name', () => {
    const pipe = new ZodPipe(
      z.object({
        weights: z.array(z.number()).refine((w) => w.reduce((a, b) => a + b, 0) === 1, 'weights_sum_to_1'),
      }),
    );
    expect(errorsOf({ weights: [0.2, 0.2] }, pipe)).toEqual([{ path: 'weights', rule: 'weights_sum_to_1' }]);
    expect(errorsOf({}, pipe)).toEqual([{ path: 'weights', rule: 'required' }]);
  });

  it('prefixes query parameters and reports a non-object body', () => {
    const q = new ZodPipe(z.object({ limit: z.coerce.number().int().max(500) }), ['query']);
    expect(errorsOf({ limit: '9999' }, q)).toEqual([{ path: 'query.limit', rule: 'max_500' }]);
    expect(errorsOf('text')).toEqual([{ path: '(body)', rule: 'type_object' }]);
  });
});
