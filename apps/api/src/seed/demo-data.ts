/**
 * The demo workspace: synthetic but plausible customers of a subscription shop, their order history, a running
 * A/B test and a running holdout test whose true effects are known (DEMO_TRUE_EFFECTS), so the results pages
 * have something real to find. Everything is derived from fixed seeds: the same customer always gets the same
 * attributes and outcomes, which keeps the seed idempotent.
 */

export const DEMO_CUSTOMERS = 5_000;
export const DEMO_EXTERNAL_ID_PREFIX = 'demo-';

/**
 * The effects built into the data. Outcomes are drawn per customer with these probabilities within the metric
 * window (14 days) after exposure; nothing else produces these events in that window.
 */
export const DEMO_TRUE_EFFECTS = {
  'checkout-upsell-banner': { metric: 'plan_upgrade', control: 0.08, treatment: 0.1 },
  'winback-email-q1': { metric: 'purchase', control: 0.06, treatment: 0.09 },
} as const;

/** Mean order amount (EUR) in every arm: revenue moves only through the purchase probability. */
export const DEMO_MEAN_ORDER_EUR = 60;

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness

/** FNV-1a: a stable 32-bit hash, so each (customer, purpose) pair has its own random stream. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for synthetic data (not for bucketing, which uses the SDK's hash). */
export function randomStream(key: string): () => number {
  let a = hash32(key);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rnd: () => number, options: readonly (readonly [T, number])[]): T {
  if (options.length === 0) throw new Error('pick: no options');
  const total = options.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [value, weight] of options) {
    r -= weight;
    if (r < 0) return value;
  }
  return (options[options.length - 1] as readonly [T, number])[0];
}

