import { describe, expect, it } from 'vitest';
import { toFieldErrors } from './common';
import {
  BounceBatchSchema,
  InboxQuerySchema,
  OutboxQuerySchema,
  SuppressionCreateSchema,
  TaskCompleteSchema,
  TaskListQuerySchema,
} from './messaging';

const errorsOf = (result: { success: boolean; error?: Parameters<typeof toFieldErrors>[0] }) =>
  result.success || !result.error ? [] : toFieldErrors(result.error);

describe('messaging contracts', () => {
  it('query booleans accept only "true" and "false"', () => {
    expect(InboxQuerySchema.parse({ includeSeen: 'true' })).toEqual({ limit: 20, includeSeen: true });
    expect(TaskListQuerySchema.parse({ overdue: 'false' })).toMatchObject({ overdue: false, limit: 50 });
    expect(errorsOf(OutboxQuerySchema.safeParse({ outbox: '1' }))).toEqual([
      { path: 'outbox', rule: 'one_of' },
    ]);
  });

  it('a bounce must name a message, customer or address', () => {
    expect(
      errorsOf(BounceBatchSchema.safeParse({ bounces: [{ type: 'hard_bounce', detail: '550' }] })),
    ).toEqual([{ path: 'bounces.0.messageId', rule: 'identifier_required' }]);
    expect(
      BounceBatchSchema.safeParse({ bounces: [{ type: 'complaint', email: 'a@b.example' }] }).success,
    ).toBe(true);
  });

  it('manual suppression is the default reason; completions need a known outcome', () => {
    expect(SuppressionCreateSchema.parse({ externalId: 'c-1' })).toEqual({
      externalId: 'c-1',
      reason: 'manual',
    });
    expect(errorsOf(TaskCompleteSchema.safeParse({ outcome: 'done' }))).toEqual([
      { path: 'outcome', rule: 'one_of' },
    ]);
    expect(TaskCompleteSchema.parse({ outcome: 'won_back', notes: '  renewed  ' })).toEqual({
      outcome: 'won_back',
      notes: 'renewed',
    });
  });
});
