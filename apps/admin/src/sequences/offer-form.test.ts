import { describe, expect, it } from 'vitest';
import { emptyOfferForm, toOfferRequest } from './offer-form';

describe('new offer form', () => {
  it('builds a discount with an upper-case code prefix and its validity', () => {
    const form = { ...emptyOfferForm(), key: 'winback20', name: 'Win-back 20% off', codePrefix: 'wb20' };
    expect(toOfferRequest(form)).toEqual({
      ok: true,
      request: {
        key: 'winback20',
        name: 'Win-back 20% off',
        kind: 'discount',
        percent: 20,
        validDays: 14,
        codePrefix: 'WB20',
      },
    });
  });

  it('sends only the fields of the kind; an upgrade without validity never expires', () => {
    const form = {
      ...emptyOfferForm(),
      kind: 'tier_upgrade' as const,
      key: 'gold',
      name: 'Gold for a month',
      targetTier: ' gold ',
      validDays: '',
      codePrefix: 'IGNORED',
    };
    expect(toOfferRequest(form)).toEqual({
      ok: true,
      request: { key: 'gold', name: 'Gold for a month', kind: 'tier_upgrade', targetTier: 'gold' },
    });
  });

  it('names each field that needs attention', () => {
    const discount = {
      ...emptyOfferForm(),
      key: 'Bad Key',
      name: '',
      percent: '',
      codePrefix: 'x',
      validDays: '',
    };
    const mapped = toOfferRequest(discount);
    expect(mapped.ok ? {} : mapped.errors).toEqual({
      key: 'key_format',
      name: 'required',
      percent: 'required',
      validDays: 'required',
      codePrefix: 'code_prefix_format',
    });
    const pilot = {
      ...emptyOfferForm(),
      kind: 'pilot' as const,
      key: 'pilot',
      name: 'Pilot',
      termsDays: 'abc',
    };
    const pilotMapped = toOfferRequest(pilot);
    expect(pilotMapped.ok ? {} : pilotMapped.errors).toEqual({
      termsDays: 'type_number',
      description: 'required',
    });
  });
});
