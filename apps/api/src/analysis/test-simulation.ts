/**
 * A simulated retention campaign with a known true effect, for the integration tests and the benchmark: customers
 * with attributes, one exposure each (control or treatment), conversions and orders before and after exposure.
 * Also an independent, row-by-row computation of the sufficient statistics the database is expected to return.
 */

const DAY = 86_400_000;

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimCustomer {
  externalId: string;
  arm: 'control' | 'treatment';
  exposedAt: Date;
  segment: string;
  plan: string | null;
  acquisitionDate: string;
  tier: string;
}

export interface SimEvent {
  clientEventId: string;
  type: 'exposure' | 'conversion' | 'order' | 'activity';
  name: string;
  customerId: string;
  occurredAt: string;
  experimentKey?: string;
  variantKey?: string;
  amount?: number;
  currency?: string;
  value?: number;
  properties?: Record<string, unknown>;
}

export interface SimulationTruth {
  /** Conversion probability within 14 days of exposure, control and treatment. */
  conversion: { control: number; treatment: number };
  /** Probability that a treated customer places one extra upsell order, and its amount: lift = p × amount. */
  upsell: { probability: number; amount: number };
}

export interface Simulation {
  customers: SimCustomer[];
  events: SimEvent[];
}

/**
 * Customers are exposed on one of `days` days from `start`. Every customer spends in the 28 days before exposure
 * and after it with the same habit (so the pre-period predicts the post-period: CUPED helps); treated customers
 * convert more and sometimes buy an extra upsell order. Some events fall outside every window on purpose.
 */
export function simulateCampaign(options: {
  customers: number;
  seed: number;
  start: Date;
  days: number;
  experimentKey: string;
  truth: SimulationTruth;
  prefix?: string;
}): Simulation {
  const next = random(options.seed);
  const prefix = options.prefix ?? 'c';
  const segments = ['loyal', 'new', 'lapsed'];
  const plans = ['basic', 'plus', null];
  const customers: SimCustomer[] = [];
  const events: SimEvent[] = [];
  const at = (base: Date, days: number) => new Date(base.getTime() + days * DAY).toISOString();
  let eventId = 0;
  const id = () => `${prefix}-e${eventId++}`;

  for (let i = 0; i < options.customers; i++) {
    const externalId = `${prefix}${String(i).padStart(6, '0')}`;
    const arm = next() < 0.5 ? 'control' : 'treatment';
    const exposedAt = new Date(
      options.start.getTime() + Math.floor(next() * options.days) * DAY + Math.floor(next() * DAY),
    );
    const customer: SimCustomer = {
      externalId,
      arm,
      exposedAt,
      segment: segments[Math.floor(next() * 3)] as string,
      plan: plans[Math.floor(next() * 3)] ?? null,
      acquisitionDate: `2024-${String(1 + Math.floor(next() * 6)).padStart(2, '0')}-15`,
      tier: next() < 0.3 ? 'gold' : 'silver',
    };
    customers.push(customer);
    events.push({
      clientEventId: id(),
      type: 'exposure',
      name: 'experiment_exposure',
      customerId: externalId,
      occurredAt: exposedAt.toISOString(),
      experimentKey: options.experimentKey,
      variantKey: arm,
    });

    // Spending habit: a customer-level level shared by the pre- and post-period.
    const habit = 10 + 40 * next() * next();
    const order = (offsetDays: number, amount: number) =>
      events.push({
        clientEventId: id(),
        type: 'order',
        name: 'order',
        customerId: externalId,
        occurredAt: at(exposedAt, offsetDays),
        amount: Math.round(amount * 100) / 100,
        currency: 'EUR',
      });
    if (next() < 0.7) order(-1 - next() * 26, habit * (0.5 + next()));
    if (next() < 0.7) order(next() * 27, habit * (0.5 + next()));
    if (arm === 'treatment' && next() < options.truth.upsell.probability) {
      order(next() * 27, options.truth.upsell.amount);
    }
    // Orders a month or more later: outside the 28-day window, inside later months of the revenue split.
    if (next() < 0.3) order(30 + next() * 20, habit * (0.5 + next()));

    const p = options.truth.conversion[arm];
    if (next() < p) {
      events.push({
        clientEventId: id(),
        type: 'conversion',
        name: 'purchase',
        customerId: externalId,
        occurredAt: at(exposedAt, next() * 13.9),
      });
    }
    // A purchase outside the 14-day window must not count.
    if (next() < 0.1) {
      events.push({
        clientEventId: id(),
        type: 'conversion',
        name: 'purchase',
        customerId: externalId,
        occurredAt: at(exposedAt, 15 + next() * 10),
      });
    }
    // Sessions with a numeric property (capped metric) and one with a non-numeric value (ignored).
    if (next() < 0.4) {
      events.push({
        clientEventId: id(),
        type: 'activity',
        name: 'session',
        customerId: externalId,
        occurredAt: at(exposedAt, next() * 6.9),
        properties: { minutes: Math.round(next() * 60 * 10) / 10 },
      });
    }
    if (next() < 0.05) {
      events.push({
        clientEventId: id(),
        type: 'activity',
        name: 'session',
        customerId: externalId,
        occurredAt: at(exposedAt, next() * 6.9),
        properties: { minutes: 'n/a' },
      });
    }
  }
  return { customers, events };
}

