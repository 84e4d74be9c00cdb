import { describe, expect, it } from 'vitest';
import { GrowthBookClient } from '@growthbook/growthbook';
import { evaluateExperiment } from './evaluate';
import type { SdkExperiment } from './types';

/** Small deterministic PRNG (mulberry32) so the random cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomWeights(rand: () => number, n: number): number[] {
  const raw = Array.from({ length: n }, () => 0.05 + rand());
  const total = raw.reduce((s, x) => s + x, 0);
  const w = raw.map((x) => Math.round((x / total) * 1000) / 1000);
  // Put the rounding remainder on the last arm so the weights sum to 1 as Liftlab requires.
  w[n - 1] = Math.round((1 - w.slice(0, -1).reduce((s, x) => s + x, 0)) * 1000) / 1000;
  return w;
}

describe('agreement with the GrowthBook JavaScript SDK', () => {
  const gb = new GrowthBookClient({});

  it('chooses the same variation for random ids, weights, coverages, seeds and namespaces', () => {
    const rand = prng(20250101);
    let compared = 0;
    let inBoth = 0;
    for (let e = 0; e < 60; e++) {
      const n = 2 + Math.floor(rand() * 4);
      const weights = randomWeights(rand, n);
      const coverage = Math.round(rand() * 100) / 100;
      const key = `exp-${e}-${Math.floor(rand() * 1e6)}`;
      const seed = rand() < 0.5 ? key : `seed-${Math.floor(rand() * 1e9)}`;
      const start = Math.round(rand() * 50) / 100;
      const namespace: [string, number, number] | null =
        rand() < 0.3 ? [`ns-${e % 3}`, start, start + 0.5] : null;
      const ours: SdkExperiment = {
        key,
        kind: 'ab',
        seed,
        hashVersion: 2,
        coverage,
        variants: weights.map((weight, i) => ({ key: `v${i}`, weight, isControl: i === 0 })),
        namespace,
        targeting: [],
      };
      for (let u = 0; u < 200; u++) {
        const id = rand() < 0.5 ? `user-${Math.floor(rand() * 1e9)}` : String(Math.floor(rand() * 1e12));
        const theirs = gb.runInlineExperiment(
          {
            key,
            seed,
            hashVersion: 2,
            variations: weights.map((_, i) => i) as [number, number, ...number[]],
            weights,
            coverage,
            ...(namespace ? { namespace } : {}),
          },
          { attributes: { id } },
        );
        const mine = evaluateExperiment(ours, { id });
        expect(mine.inExperiment, `${key} ${id}`).toBe(theirs.inExperiment);
        if (theirs.inExperiment) {
          inBoth++;
          expect(mine.variantIndex, `${key} ${id}`).toBe(theirs.variationId);
          expect(mine.bucket).toBe(theirs.bucket);
        }
        compared++;
      }
    }
    expect(compared).toBe(12_000);
    // Guard against a vacuous comparison where nobody is ever in an experiment.
    expect(inBoth).toBeGreaterThan(3000);
  });
});
