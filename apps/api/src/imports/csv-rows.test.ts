import { describe, expect, it } from 'vitest';
import { columnOf, normalizeColumn, readHeader, rowToEntry, traitValue } from './csv-rows';

describe('readHeader', () => {
  it('matches columns ignoring case, spaces, dashes and underscores, and collects trait columns', () => {
    const { header, errors } = readHeader('customers', [
      'External ID',
      'acquisition_date',
      'PLAN',
      'trait.ltv',
      '',
    ]);
    expect(errors).toEqual([]);
    expect(header.fields).toEqual(['externalId', 'acquisitionDate', 'plan', 'trait.ltv', null]);
  });

  it('reports unknown, repeated and missing required columns', () => {
    const { errors } = readHeader('orders', ['order_id', 'customer', 'amount', 'Amount', 'currency']);
    expect(errors).toEqual([
      { row: 0, field: 'customer', rule: 'unknown_column' },
      { row: 0, field: 'Amount', rule: 'duplicate_column' },
      { row: 0, field: 'customerId', rule: 'required_column' },
      { row: 0, field: 'occurredAt', rule: 'required_column' },
    ]);
  });

  it("takes another tool's customer, variant and outcome columns for an experiment, and types the outcome", () => {
    const { header, errors } = readHeader('experiment', [
      'Customer',
      'Experiment',
      'variant',
      'Outcome',
      'outcome_at',
    ]);
    expect(errors).toEqual([]);
    expect(header.fields).toEqual(['customerId', 'experimentKey', 'variantKey', 'outcome', 'outcomeAt']);
    expect(rowToEntry('experiment', header, ['c-1', 'spring', 'sms', '12.50', ''])).toEqual({
      customerId: 'c-1',
      experimentKey: 'spring',
      variantKey: 'sms',
      outcome: 12.5,
    });
    expect(rowToEntry('experiment', header, ['c-2', 'spring', 'sms', 'n/a', ''])).toMatchObject({
      outcome: 'n/a',
    });
    expect(readHeader('orders', ['customer']).errors[0]).toEqual({
      row: 0,
      field: 'customer',
      rule: 'unknown_column',
    });
  });

  it('normalizes names', () => {
    expect(normalizeColumn(' Variant-Key ')).toBe('variantkey');
  });
});

describe('rowToEntry', () => {
  it('leaves empty cells out and types trait values', () => {
    const { header } = readHeader('customers', [
      'externalId',
      'segment',
      'trait.ltv',
      'trait.vip',
      'trait.note',
    ]);
    expect(rowToEntry('customers', header, ['c-1', '', '12.5', 'true', '0042a'])).toEqual({
      externalId: 'c-1',
      traits: { ltv: 12.5, vip: true, note: '0042a' },
    });
  });

  it('turns an order row into an order event keyed by the order id', () => {
    const { header } = readHeader('orders', ['orderId', 'customerId', 'amount', 'currency', 'occurredAt']);
    expect(rowToEntry('orders', header, ['A-17', 'c-1', '19.90', 'EUR', '2025-01-02T10:00:00Z'])).toEqual({
      clientEventId: 'order:A-17',
      type: 'order',
      customerId: 'c-1',
      amount: 19.9,
      currency: 'EUR',
      occurredAt: '2025-01-02T10:00:00Z',
    });
    expect(rowToEntry('orders', header, ['A-18', 'c-1', '19,90', 'EUR', 'x']).amount).toBe('19,90');
  });

  it('maps entry fields back to column names', () => {
    expect(columnOf('orders', 'clientEventId')).toBe('orderId');
    expect(columnOf('customers', 'traits.ltv')).toBe('trait.ltv');
    expect(columnOf('experiment', 'variantKey')).toBe('variantKey');
  });
});

describe('traitValue', () => {
  it('keeps text that only looks partly numeric', () => {
    expect([
      traitValue('3'),
      traitValue('-0.5'),
      traitValue('1e3'),
      traitValue('12 months'),
      traitValue('True'),
    ]).toEqual([3, -0.5, 1000, '12 months', 'True']);
  });
});
