/**
 * Seeded simulation of a BG/NBD + Gamma-Gamma customer base with a campaign that multiplies the purchase rate of
 * its treated customers by a known factor, and the true (population) incremental value computed from the known
 * parameters. Shared by the integration test and the bench; pure, no database.
 */

export interface SimulationParams {
  /** BG/NBD in days: λ ~ Gamma(r, rate α), drop-out after each repeat purchase p ~ Beta(a, b). */
  r: number;
  alpha: number;
  a: number;
  b: number;
  /** Gamma-Gamma: order value ~ Gamma(shape p, rate ν), ν ~ Gamma(q, rate γ). */
  p: number;
  q: number;
  gamma: number;
}

export interface SimulatedCustomer {
  index: number;
  treated: boolean;
  /** Day (from the simulation origin) of the first purchase, which is also the assignment. */
  firstDay: number;
  /** Days of every purchase (first included) and their values. */
  purchases: { day: number; amount: number }[];
}

/** Mulberry32: small, fast, seeded; good enough for simulation. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rnd: () => number): number {
  const u = 1 - rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
export function gammaVariate(rnd: () => number, shape: number): number {
  if (shape < 1) return gammaVariate(rnd, shape + 1) * Math.pow(1 - rnd(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rnd);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rnd();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function betaVariate(rnd: () => number, a: number, b: number): number {
  const x = gammaVariate(rnd, a);
  return x / (x + gammaVariate(rnd, b));
}

interface Latent {
  lambda: number;
  dropout: number;
  nu: number;
}

function drawLatent(rnd: () => number, params: SimulationParams, rateFactor: number): Latent {
  return {
    lambda: (gammaVariate(rnd, params.r) / params.alpha) * rateFactor,
    dropout: betaVariate(rnd, params.a, params.b),
    nu: gammaVariate(rnd, params.q) / params.gamma,
  };
}

/**
 * Customers acquired uniformly over [0, acquisitionDays) days, assigned at their first purchase (treated with
 * probability `treatedShare`), observed until day `until`. Treated customers buy at `rateFactor` × their rate.
 */
export function simulateCampaign(options: {
  params: SimulationParams;
  customers: number;
  acquisitionDays: number;
  until: number;
  treatedShare: number;
  rateFactor: number;
  seed: number;
}): SimulatedCustomer[] {
  const rnd = seededRandom(options.seed);
  const out: SimulatedCustomer[] = [];
  for (let i = 0; i < options.customers; i++) {
    const treated = rnd() < options.treatedShare;
    const z = drawLatent(rnd, options.params, treated ? options.rateFactor : 1);
    const firstDay = rnd() * options.acquisitionDays;
    const amount = () => Math.round((gammaVariate(rnd, options.params.p) / z.nu) * 100) / 100 + 0.01;
    const purchases = [{ day: firstDay, amount: amount() }];
    let t = firstDay;
    for (;;) {
      t += -Math.log(1 - rnd()) / z.lambda;
      if (t >= options.until) break;
      purchases.push({ day: t, amount: amount() });
      if (rnd() < z.dropout) break;
    }
    out.push({ index: i, treated, firstDay, purchases });
  }
  return out;
}

/**
 * True expected value per customer of an arm, by Monte Carlo over the known latent distributions (`draws`
 * customers): order revenue from the first purchase to `until`, and the expected revenue in each month of the
 * next `months` (30.4375 days), discounted monthly at `annualRate` (end of month) times `discount`. With known
 * (λ, p): P(alive at age τ) = e^{−λpτ} and E[purchases in (τ, τ+t] | alive] = (1 − e^{−λpt})/p (Fader, Hardie
 * & Lee 2005); the expected order value given ν is p/ν, whose mean over ν is pγ/(q − 1).
 */
export function trueArmValue(options: {
  params: SimulationParams;
  rateFactor: number;
  acquisitionDays: number;
  until: number;
  months: number;
  annualRate: number;
  discount: number;
  draws: number;
  seed: number;
}): { observed: number; predicted: number } {
  const { params } = options;
  const rnd = seededRandom(options.seed);
  const meanSpend = (params.p * params.gamma) / (params.q - 1);
  const monthDays = 365.25 / 12;
  const monthly = Math.pow(1 + options.annualRate, 1 / 12) - 1;
  let observed = 0;
  let predicted = 0;
  for (let i = 0; i < options.draws; i++) {
    const lambda = (gammaVariate(rnd, params.r) / params.alpha) * options.rateFactor;
    const dropout = betaVariate(rnd, params.a, params.b);
    // Stratified age so the Monte Carlo error of the age integral is negligible.
    const age = options.until - ((i + rnd()) / options.draws) * options.acquisitionDays;
    const k = lambda * dropout;
    observed += 1 + (1 - Math.exp(-k * age)) / dropout;
    const alive = Math.exp(-k * age);
    let pv = 0;
    for (let m = 0; m < options.months; m++) {
      const inMonth = (Math.exp(-k * m * monthDays) - Math.exp(-k * (m + 1) * monthDays)) / dropout;
      pv += (alive * inMonth) / Math.pow(1 + monthly, m + 1);
    }
    predicted += pv;
  }
  return {
    observed: (observed / options.draws) * meanSpend,
    predicted: (predicted / options.draws) * meanSpend * options.discount,
  };
}
