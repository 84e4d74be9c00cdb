import { describe, expect, it } from 'vitest';
import { experimentKeysOf, MAX_FUTURE_SKEW_MS, prepareEvents, type ExperimentRef } from './event-rows';

const NOW = new Date('2025-01-15T09:00:00.000Z');
const experiments = new Map<string, ExperimentRef>([
  [
    'cta',
    {
      id: 'exp-1',
      variants: new Map([
        ['control', 'var-1'],
        ['green', 'var-2'],
      ]),
    },
  ],
]);

const exposure = (id: string, variantKey = 'green') => ({
  clientEventId: id,
  type: 'exposure',
  customerId: 'c-1',
  experimentKey: 'cta',
  variantKey,
  occurredAt: '2025-01-15T08:00:00Z',
});

describe('prepareEvents', () => {
  it('resolves experiment and variant keys and fills defaults', () => {
    const { rows, rejected, repeatedInBatch } = prepareEvents(
      [
        exposure('e1'),
        { clientEventId: 'o1', type: 'order', customerId: 'c-2', amount: 10, currency: 'USD' },
      ],
      experiments,
      NOW,
    );
    expect(rejected).toEqual([]);
    expect(repeatedInBatch).toBe(0);
    expect(rows).toEqual([
      expect.objectContaining({
        clientEventId: 'e1',
        name: 'experiment_exposure',
        externalId: 'c-1',
        experimentId: 'exp-1',
        variantId: 'var-2',
        occurredAt: '2025-01-15T08:00:00.000Z',
        properties: {},
      }),
      expect.objectContaining({
        clientEventId: 'o1',
        name: 'order',
        amount: 10,
        value: 10,
        currency: 'USD',
        revenueStream: null,
        experimentId: null,
        occurredAt: NOW.toISOString(),
      }),
    ]);
  });

  it('keeps the first valid event of a repeated clientEventId and counts the repeats', () => {
    const { rows, repeatedInBatch, rejected } = prepareEvents(
      [exposure('dup', 'missing'), exposure('dup', 'control'), exposure('dup', 'green'), exposure('other')],
      experiments,
      NOW,
    );
    expect(rows.map((r) => [r.clientEventId, r.variantId])).toEqual([
      ['dup', 'var-1'],
      ['other', 'var-2'],
    ]);
    expect(repeatedInBatch).toBe(1);
    expect(rejected).toEqual([{ index: 0, field: 'variantKey', rule: 'unknown_variant' }]);
  });

  it('allows client clock skew up to a day, not more', () => {
    const at = (ms: number) => ({
      clientEventId: `t${ms}`,
      type: 'activity',
      name: 'login',
      customerId: 'c',
      occurredAt: new Date(NOW.getTime() + ms).toISOString(),
    });
    const { rows, rejected } = prepareEvents(
      [at(MAX_FUTURE_SKEW_MS), at(MAX_FUTURE_SKEW_MS + 1)],
      experiments,
      NOW,
    );
    expect(rows).toHaveLength(1);
    expect(rejected).toEqual([{ index: 1, field: 'occurredAt', rule: 'not_in_future' }]);
  });

  it('lists errors by index and never lets an invalid event through', () => {
    const { rows, rejected } = prepareEvents(
      [null, exposure('ok'), { ...exposure('bad'), experimentKey: 'unknown' }, { type: 'order' }],
      experiments,
      NOW,
    );
    expect(rows.map((r) => r.clientEventId)).toEqual(['ok']);
    expect(rejected).toEqual([
      { index: 0, field: '(entry)', rule: 'type_object' },
      { index: 2, field: 'experimentKey', rule: 'unknown_experiment' },
      { index: 3, field: 'clientEventId', rule: 'required' },
      { index: 3, field: 'customerId', rule: 'required' },
    ]);
  });
});

describe('experimentKeysOf', () => {
  it('collects distinct string keys and ignores junk', () => {
    expect(experimentKeysOf([exposure('a'), exposure('b'), { experimentKey: 3 }, null, 'x']).sort()).toEqual([
      'cta',
    ]);
  });
});
