/**
 * Seeded simulation from the BG/NBD generative process, for benchmarks and parameter-recovery tests. Not
 * part of the public API.
 */
import type { BgNbdParams } from './bgnbd';

/** xoshiro128** (Blackman & Vigna 2018), seeded by splitmix32; 53-bit uniforms in (0, 1). */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  private nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    return result;
  }

  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  normal(): number {
    // Marsaglia's polar method.
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }

  /** Gamma(shape, rate 1) by Marsaglia & Tsang (2000), with the u^{1/shape} boost for shape < 1. */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export interface SimulatedCustomers {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
}

/**
 * Customers from the BG/NBD process: λ ~ Gamma(r, α), p ~ Beta(a, b); exponential inter-purchase times with
 * rate λ; after each repeat purchase the customer drops out with probability p. Ages T are uniform in
 * [minT, maxT] (a cohort acquired over a window); times are rounded to `resolution` (e.g. one day in weeks,
 * 1/7) as purchase dates are in real data.
 */
export function simulateBgNbd(
  params: BgNbdParams,
  customers: number,
  options: { seed: number; minT: number; maxT: number; resolution?: number },
): SimulatedCustomers {
  const random = new Random(options.seed);
  const resolution = options.resolution ?? 0;
  const round = (t: number): number => (resolution > 0 ? Math.round(t / resolution) * resolution : t);
  const out: SimulatedCustomers = {
    x: new Float64Array(customers),
    tx: new Float64Array(customers),
    T: new Float64Array(customers),
  };
  for (let i = 0; i < customers; i++) {
    const T = round(options.minT + (options.maxT - options.minT) * random.uniform());
    const lambda = random.gamma(params.r) / params.alpha;
    const p = random.beta(params.a, params.b);
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(random.uniform()) / lambda;
      if (t > T) break;
      x++;
      tx = t;
      if (random.uniform() < p) break;
    }
    out.x[i] = x;
    out.tx[i] = x === 0 ? 0 : Math.min(round(tx), T);
    out.T[i] = T;
  }
  return out;
}
