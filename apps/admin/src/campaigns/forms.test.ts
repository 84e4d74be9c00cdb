import { describe, expect, it } from 'vitest';
import type { Campaign } from '../api/types';
import {
  campaignField,
  changeCategory,
  costLineTotal,
  defaultPlanForm,
  emptyCampaignForm,
  emptyCostForm,
  fromCampaign,
  fromCostLine,
  toCampaignCreate,
  toCampaignUpdate,
  toCostLineInput,
  toPlanRequest,
} from './forms';

describe('cost line form', () => {
  it('maps typed text to the API body of the chosen kind of cost', () => {
    const form = emptyCostForm('people');
    form.label = ' CRM manager ';
    form.values = { hours: '40', loadedRate: '60,5', month: '1' };
    expect(toCostLineInput(form)).toEqual({
      ok: true,
      request: { category: 'people', label: 'CRM manager', hours: 40, loadedRate: 60.5, month: 1 },
    });
  });

  it('names each broken field with the API’s rule', () => {
    const form = emptyCostForm('technology');
    form.values = {
      monthlyCost: '-5',
      totalCustomers: '100',
      touchedCustomers: '500',
      months: '',
      startMonth: '0',
    };
    const mapped = toCostLineInput(form);
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.errors).toMatchObject({
      label: 'required',
      monthlyCost: 'min_0',
      months: 'required',
    });
  });

  it('checks rules across fields the same way the API does', () => {
    const form = emptyCostForm('technology');
    form.label = 'CRM seats';
    form.values = {
      monthlyCost: '500',
      totalCustomers: '100',
      touchedCustomers: '500',
      months: '3',
      startMonth: '0',
    };
    const mapped = toCostLineInput(form);
    expect(mapped.ok ? {} : mapped.errors).toEqual({ touchedCustomers: 'at_most_total_customers' });
  });

  it('keeps the label and shared fields when the kind of cost changes, and reads a stored line back', () => {
    const media = { ...emptyCostForm('media'), label: 'Social', values: { amount: '900', month: '2' } };
    expect(changeCategory(media, 'incentives')).toEqual({
      category: 'incentives',
      label: 'Social',
      values: { redemptions: '', discountPerRedemption: '', month: '2' },
    });
    expect(
      fromCostLine({
        id: 'c',
        category: 'incentives',
        label: 'Voucher',
        redemptions: 120,
        discountPerRedemption: 10,
        month: 0,
        total: 1200,
        createdAt: '',
        updatedAt: '',
      }),
    ).toEqual({
      category: 'incentives',
      label: 'Voucher',
      values: { redemptions: '120', discountPerRedemption: '10', month: '0' },
    });
  });

  it('previews what a line charges in total: subscription share × months, amortised content, redeemed discounts', () => {
    expect(
      costLineTotal({
        category: 'technology',
        label: 't',
        monthlyCost: 1000,
        totalCustomers: 10000,
        touchedCustomers: 2500,
        months: 3,
      }),
    ).toBe(750);
    expect(
      costLineTotal({ category: 'content', label: 'c', cost: 1200, usefulLifeMonths: 12, monthsUsed: 3 }),
    ).toBe(300);
    expect(
      costLineTotal({ category: 'incentives', label: 'i', redemptions: 120, discountPerRedemption: 10 }),
    ).toBe(1200);
  });
});

const campaign: Campaign = {
  id: '00000000-0000-7000-8000-000000000001',
  key: 'winback-spring',
  name: 'Win-back spring',
  programKey: 'winback',
  experimentId: '00000000-0000-7000-8000-000000000002',
  experimentKey: 'winback-test',
  variantKey: null,
  horizonMonths: 12,
  annualDiscountRate: 0.1,
  grossMargins: { upsell: 0.6, cross_sell: 0.5, retention: 0.4, other: 0.3 },
  acquisitionCostPerCustomer: null,
  startsOn: null,
  launchDate: '2026-04-01',
  lastVerdict: null,
  verdictChangedAt: null,
  costs: [],
  createdAt: '2026-04-01T00:00:00.000Z',
  updatedAt: '2026-04-01T00:00:00.000Z',
};

describe('campaign form', () => {
  it('builds the create request with percentages turned into fractions', () => {
    const form = {
      ...emptyCampaignForm(),
      name: 'Win-back spring',
      key: 'winback-spring',
      programKey: 'winback',
      experimentId: campaign.experimentId,
      acquisitionCost: '35',
    };
    expect(toCampaignCreate(form)).toEqual({
      ok: true,
      request: {
        key: 'winback-spring',
        name: 'Win-back spring',
        programKey: 'winback',
        experimentId: campaign.experimentId,
        variantKey: null,
        horizonMonths: 12,
        annualDiscountRate: 0.1,
        grossMargins: { upsell: 0.6, cross_sell: 0.5, retention: 0.4, other: 0.3 },
        acquisitionCostPerCustomer: 35,
        startsOn: null,
      },
    });
  });

  it('puts schema errors on the inputs that hold the fields', () => {
    const form = {
      ...emptyCampaignForm(),
      name: 'X',
      key: 'Bad Key',
      programKey: 'p',
      discountPercent: '150',
    };
    form.marginPercent = { ...form.marginPercent, retention: '140' };
    const mapped = toCampaignCreate(form);
    expect(mapped.ok ? {} : mapped.errors).toMatchObject({
      experimentId: 'required',
      key: expect.any(String),
      discountPercent: 'at_most_100_percent',
      'margin.retention': 'at_most_100_percent',
    });
    expect(campaignField('acquisitionCostPerCustomer')).toBe('acquisitionCost');
  });

  it('sends only the terms that changed when editing, and says so when nothing did', () => {
    const form = fromCampaign(campaign);
    expect(toCampaignUpdate(form, campaign)).toEqual({ ok: false, errors: { form: 'empty_update' } });
    const edited = {
      ...form,
      horizonMonths: '24',
      marginPercent: { ...form.marginPercent, retention: '45' },
    };
    expect(toCampaignUpdate(edited, campaign)).toEqual({
      ok: true,
      request: {
        horizonMonths: 24,
        grossMargins: { upsell: 0.6, cross_sell: 0.5, retention: 0.45, other: 0.3 },
      },
    });
  });
});

describe('plan form', () => {
  it('turns the default plan into a valid request', () => {
    const mapped = toPlanRequest(defaultPlanForm());
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.request).toMatchObject({
      audienceSize: 20000,
      holdoutShare: 0.1,
      metric: { type: 'mean', baselineMean: 20, standardDeviation: 40 },
      assumedLift: 0.05,
      grossMargin: 0.4,
      annualDiscountRate: 0.1,
      alpha: 0.05,
      power: 0.8,
    });
    expect(mapped.request.costs).toHaveLength(2);
    expect('dailyTraffic' in mapped.request).toBe(false);
  });

  it('names the inputs that break the API’s rules, for either metric type', () => {
    const form = {
      ...defaultPlanForm(),
      metricType: 'proportion' as const,
      baselineRatePercent: '120',
      holdoutPercent: '0',
      costs: [],
    };
    const mapped = toPlanRequest(form);
    expect(mapped.ok ? {} : mapped.errors).toEqual({ costs: 'min_1' });
    const withCosts = { ...form, costs: defaultPlanForm().costs };
    const again = toPlanRequest(withCosts);
    expect(again.ok ? {} : again.errors).toEqual({
      baselineRatePercent: 'below_100_percent',
      holdoutPercent: 'above_0_percent',
    });
  });
});