// ------------------------------------------------------------------------------------------------ reference

export interface ReferenceMetric {
  kind: 'proportion' | 'mean' | 'ratio';
  eventName: string;
  valueProperty: string | null;
  denominatorEventName: string | null;
  windowDays: number;
  capping: 'none' | 'absolute' | 'percentile';
  capValue: number | null;
}

export interface ReferenceUnit {
  customer: string;
  arm: string;
  enrolledAt: number;
  groups: Record<string, string>;
}

export interface PerCustomer {
  x: number;
  y: number;
  d: number;
  pd: number;
}

function valueOf(e: SimEvent, property: string | null): number | null {
  if (property === null) return e.value ?? (e.type === 'order' ? (e.amount ?? null) : null);
  const v = e.properties?.[property];
  return typeof v === 'number' ? v : null;
}

/** Linear interpolation between closest ranks, as PostgreSQL's percentile_cont. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/**
 * Per-customer values of a metric, row by row: x over [exposure, exposure + window), y over the window before,
 * d and pd the denominator (event count) for ratios; then the cap.
 */
export function perCustomerValues(
  units: ReferenceUnit[],
  events: SimEvent[],
  metric: ReferenceMetric,
  until: number,
): { values: Map<string, PerCustomer>; cap: number | null } {
  const byCustomer = new Map<string, SimEvent[]>();
  for (const e of events) {
    const list = byCustomer.get(e.customerId) ?? [];
    list.push(e);
    byCustomer.set(e.customerId, list);
  }
  const window = metric.windowDays * DAY;
  const values = new Map<string, PerCustomer>();
  for (const u of units) {
    let x = 0;
    let y = 0;
    let d = 0;
    let pd = 0;
    let anyPost = false;
    let anyPre = false;
    for (const e of byCustomer.get(u.customer) ?? []) {
      const t = Date.parse(e.occurredAt);
      if (t >= until) continue;
      const isPost = t >= u.enrolledAt && t < u.enrolledAt + window;
      const isPre = t >= u.enrolledAt - window && t < u.enrolledAt;
      if (e.name === metric.eventName) {
        const v = valueOf(e, metric.valueProperty);
        if (isPost) {
          anyPost = true;
          x += v ?? 0;
        }
        if (isPre) {
          anyPre = true;
          y += v ?? 0;
        }
      }
      if (metric.kind === 'ratio' && e.name === (metric.denominatorEventName ?? metric.eventName)) {
        if (isPost) d += 1;
        if (isPre) pd += 1;
      }
    }
    if (metric.kind === 'proportion') {
      x = anyPost ? 1 : 0;
      y = anyPre ? 1 : 0;
    }
    values.set(u.customer, { x, y, d, pd });
  }
  let cap: number | null = null;
  if (metric.kind !== 'proportion' && metric.capping === 'absolute') cap = metric.capValue;
  if (metric.kind !== 'proportion' && metric.capping === 'percentile') {
    cap = percentileCont(
      [...values.values()].map((v) => v.x),
      metric.capValue as number,
    );
  }
  if (cap !== null) {
    for (const v of values.values()) {
      v.x = Math.min(v.x, cap);
      v.y = Math.min(v.y, cap);
    }
  }
  return { values, cap };
}

