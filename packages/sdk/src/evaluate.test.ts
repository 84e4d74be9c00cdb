import { describe, expect, it } from 'vitest';
import { evaluateExperiment, globalHoldoutGroup, isInGlobalHoldout } from './evaluate';
import { hash, inNamespace } from './hashing';
import type { SdkExperiment } from './types';

const base: SdkExperiment = {
  key: 'winback',
  kind: 'ab',
  seed: 'winback',
  hashVersion: 2,
  coverage: 1,
  variants: [
    { key: 'control', weight: 0.5, isControl: true },
    { key: 'email', weight: 0.5, isControl: false },
  ],
  namespace: null,
  targeting: [],
};

const ids = Array.from({ length: 2000 }, (_, i) => `customer-${i}`);

describe('evaluateExperiment', () => {
  it('puts the customer in the variant whose range holds the v2 hash of seed + id', () => {
    for (const id of ids.slice(0, 200)) {
      const bucket = hash('winback', id, 2)!;
      const r = evaluateExperiment(base, { id });
      expect(r.bucket).toBe(bucket);
      expect(r.variant).toBe(bucket < 0.5 ? 'control' : 'email');
      expect(r.reason).toBe('assigned');
    }
  });

  it('uses the seed, not the key, when they differ', () => {
    const seeded = { ...base, seed: 'other-seed' };
    const differs = ids.some(
      (id) => evaluateExperiment(seeded, { id }).variant !== evaluateExperiment(base, { id }).variant,
    );
    expect(differs).toBe(true);
    for (const id of ids.slice(0, 50))
      expect(evaluateExperiment(seeded, { id }).bucket).toBe(hash('other-seed', id, 2));
  });

  it('splits roughly by weight', () => {
    const exp = {
      ...base,
      variants: [
        { key: 'control', weight: 0.1, isControl: true },
        { key: 'email', weight: 0.9, isControl: false },
      ],
    };
    const control = ids.filter((id) => evaluateExperiment(exp, { id }).variant === 'control').length;
    expect(control / ids.length).toBeGreaterThan(0.07);
    expect(control / ids.length).toBeLessThan(0.13);
  });

  it('leaves customers outside coverage out, and a coverage ramp moves nobody already in', () => {
    const at10 = { ...base, coverage: 0.1 };
    const at50 = { ...base, coverage: 0.5 };
    let inAt10 = 0;
    for (const id of ids) {
      const small = evaluateExperiment(at10, { id });
      const large = evaluateExperiment(at50, { id });
      if (small.inExperiment) {
        inAt10++;
        expect(large.variant).toBe(small.variant);
      } else {
        expect(small.reason).toBe('not_covered');
      }
    }
    expect(inAt10 / ids.length).toBeGreaterThan(0.07);
    expect(inAt10 / ids.length).toBeLessThan(0.13);
  });

  it('excludes customers who fail targeting', () => {
    const exp: SdkExperiment = {
      ...base,
      targeting: [{ type: 'segment', operator: 'in', segments: ['vip'] }],
    };
    expect(evaluateExperiment(exp, { id: 'a', attributes: { segment: 'basic' } }).reason).toBe(
      'not_targeted',
    );
    expect(evaluateExperiment(exp, { id: 'a', attributes: { segment: 'vip' } }).inExperiment).toBe(true);
  });

  it('only admits customers inside its namespace slice; two disjoint slices never share anyone', () => {
    const left: SdkExperiment = { ...base, key: 'left', seed: 'left', namespace: ['pricing', 0, 0.5] };
    const right: SdkExperiment = { ...base, key: 'right', seed: 'right', namespace: ['pricing', 0.5, 1] };
    let both = 0;
    for (const id of ids) {
      const l = evaluateExperiment(left, { id });
      const r = evaluateExperiment(right, { id });
      if (l.inExperiment && r.inExperiment) both++;
      expect(l.inExperiment).toBe(inNamespace(id, ['pricing', 0, 0.5]));
      if (!l.inExperiment) expect(l.reason).toBe('namespace');
    }
    expect(both).toBe(0);
  });

  it('checks the global holdout before anything else, including a stored assignment', () => {
    const holdout = { seed: 'ws-seed', percent: 5 };
    const member = ids.find((id) => globalHoldoutGroup(id, holdout) === 'holdout')!;
    expect(member).toBeDefined();
    const r = evaluateExperiment(base, { id: member }, { globalHoldout: holdout });
    expect(r).toMatchObject({ inExperiment: false, variant: null, reason: 'global_holdout' });
    // A stored "not in holdout" decision wins over the hash (membership is decided once).
    const kept = evaluateExperiment(
      base,
      { id: member },
      { globalHoldout: holdout, sticky: { globalHoldout: false, assignments: {} } },
    );
    expect(kept.inExperiment).toBe(true);
    const storedIn = evaluateExperiment(
      base,
      { id: 'x' },
      { sticky: { globalHoldout: true, assignments: { winback: 'email' } } },
    );
    expect(storedIn.reason).toBe('global_holdout');
  });

  it('returns the stored assignment even when targeting, coverage and weights would say otherwise', () => {
    const closed: SdkExperiment = {
      ...base,
      coverage: 0,
      targeting: [{ type: 'segment', operator: 'in', segments: ['none'] }],
    };
    const r = evaluateExperiment(closed, { id: 'c' }, { sticky: { assignments: { winback: 'email' } } });
    expect(r).toMatchObject({ inExperiment: true, variant: 'email', variantIndex: 1, reason: 'sticky' });
  });

  it('ignores a stored variant that no longer exists', () => {
    const r = evaluateExperiment(base, { id: 'c' }, { sticky: { assignments: { winback: 'gone' } } });
    expect(r.reason).toBe('assigned');
  });

  it('puts the holdout arm of a holdout experiment at the start of the bucket line', () => {
    const exp: SdkExperiment = {
      ...base,
      kind: 'holdout',
      variants: [
        { key: 'holdout', weight: 0.1, isControl: true },
        { key: 'treated', weight: 0.9, isControl: false },
      ],
    };
    for (const id of ids.slice(0, 300)) {
      const r = evaluateExperiment(exp, { id });
      expect(r.variant).toBe(r.bucket! < 0.1 ? 'holdout' : 'treated');
    }
  });

  it('refuses a missing id and an unknown hash version', () => {
    expect(evaluateExperiment(base, { id: '' }).reason).toBe('missing_id');
    expect(evaluateExperiment({ ...base, hashVersion: 3 }, { id: 'a' }).reason).toBe('unsupported_hash');
  });
});

describe('global holdout groups', () => {
  it('draws a holdout and an equal-size comparison sample, disjoint', () => {
    const holdout = { seed: 'ws', percent: 10 };
    const groups = ids.map((id) => globalHoldoutGroup(id, holdout));
    const h = groups.filter((g) => g === 'holdout').length / ids.length;
    const c = groups.filter((g) => g === 'comparison').length / ids.length;
    expect(h).toBeGreaterThan(0.07);
    expect(h).toBeLessThan(0.13);
    expect(c).toBeGreaterThan(0.07);
    expect(c).toBeLessThan(0.13);
    ids.forEach((id, i) => {
      const b = hash('ws', id, 2)!;
      expect(groups[i]).toBe(b < 0.1 ? 'holdout' : b < 0.2 ? 'comparison' : 'rest');
    });
  });

  it('is empty at 0% and uses stored decisions first', () => {
    expect(ids.every((id) => globalHoldoutGroup(id, { seed: 'ws', percent: 0 }) === 'rest')).toBe(true);
    expect(isInGlobalHoldout('a', { globalHoldout: null })).toBe(false);
    expect(
      isInGlobalHoldout('a', { globalHoldout: null, sticky: { globalHoldout: true, assignments: {} } }),
    ).toBe(true);
  });
});
