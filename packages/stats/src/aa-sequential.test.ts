import { describe, expect, it } from 'vitest';
import { estimateEffect } from './effect';
import { frequentistTest } from './frequentist';
import { sequentialTest } from './sequential';
import { type ArmSummary, type MetricSpec, summarizeArms } from './sufficient';
import type { Difference, EffectEstimate, MeanSufficientStats } from './types';

// A/A simulations: holdout and variant come from the same distribution, the experiment is peeked at after
// every batch of enrollment, and an experiment counts as a false positive if ANY peek rejects.
// The sequential test must keep that rate at or below alpha; the fixed-horizon test peeked the same way
// does not, which is why the sequential engine exists.

const ALPHA = 0.05;

/** xoshiro128** (Blackman & Vigna 2018), seeded through a 32-bit integer hash so nearby seeds differ. */
function createRandom(seed: number): () => number {
  let h = seed >>> 0;
  const next32 = () => {
    h = (h + 0x9e3779b9) >>> 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = next32();
  let s1 = next32();
  let s2 = next32();
  let s3 = next32();
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return (result + 0.5) / 4294967296; // strictly inside (0, 1)
  };
}

/** Standard normal draws by the Box–Muller transform (both values of each pair used). */
function createNormal(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** Welch / delta-method effect through the same pipeline the analysis uses. */
function effectFromSums(
  metric: MetricSpec,
  control: MeanSufficientStats,
  treatment: MeanSufficientStats,
  difference: Difference,
): EffectEstimate | null {
  // A relative lift is undefined while the holdout has no conversions yet.
  if (difference === 'relative' && control.sum === 0) return null;
  const [c, t] = summarizeArms(metric, [control, treatment]);
  return estimateEffect(c as ArmSummary, t as ArmSummary, difference);
}

interface Scenario {
  metric: MetricSpec;
  experiments: number;
  batches: number;
  unitsPerArmPerBatch: number;
  difference: Difference;
  /** Draws one unit's metric value in the given arm. */
  draw: (arm: 'control' | 'treatment') => number;
}

interface Rates {
  sequentialAnyPeek: number;
  fixedAnyPeek: number;
  fixedFinalLook: number;
}

function simulate(s: Scenario): Rates {
  let sequentialHits = 0;
  let fixedHits = 0;
  let fixedFinalHits = 0;
  for (let e = 0; e < s.experiments; e++) {
    const control: MeanSufficientStats = { n: 0, sum: 0, sumSquares: 0 };
    const treatment: MeanSufficientStats = { n: 0, sum: 0, sumSquares: 0 };
    let sequentialRejected = false;
    let fixedRejected = false;
    for (let b = 0; b < s.batches; b++) {
      for (let u = 0; u < s.unitsPerArmPerBatch; u++) {
        const x = s.draw('control');
        control.n += 1;
        control.sum += x;
        control.sumSquares += x * x;
        const y = s.draw('treatment');
        treatment.n += 1;
        treatment.sum += y;
        treatment.sumSquares += y * y;
      }
      const effect = effectFromSums(s.metric, control, treatment, s.difference);
      if (effect === null) continue;
      if (sequentialTest(effect, { alpha: ALPHA }).pValue < ALPHA) sequentialRejected = true;
      const fixedRejects = frequentistTest(effect, { alpha: ALPHA }).pValue < ALPHA;
      if (fixedRejects) fixedRejected = true;
      if (b === s.batches - 1 && fixedRejects) fixedFinalHits += 1;
    }
    if (sequentialRejected) sequentialHits += 1;
    if (fixedRejected) fixedHits += 1;
  }
  return {
    sequentialAnyPeek: sequentialHits / s.experiments,
    fixedAnyPeek: fixedHits / s.experiments,
    fixedFinalLook: fixedFinalHits / s.experiments,
  };
}

describe('A/A experiments peeked after every batch', () => {
  it('the sequential test keeps the false-positive rate ≤ 5% on a revenue metric (absolute difference)', () => {
    const normal = createNormal(createRandom(20240611));
    const rates = simulate({
      metric: { type: 'mean' },
      experiments: 2000,
      batches: 20,
      unitsPerArmPerBatch: 100,
      difference: 'absolute',
      draw: () => 10 + 4 * normal(),
    });
    expect(rates.sequentialAnyPeek).toBeLessThanOrEqual(ALPHA);
    // The same peeking with the fixed-horizon test inflates the error far past 5% ...
    expect(rates.fixedAnyPeek).toBeGreaterThan(0.1);
    // ... although each single look on its own is calibrated.
    expect(rates.fixedFinalLook).toBeGreaterThan(0.03);
    expect(rates.fixedFinalLook).toBeLessThan(0.07);
  });

  it('the sequential test keeps the false-positive rate ≤ 5% on a conversion metric (relative lift)', () => {
    const uniform = createRandom(7);
    const rates = simulate({
      metric: { type: 'proportion' },
      experiments: 2000,
      batches: 20,
      unitsPerArmPerBatch: 150,
      difference: 'relative',
      draw: () => (uniform() < 0.08 ? 1 : 0),
    });
    expect(rates.sequentialAnyPeek).toBeLessThanOrEqual(ALPHA);
    expect(rates.fixedAnyPeek).toBeGreaterThan(0.1);
    expect(rates.fixedFinalLook).toBeGreaterThan(0.03);
    expect(rates.fixedFinalLook).toBeLessThan(0.07);
  });

  it('still detects a real lift (the guarantee is not bought by never rejecting)', () => {
    const normal = createNormal(createRandom(99));
    const rates = simulate({
      metric: { type: 'mean' },
      experiments: 300,
      batches: 20,
      unitsPerArmPerBatch: 100,
      difference: 'absolute',
      draw: (arm) => 10 + (arm === 'treatment' ? 0.5 : 0) + 4 * normal(),
    });
    expect(rates.sequentialAnyPeek).toBeGreaterThan(0.6);
  });
});
