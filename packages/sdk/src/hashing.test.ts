import { describe, expect, it } from 'vitest';
import cases from '../fixtures/growthbook-cases.json';
import { bucketRanges, chooseVariant, equalWeights, fnv1a32, hash, inNamespace } from './hashing';
import { evaluateExperiment } from './evaluate';
import type { SdkExperiment } from './types';

type HashCase = [string, string, number, number | null];
type RangeCase = [string, [number, number, number[] | null], [number, number][]];
type ChooseCase = [string, number, [number, number][], number];
type NamespaceCase = [string, string, [string, number, number], boolean];
type RunCase = [
  string,
  string,
  {
    key: string;
    variations: number;
    weights?: number[];
    coverage?: number;
    seed?: string;
    hashVersion?: number;
    namespace?: [string, number, number];
  },
  number,
  boolean,
];

describe('fnv1a32', () => {
  it('matches the FNV-1a 32-bit reference values', () => {
    // Reference values of the FNV specification (draft-eastlake-fnv, test vectors for FNV-1a 32).
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('GrowthBook test vectors', () => {
  it.each(cases.hash as HashCase[])('hash(%j, %j, v%i) = %j', (seed, value, version, expected) => {
    const n = hash(seed, value, version);
    if (expected === null) expect(n).toBeNull();
    else expect(n).toBeCloseTo(expected, 10);
  });

  it.each(cases.getBucketRange as RangeCase[])(
    'bucket ranges: %s',
    (_name, [n, coverage, weights], expected) => {
      const ranges = bucketRanges(n, coverage, weights ?? undefined);
      expect(ranges).toHaveLength(expected.length);
      ranges.forEach((r, i) => {
        expect(r[0]).toBeCloseTo(expected[i]![0], 10);
        expect(r[1]).toBeCloseTo(expected[i]![1], 10);
      });
    },
  );

  it.each(cases.chooseVariation as ChooseCase[])('choose variant: %s', (_name, n, ranges, expected) => {
    expect(chooseVariant(n, ranges)).toBe(expected);
  });

  it.each(cases.inNamespace as NamespaceCase[])('namespace: %s', (_name, id, ns, expected) => {
    expect(inNamespace(id, ns)).toBe(expected);
  });

  it.each(cases.getEqualWeights as [number, number[]][])('equal weights of %i', (n, expected) => {
    const w = equalWeights(n);
    expect(w).toHaveLength(expected.length);
    w.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 8));
  });

  it.each(cases.run as RunCase[])('run: %s', (_name, id, exp, expectedIndex, inExperiment) => {
    const experiment: SdkExperiment = {
      key: exp.key,
      kind: 'ab',
      seed: exp.seed ?? exp.key,
      hashVersion: exp.hashVersion ?? 1,
      coverage: exp.coverage ?? 1,
      variants: (exp.weights ?? equalWeights(exp.variations)).map((weight, i) => ({
        key: `v${i}`,
        weight,
        isControl: i === 0,
      })),
      namespace: exp.namespace ?? null,
      targeting: [],
    };
    const result = evaluateExperiment(experiment, { id });
    expect(result.inExperiment).toBe(inExperiment);
    expect(inExperiment ? result.variantIndex : 0).toBe(expectedIndex);
  });
});

describe('bucket ranges', () => {
  it('only widen from fixed starts when coverage grows, so nobody changes variant', () => {
    const narrow = bucketRanges(3, 0.1, [0.2, 0.3, 0.5]);
    const wide = bucketRanges(3, 0.5, [0.2, 0.3, 0.5]);
    for (let i = 0; i < 3; i++) {
      expect(wide[i]![0]).toBe(narrow[i]![0]);
      expect(wide[i]![1]).toBeGreaterThan(narrow[i]![1]);
    }
  });
});
