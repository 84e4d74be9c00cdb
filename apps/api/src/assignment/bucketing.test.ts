import { describe, expect, it } from 'vitest';
import { hash, inNamespace } from '@liftlab/sdk';
import {
  customerAttributes,
  decide,
  decideGlobalHoldout,
  toSdkExperiment,
  type ExperimentDesign,
} from './bucketing';

const design: ExperimentDesign = {
  key: 'winback',
  kind: 'ab',
  seed: 'winback-seed',
  hashVersion: 2,
  coverage: 1,
  targeting: [{ type: 'attribute', attribute: 'plan', operator: 'eq', value: 'pro' }],
  // Stored out of order on purpose: bucket ranges follow `position`.
  variants: [
    { key: 'email', weight: 0.7, isControl: false, position: 1 },
    { key: 'control', weight: 0.3, isControl: true, position: 0 },
  ],
  namespace: null,
};

const pro = (externalId: string) => ({ externalId, attributes: { externalId, plan: 'pro' } });

describe('toSdkExperiment', () => {
  it('orders variants by position and turns the namespace into a GrowthBook tuple', () => {
    const exp = toSdkExperiment({ ...design, namespace: { key: 'pricing', start: 0.2, end: 0.6 } });
    expect(exp.variants.map((v) => v.key)).toEqual(['control', 'email']);
    expect(exp.namespace).toEqual(['pricing', 0.2, 0.6]);
    expect(toSdkExperiment({ ...design, targeting: null }).targeting).toEqual([]);
  });
});

describe('customerAttributes', () => {
  it('exposes columns, the acquisition day and traits, leaving missing columns out', () => {
    expect(
      customerAttributes({
        externalId: 'c1',
        segment: 'vip',
        plan: null,
        country: 'FR',
        timezone: null,
        acquisitionChannel: 'ads',
        acquisitionDate: new Date('2024-03-05T00:00:00.000Z'),
        traits: { ltv: 12 },
      }),
    ).toEqual({
      externalId: 'c1',
      segment: 'vip',
      country: 'FR',
      acquisitionChannel: 'ads',
      acquisitionDate: '2024-03-05',
      traits: { ltv: 12 },
    });
  });
});

describe('decide', () => {
  const exp = toSdkExperiment(design);

  it('assigns by the v2 hash of seed + external id over position-ordered ranges', () => {
    for (let i = 0; i < 300; i++) {
      const id = `cust-${i}`;
      const d = decide(exp, pro(id), { inGlobalHoldout: false });
      const bucket = hash('winback-seed', id, 2)!;
      expect(d).toEqual({ kind: 'assigned', variantKey: bucket < 0.3 ? 'control' : 'email' });
    }
  });

  it('checks the global holdout before the stored variant and before targeting', () => {
    expect(decide(exp, pro('a'), { inGlobalHoldout: true, storedVariantKey: 'email' })).toEqual({
      kind: 'global_holdout',
    });
  });

  it('returns the stored variant even when targeting and coverage would now exclude the customer', () => {
    const closed = toSdkExperiment({ ...design, coverage: 0 });
    expect(
      decide(
        closed,
        { externalId: 'a', attributes: { plan: 'free' } },
        { inGlobalHoldout: false, storedVariantKey: 'email' },
      ),
    ).toEqual({
      kind: 'sticky',
      variantKey: 'email',
    });
  });

  it('gives the reason a customer is left out', () => {
    expect(
      decide(exp, { externalId: 'a', attributes: { plan: 'free' } }, { inGlobalHoldout: false }),
    ).toEqual({
      kind: 'out',
      reason: 'not_targeted',
    });
    expect(decide(toSdkExperiment({ ...design, coverage: 0 }), pro('a'), { inGlobalHoldout: false })).toEqual(
      {
        kind: 'out',
        reason: 'not_covered',
      },
    );
    const ns = toSdkExperiment({ ...design, namespace: { key: 'pricing', start: 0, end: 0.5 } });
    const outside = Array.from({ length: 100 }, (_, i) => `n-${i}`).find(
      (id) => !inNamespace(id, ['pricing', 0, 0.5]),
    )!;
    expect(decide(ns, pro(outside), { inGlobalHoldout: false })).toEqual({
      kind: 'out',
      reason: 'namespace',
    });
  });
});

describe('decideGlobalHoldout', () => {
  it('puts about percent% of customers in the holdout, by the v2 hash of the workspace seed', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `c-${i}`);
    const members = ids.filter((id) => decideGlobalHoldout(id, { seed: 'ws', percent: 5 }));
    expect(members.length / ids.length).toBeGreaterThan(0.035);
    expect(members.length / ids.length).toBeLessThan(0.065);
    for (const id of members) expect(hash('ws', id, 2)).toBeLessThan(0.05);
    expect(ids.some((id) => decideGlobalHoldout(id, { seed: 'ws', percent: 0 }))).toBe(false);
    expect(decideGlobalHoldout('x', null)).toBe(false);
  });
});
