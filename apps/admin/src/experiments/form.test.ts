import { describe, expect, it } from 'vitest';
import type { Experiment } from '../api/types';
import {
  emptyForm,
  fromExperiment,
  mapServerErrors,
  percentToFraction,
  toCreateRequest,
  toRampRequest,
  toUpdateRequest,
  type ExperimentForm,
} from './form';

function holdoutForm(patch: Partial<ExperimentForm> = {}): ExperimentForm {
  return {
    ...emptyForm('holdout'),
    key: 'winback-q3',
    name: 'Win-back Q3',
    hypothesis: 'A win-back email lifts 30-day reactivation.',
    ...patch,
  };
}

describe('toCreateRequest', () => {
  it('maps a 10% holdout test to holdout/treated arms in fractions', () => {
    const result = toCreateRequest(
      holdoutForm({ holdoutPercent: '10', treatedName: 'Email', coveragePercent: '80' }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.request).toEqual({
      key: 'winback-q3',
      name: 'Win-back Q3',
      kind: 'holdout',
      hypothesis: 'A win-back email lifts 30-day reactivation.',
      coverage: 0.8,
      variants: [
        { key: 'holdout', name: 'Holdout', weight: 0.1, isControl: true },
        { key: 'treated', name: 'Email', weight: 0.9, isControl: false },
      ],
      targeting: [],
      engine: 'frequentist',
      metrics: [],
    });
  });

  it('maps A/B variants, typed targeting values, namespace and metric roles', () => {
    const result = toCreateRequest({
      ...emptyForm('ab'),
      key: 'upsell-banner',
      name: 'Upsell banner',
      hypothesis: 'h',
      variants: [
        { key: 'control', name: 'Control', weightPercent: '33.3333', isControl: true },
        { key: 'a', name: 'A', weightPercent: '33.3333', isControl: false },
        { key: 'b', name: 'B', weightPercent: '33,3334', isControl: false },
      ],
      targeting: [
        { attribute: 'segment', operator: 'in', value: 'gold, silver ,' },
        { attribute: 'traits.orders', operator: 'gte', value: '3' },
        { attribute: 'acquisitionDate', operator: 'lt', value: '2024-01-01' },
        { attribute: 'plan', operator: 'exists', value: 'ignored' },
      ],
      namespaceKey: 'checkout',
      namespaceStartPercent: '0',
      namespaceEndPercent: '50',
      metrics: [
        { metricKey: 'orders', role: 'primary' },
        { metricKey: 'unsubscribes', role: 'guardrail' },
      ],
      engine: 'sequential',
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const r = result.request;
    expect(r.variants.map((v) => v.weight)).toEqual([0.333333, 0.333333, 0.333334]);
    expect(r.targeting).toEqual([
      { type: 'attribute', attribute: 'segment', operator: 'in', value: ['gold', 'silver'] },
      { type: 'attribute', attribute: 'traits.orders', operator: 'gte', value: 3 },
      { type: 'attribute', attribute: 'acquisitionDate', operator: 'lt', value: '2024-01-01' },
      { type: 'attribute', attribute: 'plan', operator: 'exists' },
    ]);
    expect(r.namespace).toEqual({ key: 'checkout', start: 0, end: 0.5 });
    expect(r.metrics).toEqual([
      { metricKey: 'orders', role: 'primary' },
      { metricKey: 'unsubscribes', role: 'guardrail' },
    ]);
    expect(r.engine).toBe('sequential');
  });

  it('names each invalid field with the rule it broke', () => {
    const result = toCreateRequest({
      ...emptyForm('ab'),
      key: 'Bad Key',
      name: ' ',
      hypothesis: '',
      coveragePercent: '0',
      variants: [
        { key: 'control', name: 'Control', weightPercent: '60', isControl: true },
        { key: 'control', name: 'B', weightPercent: 'abc', isControl: false },
      ],
      metrics: [
        { metricKey: 'orders', role: 'primary' },
        { metricKey: 'revenue', role: 'primary' },
      ],
      targeting: [{ attribute: 'segment', operator: 'eq', value: '' }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject({
      key: 'key_format',
      name: 'required',
      hypothesis: 'required',
      coverage: 'between_0_and_100',
      'variants.1.weight': 'required',
      'variants.1.key': 'unique',
      'targeting.0.value': 'required',
      metrics: 'at_most_one_primary',
    });
  });

  it('catches weights that do not add up to 100%', () => {
    const result = toCreateRequest({
      ...holdoutForm(),
      kind: 'ab',
      variants: [
        { key: 'control', name: 'Control', weightPercent: '50', isControl: true },
        { key: 'b', name: 'B', weightPercent: '40', isControl: false },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.variants).toBe('weights_sum_to_1');
  });

  it('refuses a holdout share of 0% or 100%', () => {
    for (const holdoutPercent of ['0', '100', '']) {
      const result = toCreateRequest(holdoutForm({ holdoutPercent }));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.holdoutPercent).toBeDefined();
    }
  });
});

describe('toUpdateRequest', () => {
  it('sends only the description once the experiment runs', () => {
    const result = toUpdateRequest(holdoutForm({ name: 'New name', holdoutPercent: '20' }), 'running');
    expect(result).toEqual({
      ok: true,
      request: { name: 'New name', hypothesis: 'A win-back email lifts 30-day reactivation.' },
    });
  });

  it('sends the whole design for a draft, without the key', () => {
    const result = toUpdateRequest(holdoutForm({ holdoutPercent: '20' }), 'draft');
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.request).not.toHaveProperty('key');
    expect(result.request.variants?.map((v) => v.weight)).toEqual([0.2, 0.8]);
    expect(result.request.namespace).toBeNull();
  });
});

describe('fromExperiment', () => {
  const stored: Experiment = {
    id: 'e1',
    key: 'winback-q3',
    name: 'Win-back Q3',
    kind: 'holdout',
    hypothesis: 'h',
    status: 'draft',
    seed: 'winback-q3',
    hashVersion: 2,
    coverage: 0.75,
    namespace: { id: 'n1', key: 'lifecycle', start: 0.25, end: 0.75 },
    targeting: [
      { type: 'segment', operator: 'not_in', segments: ['churned', 'vip'] },
      { type: 'attribute', attribute: 'traits.orders', operator: 'gte', value: 3 },
    ],
    engine: 'sequential',
    variants: [
      { id: 'v2', key: 'treated', name: 'Email', weight: 0.85, isControl: false, position: 1 },
      { id: 'v1', key: 'holdout', name: 'Holdout', weight: 0.15, isControl: true, position: 0 },
    ],
    metrics: [{ metricId: 'm1', metricKey: 'reactivation', role: 'primary' }],
    startedAt: null,
    stoppedAt: null,
    concludedAt: null,
    frozenAt: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };

  it('fills the form so that saving it unchanged sends the same design back', () => {
    const form = fromExperiment(stored);
    expect(form.holdoutPercent).toBe('15');
    expect(form.treatedName).toBe('Email');
    expect(form.coveragePercent).toBe('75');
    expect(form.targeting[0]).toEqual({ attribute: 'segment', operator: 'not_in', value: 'churned, vip' });
    const result = toCreateRequest(form);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.request.variants).toEqual([
      { key: 'holdout', name: 'Holdout', weight: 0.15, isControl: true },
      { key: 'treated', name: 'Email', weight: 0.85, isControl: false },
    ]);
    expect(result.request.namespace).toEqual({ key: 'lifecycle', start: 0.25, end: 0.75 });
    expect(result.request.coverage).toBe(0.75);
    expect(result.request.metrics).toEqual([{ metricKey: 'reactivation', role: 'primary' }]);
  });
});

describe('mapServerErrors', () => {
  it('shows variant errors of a holdout test on the holdout share input', () => {
    expect(mapServerErrors({ 'variants.0.weight': 'max_1', key: 'unique' }, 'holdout')).toEqual({
      holdoutPercent: 'max_1',
      key: 'unique',
    });
    expect(mapServerErrors({ 'variants.0.weight': 'max_1' }, 'ab')).toEqual({ 'variants.0.weight': 'max_1' });
  });
});

describe('toRampRequest', () => {
  const current = {
    coverage: 0.5,
    variants: [
      { id: 'v1', key: 'holdout', name: 'Holdout', weight: 0.1, isControl: true, position: 0 },
      { id: 'v2', key: 'treated', name: 'Treated', weight: 0.9, isControl: false, position: 1 },
    ],
  };

  it('sends only the coverage when only the coverage changed', () => {
    expect(toRampRequest(current, '100', { holdout: '10', treated: '90' })).toEqual({
      ok: true,
      request: { coverage: 1 },
    });
  });

  it('sends every weight when one changed', () => {
    expect(toRampRequest(current, '50', { holdout: '20', treated: '80' })).toEqual({
      ok: true,
      request: { weights: { holdout: 0.2, treated: 0.8 } },
    });
  });

  it('refuses a ramp that changes nothing or breaks the weights', () => {
    const same = toRampRequest(current, '50', { holdout: '10', treated: '90' });
    expect(same).toEqual({ ok: false, errors: { coverage: 'coverage_or_weights' } });
    const bad = toRampRequest(current, '50', { holdout: '20', treated: '90' });
    expect(bad).toEqual({ ok: false, errors: { weights: 'weights_sum_to_1' } });
  });
});

describe('percentToFraction', () => {
  it('removes binary noise so typed percentages add up exactly', () => {
    expect(percentToFraction(33.3333) + percentToFraction(33.3333) + percentToFraction(33.3334)).toBeCloseTo(
      1,
      12,
    );
    expect(percentToFraction(10)).toBe(0.1);
  });
});
