import { describe, expect, it } from 'vitest';
import { AssignRequestSchema, SdkPayloadQuerySchema } from './assignment';
import { PaginationQuerySchema, toFieldErrors } from './common';
import type { z } from 'zod';

function errors(schema: z.ZodType, input: unknown) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected the input to be refused');
  return toFieldErrors(r.error);
}

describe('AssignRequestSchema', () => {
  it('accepts customers with or without experiment keys', () => {
    expect(AssignRequestSchema.parse({ customers: ['c1'] })).toEqual({ customers: ['c1'] });
    expect(AssignRequestSchema.parse({ customers: ['c1'], experiments: ['exp'] }).experiments).toEqual([
      'exp',
    ]);
  });

  it('refuses an empty list, empty ids and too many pairs', () => {
    expect(errors(AssignRequestSchema, { customers: [] })).toEqual([{ path: 'customers', rule: 'min_1' }]);
    expect(errors(AssignRequestSchema, { customers: [''] })).toEqual([
      { path: 'customers.0', rule: 'required' },
    ]);
    const customers = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    const experiments = Array.from({ length: 11 }, (_, i) => `e${i}`);
    expect(errors(AssignRequestSchema, { customers, experiments })).toEqual([
      { path: 'customers', rule: 'max_10000_pairs' },
    ]);
  });
});

describe('SdkPayloadQuerySchema', () => {
  it('splits the comma-separated customer list', () => {
    expect(SdkPayloadQuerySchema.parse({ customers: 'a,b,,c' })).toEqual({ customers: ['a', 'b', 'c'] });
    expect(SdkPayloadQuerySchema.parse({})).toEqual({ customers: [] });
  });

  it('refuses more than 100 customers', () => {
    const customers = Array.from({ length: 101 }, (_, i) => `c${i}`).join(',');
    expect(errors(SdkPayloadQuerySchema, { customers })).toEqual([{ path: 'customers', rule: 'max_100' }]);
  });
});

describe('PaginationQuerySchema', () => {
  it('coerces query strings and bounds the limit', () => {
    expect(PaginationQuerySchema.parse({ limit: '20' })).toEqual({ limit: 20 });
    expect(PaginationQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(errors(PaginationQuerySchema, { limit: '0' })).toEqual([{ path: 'limit', rule: 'min_1' }]);
    expect(errors(PaginationQuerySchema, { limit: '1000' })).toEqual([{ path: 'limit', rule: 'max_500' }]);
  });
});