export interface ReferenceSums {
  n: number;
  sum: number;
  sumSquares: number;
  preSum: number;
  preSumSquares: number;
  sumProducts: number;
  denSum: number;
  denSumSquares: number;
  sumNumDen: number;
  preDenSum: number;
  preDenSumSquares: number;
  sumNumPreDen: number;
  sumDenPreNum: number;
  sumDenPreDen: number;
  sumPreNumPreDen: number;
}

/** Sums per `key(unit)` (e.g. arm, or arm + dimension value), with compensated-free plain addition. */
export function referenceSums(
  units: ReferenceUnit[],
  values: Map<string, PerCustomer>,
  key: (u: ReferenceUnit) => string,
): Map<string, ReferenceSums> {
  const out = new Map<string, ReferenceSums>();
  for (const u of units) {
    const k = key(u);
    const s = out.get(k) ?? {
      n: 0,
      sum: 0,
      sumSquares: 0,
      preSum: 0,
      preSumSquares: 0,
      sumProducts: 0,
      denSum: 0,
      denSumSquares: 0,
      sumNumDen: 0,
      preDenSum: 0,
      preDenSumSquares: 0,
      sumNumPreDen: 0,
      sumDenPreNum: 0,
      sumDenPreDen: 0,
      sumPreNumPreDen: 0,
    };
    const { x, y, d, pd } = values.get(u.customer) as PerCustomer;
    s.n += 1;
    s.sum += x;
    s.sumSquares += x * x;
    s.preSum += y;
    s.preSumSquares += y * y;
    s.sumProducts += x * y;
    s.denSum += d;
    s.denSumSquares += d * d;
    s.sumNumDen += x * d;
    s.preDenSum += pd;
    s.preDenSumSquares += pd * pd;
    s.sumNumPreDen += x * pd;
    s.sumDenPreNum += d * y;
    s.sumDenPreDen += d * pd;
    s.sumPreNumPreDen += y * pd;
    out.set(k, s);
  }
  return out;
}

/** Revenue per customer per 30-day month since exposure, for months complete before `until`. */
export function referenceMonths(
  units: ReferenceUnit[],
  events: SimEvent[],
  eventName: string,
  until: number,
): Map<string, { n: number; sum: number; sumSquares: number }> {
  const month = 30 * DAY;
  const out = new Map<string, { n: number; sum: number; sumSquares: number }>();
  const byCustomer = new Map<string, SimEvent[]>();
  for (const e of events) {
    if (e.name !== eventName) continue;
    const list = byCustomer.get(e.customerId) ?? [];
    list.push(e);
    byCustomer.set(e.customerId, list);
  }
  for (const u of units) {
    const complete = Math.min(Math.floor((until - u.enrolledAt) / month), 24);
    for (let k = 0; k < complete; k++) {
      let x = 0;
      for (const e of byCustomer.get(u.customer) ?? []) {
        const t = Date.parse(e.occurredAt);
        if (t >= u.enrolledAt + k * month && t < u.enrolledAt + (k + 1) * month) x += valueOf(e, null) ?? 0;
      }
      const key = `${u.arm}|${k}`;
      const s = out.get(key) ?? { n: 0, sum: 0, sumSquares: 0 };
      s.n += 1;
      s.sum += x;
      s.sumSquares += x * x;
      out.set(key, s);
    }
  }
  return out;
}
