import { describe, expect, it } from 'vitest';
import { CustomerInputSchema } from './customers';
import { EventInputSchema } from './events';

const rulesOf = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (result.success ? [] : (result.error?.issues ?? []).map((i) => `${i.path.join('.')}:${i.message}`));

describe('EventInputSchema', () => {
  it('accepts the exposure the SDK sends', () => {
    const exposure = {
      clientEventId: '5b1f',
      type: 'exposure',
      name: 'experiment_exposure',
      customerId: 'c-1',
      experimentKey: 'checkout-cta',
      variantKey: 'green',
      occurredAt: '2025-01-15T09:00:00.000Z',
    };
    expect(EventInputSchema.safeParse(exposure).success).toBe(true);
  });

  it('ties fields to event types', () => {
    expect(
      rulesOf(EventInputSchema.safeParse({ clientEventId: 'a', type: 'order', customerId: 'c' })),
    ).toEqual(['amount:required', 'currency:required']);
    expect(
      rulesOf(
        EventInputSchema.safeParse({ clientEventId: 'a', type: 'conversion', customerId: 'c', amount: 3 }),
      ),
    ).toEqual(['name:required', 'amount:order_only']);
    expect(
      rulesOf(
        EventInputSchema.safeParse({
          clientEventId: 'a',
          type: 'activity',
          name: 'x',
          customerId: 'c',
          variantKey: 'b',
        }),
      ),
    ).toEqual(['experimentKey:required_together']);
  });

  it('keeps properties small', () => {
    const big = {
      clientEventId: 'a',
      type: 'activity',
      name: 'x',
      customerId: 'c',
      properties: { blob: 'x'.repeat(9000) },
    };
    expect(rulesOf(EventInputSchema.safeParse(big))).toEqual(['properties:max_bytes_8192']);
  });
});

describe('CustomerInputSchema', () => {
  it('checks dates, countries and time zones for real', () => {
    const result = CustomerInputSchema.safeParse({
      externalId: 'c',
      acquisitionDate: '2023-02-29',
      country: 'de',
      timezone: 'Europe/Atlantis',
    });
    expect(rulesOf(result)).toEqual([
      'acquisitionDate:format_date',
      'country:format_country',
      'timezone:format_timezone',
    ]);
    expect(
      CustomerInputSchema.safeParse({
        externalId: 'c',
        acquisitionDate: '2024-02-29',
        country: 'DE',
        timezone: 'UTC',
      }).success,
    ).toBe(true);
  });
});
