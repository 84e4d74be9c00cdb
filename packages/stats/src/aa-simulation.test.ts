import { describe, expect, it } from 'vitest';
import { estimateEffect } from './effect';
import { frequentistTest } from './frequentist';
import { summarizeArms, type MetricSpec, type VariantSufficientStats } from './sufficient';
import type { Difference } from './types';

/**
 * Simulated experiments through the whole pipeline summarizeArms → estimateEffect → frequentistTest, from
 * unit-level rows aggregated to sufficient statistics exactly as the database would. Deterministic: a seeded
 * PRNG, so a run either always passes or always fails.
 */

/** sfc32 ("Small Fast Chaotic", C. Doty-Humphrey, PractRand), seeded through splitmix32. */
function createRng(seed: number): { uniform: () => number; normal: () => number } {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32();
  /** Uniform on the open interval (0, 1) with 53 random bits. */
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6) + 0.5) / 9007199254740992;
  let spare: number | null = null;
  /** Standard normal by the Box–Muller transform, both outputs used. */
  const normal = (): number => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const phi = 2 * Math.PI * uniform();
    spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  };
  return { uniform, normal };
}

type Rng = ReturnType<typeof createRng>;

/** Poisson draw by Knuth's multiplication method (small means only). */
function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

interface Scenario {
  name: string;
  metric: MetricSpec;
  /** One arm's sufficient statistics from n generated units; `scale` multiplies the treatment's post values. */
  arm: (rng: Rng, n: number, scale: number) => VariantSufficientStats;
  /** True lift for the `scale` used, by difference. */
  truth?: (scale: number) => Record<Difference, number>;
}

function meanStats(values: (rng: Rng) => number) {
  return (rng: Rng, n: number, scale: number): VariantSufficientStats => {
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const x = values(rng) * scale;
      sum += x;
      sumSquares += x * x;
    }
    return { n, sum, sumSquares };
  };
}

const scenarios: Scenario[] = [
  {
    name: 'normal order value',
    metric: { type: 'mean' },
    arm: meanStats((rng) => 50 + 12 * rng.normal()),
  },
  {
    name: 'skewed revenue (log-normal, σ = 1)',
    metric: { type: 'mean' },
    arm: meanStats((rng) => Math.exp(3 + rng.normal())),
    // E[X] = exp(3.5); scaling the treatment by s gives relative lift s − 1
    truth: (s) => ({ relative: s - 1, absolute: (s - 1) * Math.exp(3.5) }),
  },
  {
    name: 'conversion at 10%',
    metric: { type: 'proportion' },
    arm: (rng, n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) if (rng.uniform() < 0.1) sum++;
      return { n, sum, sumSquares: sum };
    },
  },
  {
    name: 'CUPED on spend with a correlated pre-period',
    metric: { type: 'mean', cuped: true },
    arm: (rng, n, scale) => {
      let sum = 0;
      let sumSquares = 0;
      let preSum = 0;
      let preSumSquares = 0;
      let sumProducts = 0;
      for (let i = 0; i < n; i++) {
        const pre = Math.exp(2 + 0.6 * rng.normal());
        const post = (0.8 * pre + 4 * rng.normal() + 5) * scale;
        sum += post;
        sumSquares += post * post;
        preSum += pre;
        preSumSquares += pre * pre;
        sumProducts += pre * post;
      }
      return { n, sum, sumSquares, preSum, preSumSquares, sumProducts };
    },
    // E[post] = 0.8·exp(2.18) + 5
    truth: (s) => ({ relative: s - 1, absolute: (s - 1) * (0.8 * Math.exp(2.18) + 5) }),
  },
  {
    name: 'revenue per order (ratio)',
    metric: { type: 'ratio' },
    arm: (rng, n, scale) => {
      let sum = 0;
      let sumSquares = 0;
      let denSum = 0;
      let denSumSquares = 0;
      let sumNumDen = 0;
      for (let i = 0; i < n; i++) {
        const orders = poisson(rng, 1.5);
        let revenue = 0;
        for (let k = 0; k < orders; k++) revenue += Math.exp(3 + 0.5 * rng.normal());
        revenue *= scale;
        sum += revenue;
        sumSquares += revenue * revenue;
        denSum += orders;
        denSumSquares += orders * orders;
        sumNumDen += revenue * orders;
      }
      return { n, sum, sumSquares, denSum, denSumSquares, sumNumDen };
    },
    // revenue per order has mean exp(3.125)
    truth: (s) => ({ relative: s - 1, absolute: (s - 1) * Math.exp(3.125) }),
  },
];