/** Box-Muller standard normal. */
function normal(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

/** Log-normal order amount with the given mean and a realistic spread (sigma 0.6), rounded to cents. */
function orderAmount(rnd: () => number, mean: number): number {
  const sigma = 0.6;
  const mu = Math.log(mean) - (sigma * sigma) / 2;
  return Math.max(1, Math.round(Math.exp(mu + sigma * normal(rnd)) * 100) / 100);
}

const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Customers

export interface DemoCustomer {
  externalId: string;
  segment: string;
  acquisitionDate: string;
  acquisitionChannel: string;
  plan: string;
  country: string;
  timezone: string;
  traits: Record<string, string | number | boolean>;
}

const SEGMENTS = [
  ['new', 30],
  ['regular', 45],
  ['vip', 10],
  ['lapsed', 15],
] as const;
const CHANNELS = [
  ['organic', 40],
  ['paid_search', 25],
  ['social', 15],
  ['referral', 12],
  ['partner', 8],
] as const;
const PLANS = [
  ['free', 50],
  ['basic', 30],
  ['pro', 20],
] as const;
const PLACES: readonly (readonly [readonly [string, string], number])[] = [
  [['DE', 'Europe/Berlin'], 35],
  [['US', 'America/New_York'], 25],
  [['GB', 'Europe/London'], 15],
  [['FR', 'Europe/Paris'], 15],
  [['NL', 'Europe/Amsterdam'], 10],
];
/** Orders per 90 days by segment: the history before the experiments. */
const HISTORY_ORDERS: Record<string, number> = { new: 0.6, regular: 1.4, vip: 3.5, lapsed: 0.15 };

export function demoCustomers(now: Date, count = DEMO_CUSTOMERS): DemoCustomer[] {
  return Array.from({ length: count }, (_, i) => {
    const externalId = `${DEMO_EXTERNAL_ID_PREFIX}${String(i + 1).padStart(5, '0')}`;
    const rnd = randomStream(`customer:${externalId}`);
    const segment = pick(rnd, SEGMENTS);
    const [country, timezone] = pick(rnd, PLACES);
    const ageDays = segment === 'new' ? 5 + Math.floor(rnd() * 85) : 90 + Math.floor(rnd() * 640);
    const acquired = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - ageDays * DAY,
    );
    return {
      externalId,
      segment,
      acquisitionDate: acquired.toISOString().slice(0, 10),
      acquisitionChannel: pick(rnd, CHANNELS),
      plan: pick(rnd, PLANS),
      country,
      timezone,
      traits: {
        newsletter: rnd() < 0.55,
        ordersLastYear: Math.round((HISTORY_ORDERS[segment] ?? 1) * 4 * (0.5 + rnd())),
        ltv: Math.round((segment === 'vip' ? 900 : 180) * (0.4 + rnd() * 1.2) * 100) / 100,
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Catalogue: metrics and experiments

export const DEMO_METRICS = [
  { key: 'purchase', name: 'Purchase', kind: 'proportion', eventName: 'order', windowDays: 14 },
  {
    key: 'revenue',
    name: 'Revenue per customer',
    kind: 'mean',
    eventName: 'order',
    windowDays: 14,
    capping: 'percentile',
    capValue: 0.99,
  },
  {
    key: 'plan_upgrade',
    name: 'Plan upgrade',
    kind: 'proportion',
    eventName: 'plan_upgrade',
    windowDays: 14,
  },
] as const;

export interface DemoExperiment {
  key: keyof typeof DEMO_TRUE_EFFECTS;
  name: string;
  kind: 'ab' | 'holdout';
  hypothesis: string;
  startedDaysAgo: number;
  /** Exposures happen during the first days after the start. */
  exposureDays: number;
  targeting: { type: 'segment'; operator: 'in'; segments: string[] }[];
  variants: { key: string; name: string; weight: number; isControl: boolean }[];
  metrics: { key: string; role: 'primary' | 'secondary' | 'guardrail' }[];
}

export const DEMO_EXPERIMENTS: DemoExperiment[] = [
  {
    key: 'checkout-upsell-banner',
    name: 'Upsell banner at checkout',
    kind: 'ab',
    hypothesis: 'Showing the next plan up at checkout makes more customers upgrade.',
    startedDaysAgo: 21,
    exposureDays: 7,
    targeting: [],
    variants: [
      { key: 'control', name: 'No banner', weight: 0.5, isControl: true },
      { key: 'banner', name: 'Upsell banner', weight: 0.5, isControl: false },
    ],
    metrics: [
      { key: 'plan_upgrade', role: 'primary' },
      { key: 'revenue', role: 'secondary' },
    ],
  },
  {
    key: 'winback-email-q1',
    name: 'Win-back email series',
    kind: 'holdout',
    hypothesis: 'Three win-back emails bring lapsing customers back to buy.',
    startedDaysAgo: 28,
    exposureDays: 3,
    targeting: [{ type: 'segment', operator: 'in', segments: ['lapsed', 'regular'] }],
    variants: [
      { key: 'holdout', name: 'Holdout (no emails)', weight: 0.2, isControl: true },
      { key: 'treated', name: 'Win-back emails', weight: 0.8, isControl: false },
    ],
    metrics: [
      { key: 'purchase', role: 'primary' },
      { key: 'revenue', role: 'secondary' },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Events

/** An event in the ingestion format (validated by the same rules as POST /v1/events). */
export type DemoEvent = Record<string, unknown> & { clientEventId: string };

/**
 * Order history before the first experiment started: gives customers a past without touching any experiment's
 * metric window.
 */
export function historyEvents(customers: DemoCustomer[], before: Date): DemoEvent[] {
  const events: DemoEvent[] = [];
  for (const c of customers) {
    const rnd = randomStream(`history:${c.externalId}`);
    const rate = HISTORY_ORDERS[c.segment] ?? 1;
    // floor(rate + U) has mean `rate`: whole orders with the segment's expected count.
    const orders = Math.floor(rate + rnd());
    for (let n = 0; n < orders; n++) {
      events.push({
        clientEventId: `demo:history:${c.externalId}:${n}`,
        type: 'order',
        customerId: c.externalId,
        amount: orderAmount(rnd, DEMO_MEAN_ORDER_EUR),
        currency: 'EUR',
        revenueStream: pick(rnd, [
          ['upsell', 2],
          ['cross_sell', 3],
          ['other', 5],
        ] as const),
        occurredAt: new Date(before.getTime() - (1 + rnd() * 89) * DAY).toISOString(),
      });
    }
  }
  return events;
}

/**
 * Exposure and outcome events of one experiment: each assigned customer is exposed once during the exposure
 * days; with the arm's probability (DEMO_TRUE_EFFECTS) they convert within the 14-day window after it.
 */
export function experimentEvents(
  experiment: DemoExperiment,
  startedAt: Date,
  assignments: ReadonlyMap<string, string>,
): DemoEvent[] {
  const effect = DEMO_TRUE_EFFECTS[experiment.key];
  const control = experiment.variants.find((v) => v.isControl)?.key;
  const events: DemoEvent[] = [];
  for (const [externalId, variantKey] of assignments) {
    const rnd = randomStream(`${experiment.key}:${externalId}`);
    const exposedAt = startedAt.getTime() + rnd() * experiment.exposureDays * DAY;
    events.push({
      clientEventId: `demo:${experiment.key}:exposure:${externalId}`,
      type: 'exposure',
      customerId: externalId,
      experimentKey: experiment.key,
      variantKey,
      occurredAt: new Date(exposedAt).toISOString(),
      ...(experiment.kind === 'holdout'
        ? { properties: { channel: 'email', sent: variantKey !== control } }
        : {}),
    });
    const p = variantKey === control ? effect.control : effect.treatment;
    if (rnd() >= p) continue;
    const at = new Date(exposedAt + (0.1 + rnd() * 13.5) * DAY).toISOString();
    if (effect.metric === 'plan_upgrade') {
      events.push({
        clientEventId: `demo:${experiment.key}:upgrade:${externalId}`,
        type: 'conversion',
        name: 'plan_upgrade',
        customerId: externalId,
        value: 12,
        occurredAt: at,
        properties: { from: 'basic', to: 'pro' },
      });
    } else {
      events.push({
        clientEventId: `demo:${experiment.key}:order:${externalId}`,
        type: 'order',
        customerId: externalId,
        amount: orderAmount(rnd, DEMO_MEAN_ORDER_EUR),
        currency: 'EUR',
        revenueStream: 'retention',
        occurredAt: at,
      });
    }
  }
  return events;
}
