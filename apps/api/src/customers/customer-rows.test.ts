import { describe, expect, it } from 'vitest';
import { prepareCustomers } from './customer-rows';

describe('prepareCustomers', () => {
  it('folds entries repeating an externalId in order: later fields win, traits merge', () => {
    const { patches, rejected } = prepareCustomers([
      { externalId: 'a', segment: 'vip', plan: 'pro', traits: { ltv: 10, churnRisk: 'low' } },
      { externalId: 'b', country: 'DE' },
      { externalId: 'a', plan: null, traits: { churnRisk: 'high', seats: 3 } },
      { externalId: 'a', acquisitionDate: '2024-02-29' },
    ]);
    expect(rejected).toEqual([]);
    expect(patches).toEqual([
      {
        externalId: 'a',
        segment: 'vip',
        plan: null,
        acquisitionDate: '2024-02-29',
        traits: { ltv: 10, churnRisk: 'high', seats: 3 },
      },
      { externalId: 'b', country: 'DE' },
    ]);
  });

  it('leaves fields that were not sent out of the patch, so they are kept', () => {
    const { patches } = prepareCustomers([{ externalId: 'x', timezone: 'Europe/Berlin' }]);
    expect(patches).toEqual([{ externalId: 'x', timezone: 'Europe/Berlin' }]);
  });

  it('rejects invalid entries with index, field and rule and keeps the valid ones', () => {
    const { patches, rejected } = prepareCustomers([
      { externalId: 'ok' },
      { externalId: 'c', country: 'Germany' },
      { externalId: 'd', acquisitionDate: '2025-02-30' },
      { externalId: 'e', timezone: 'Mars/Olympus' },
      { externalId: 'f', traits: { nested: { a: 1 } } },
      { segment: 'vip' },
      42,
      { externalId: 'g', email: 'g@example.com' },
    ]);
    expect(patches.map((p) => p.externalId)).toEqual(['ok']);
    expect(rejected).toEqual([
      { index: 1, field: 'country', rule: 'format_country' },
      { index: 2, field: 'acquisitionDate', rule: 'format_date' },
      { index: 3, field: 'timezone', rule: 'format_timezone' },
      { index: 4, field: 'traits.nested', rule: 'one_of' },
      { index: 5, field: 'externalId', rule: 'required' },
      { index: 6, field: '(entry)', rule: 'type_object' },
      { index: 7, field: 'email', rule: 'unknown_key' },
    ]);
  });
});