const EXPERIMENTS = 4000;
const N_CONTROL = 500;
const N_TREATMENT = 550;
/** Generous: the simulation takes a few seconds, more on a loaded machine. */
const TIMEOUT_MS = 120_000;
const ALPHA = 0.05;

interface Rates {
  falsePositive: Record<Difference, number>;
  coverage: Record<Difference, number>;
}

/** Runs `EXPERIMENTS` experiments; coverage is of the true lift (0 in an A/A test). */
function simulate(scenario: Scenario, seed: number, scale: number): Rates {
  const rng = createRng(seed);
  const truth = scale === 1 ? { relative: 0, absolute: 0 } : scenario.truth!(scale);
  const rejected = { relative: 0, absolute: 0 };
  const covered = { relative: 0, absolute: 0 };
  for (let e = 0; e < EXPERIMENTS; e++) {
    const control = scenario.arm(rng, N_CONTROL, 1);
    const treatment = scenario.arm(rng, N_TREATMENT, scale);
    const [c, t] = summarizeArms(scenario.metric, [control, treatment]);
    for (const difference of ['absolute', 'relative'] as const) {
      const result = frequentistTest(estimateEffect(c!, t!, difference), { alpha: ALPHA });
      if (result.pValue < ALPHA) rejected[difference]++;
      if (result.ci[0] <= truth[difference] && truth[difference] <= result.ci[1]) covered[difference]++;
    }
  }
  return {
    falsePositive: { relative: rejected.relative / EXPERIMENTS, absolute: rejected.absolute / EXPERIMENTS },
    coverage: { relative: covered.relative / EXPERIMENTS, absolute: covered.absolute / EXPERIMENTS },
  };
}

// With 4,000 experiments the standard error of a 5% rate is 0.34%, so [4%, 6%] is a ±2.9 SE band.
describe('frequentist A/A simulation (4,000 experiments per metric, 500 vs 550 units)', () => {
  scenarios.forEach((scenario, index) => {
    it(
      `${scenario.name}: false positives 4–6% and coverage 94–96%, absolute and relative`,
      () => {
        const rates = simulate(scenario, 0x5eed + index, 1);
        for (const difference of ['absolute', 'relative'] as const) {
          expect(rates.falsePositive[difference], difference).toBeGreaterThanOrEqual(0.04);
          expect(rates.falsePositive[difference], difference).toBeLessThanOrEqual(0.06);
          expect(rates.coverage[difference], difference).toBeGreaterThanOrEqual(0.94);
          expect(rates.coverage[difference], difference).toBeLessThanOrEqual(0.96);
        }
      },
      TIMEOUT_MS,
    );
  });

  scenarios
    .filter((s) => s.truth)
    .forEach((scenario, index) => {
      it(
        `${scenario.name}: a true 5% lift is covered 94–96% of the time (A/B with known effect)`,
        () => {
          const rates = simulate(scenario, 0xab00 + index, 1.05);
          for (const difference of ['absolute', 'relative'] as const) {
            expect(rates.coverage[difference], difference).toBeGreaterThanOrEqual(0.94);
            expect(rates.coverage[difference], difference).toBeLessThanOrEqual(0.96);
          }
        },
        TIMEOUT_MS,
      );
    });
});
