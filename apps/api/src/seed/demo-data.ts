import type { CampaignCreate, CostLineInput, SequenceCreate, SignalRuleCreate } from '@liftlab/contracts';

/**
 * The demo workspace: synthetic but plausible customers of a subscription shop, their order history, a running
 * A/B test (upsell banner), a running holdout test (win-back e-mails), a campaign around each with a cost
 * ledger, and program targets. The true effects are built in (DEMO_TRUE_EFFECTS, DEMO_MONTHLY_REVENUE), so the
 * results, ROI and portfolio pages have something real to find and the tests something known to recover.
 * Everything is derived from fixed seeds: the same customer always gets the same attributes and outcomes,
 * which keeps the seed idempotent.
 */

/**
 * Enough customers for the win-back holdout (20% of the ~6,000 lapsed and regular customers) to measure a
 * month's revenue lift precisely enough for a verdict, while the seed stays a matter of seconds.
 */
export const DEMO_CUSTOMERS = 10_000;
export const DEMO_EXTERNAL_ID_PREFIX = 'demo-';

/**
 * The effect on each experiment's primary metric: the probability that an exposed customer has the event
 * within the metric window (14 days) after exposure, per arm. Nothing else produces these events in that
 * window.
 */
export const DEMO_TRUE_EFFECTS = {
  'checkout-upsell-banner': { metric: 'plan_upgrade', control: 0.08, treatment: 0.1 },
  'winback-email-q1': { metric: 'purchase', control: 0.06, treatment: 0.1 },
} as const;

export type DemoExperimentKey = keyof typeof DEMO_TRUE_EFFECTS;

/** Mean order amount (EUR) in every arm: order revenue moves only through the purchase probability. */
export const DEMO_MEAN_ORDER_EUR = 60;
/** Monthly price difference (EUR) between the plan a customer upgrades from and the one they upgrade to. */
export const DEMO_UPGRADE_EUR = 12;

/**
 * How each experiment's revenue metric (the one campaign ROI reads) is generated, month by month since
 * exposure (month k = days [30k, 30k + 30)):
 *
 * - upsell banner: a customer who upgrades (DEMO_TRUE_EFFECTS, within 14 days) pays DEMO_UPGRADE_EUR on the
 *   day of the upgrade and every 30 days after it, so every month has one charge per upgraded customer;
 * - win-back e-mails: month 0 is the purchase of DEMO_TRUE_EFFECTS (within 14 days); in every later month a
 *   customer orders once with `laterMonths` probability, on a uniformly drawn day of that month. Orders are
 *   log-normal with mean DEMO_MEAN_ORDER_EUR.
 *
 * Data ends when the seed runs: only months that are complete by then are in the results.
 */
export const DEMO_MONTHLY_REVENUE = {
  'checkout-upsell-banner': {
    metric: 'upsell_revenue',
    revenueStream: 'upsell',
    meanAmount: DEMO_UPGRADE_EUR,
    laterMonths: DEMO_TRUE_EFFECTS['checkout-upsell-banner'],
  },
  'winback-email-q1': {
    metric: 'revenue',
    revenueStream: 'retention',
    meanAmount: DEMO_MEAN_ORDER_EUR,
    laterMonths: { control: 0.06, treatment: 0.1 },
  },
} as const;

/**
 * True incremental revenue per treated customer in month `month` since exposure (EUR, before the metric's
 * capping): (p_treatment − p_control) × mean amount, with p of the first month from DEMO_TRUE_EFFECTS and of
 * later months from DEMO_MONTHLY_REVENUE.
 */
export function trueRevenueLift(experimentKey: DemoExperimentKey, month: number): number {
  const model = DEMO_MONTHLY_REVENUE[experimentKey];
  const p = month === 0 ? DEMO_TRUE_EFFECTS[experimentKey] : model.laterMonths;
  return (p.treatment - p.control) * model.meanAmount;
}

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
    // What the win-back series brings back is orders: retention revenue.
    revenueStream: 'retention',
  },
  {
    key: 'plan_upgrade',
    name: 'Plan upgrade',
    kind: 'proportion',
    eventName: 'plan_upgrade',
    windowDays: 14,
  },
  {
    key: 'upsell_revenue',
    name: 'Upsell revenue per customer',
    kind: 'mean',
    eventName: 'upgrade_charge',
    windowDays: 30,
    revenueStream: 'upsell',
  },
] as const;

export interface DemoExperiment {
  key: DemoExperimentKey;
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
    // Old enough for one complete month since exposure, the first month of upsell revenue.
    startedDaysAgo: 45,
    exposureDays: 7,
    targeting: [],
    variants: [
      { key: 'control', name: 'No banner', weight: 0.5, isControl: true },
      { key: 'banner', name: 'Upsell banner', weight: 0.5, isControl: false },
    ],
    metrics: [
      { key: 'plan_upgrade', role: 'primary' },
      { key: 'upsell_revenue', role: 'secondary' },
    ],
  },
  {
    key: 'winback-email-q1',
    name: 'Win-back email series',
    kind: 'holdout',
    hypothesis: 'Three win-back emails bring lapsing customers back to buy.',
    // Two complete months since exposure: the campaign projects from the second, not the launch burst.
    startedDaysAgo: 75,
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
// Campaigns

/** Gross margin of each revenue stream: plan upgrades are nearly all margin, orders of goods much less. */
export const DEMO_GROSS_MARGINS = { upsell: 0.8, cross_sell: 0.4, retention: 0.45, other: 0.35 } as const;

/** Program targets (ROI, 1 = 100%) the campaigns are compared with. */
export const DEMO_PROGRAM_TARGETS = [
  { programKey: 'winback', targetRoi: 1 },
  { programKey: 'upsell', targetRoi: 0.5 },
] as const;

export interface DemoCampaign {
  key: string;
  name: string;
  programKey: string;
  experimentKey: DemoExperimentKey;
  variantKey: string;
  /**
   * The ledger as a marketer would enter it. `touched` is the number of customers in the treated arm (who got
   * the e-mails or saw the banner); `base` the number of customers the shared subscriptions serve.
   */
  costs(touched: number, base: number): CostLineInput[];
}

export const DEMO_CAMPAIGNS: DemoCampaign[] = [
  {
    key: 'winback-q1',
    name: 'Win-back e-mail series',
    programKey: 'winback',
    experimentKey: 'winback-email-q1',
    variantKey: 'treated',
    costs: (touched, base) => [
      {
        category: 'technology',
        label: 'E-mail automation platform (share of the subscription)',
        monthlyCost: 1_200,
        totalCustomers: Math.max(base, touched, 1),
        touchedCustomers: touched,
        months: 3,
      },
      { category: 'people', label: 'CRM manager: audience, set-up and QA', hours: 24, loadedRate: 65 },
      { category: 'people', label: 'Analyst: holdout read-out', hours: 8, loadedRate: 80, month: 2 },
      {
        category: 'content',
        label: 'Win-back e-mail series: copy and design',
        cost: 3_000,
        usefulLifeMonths: 12,
        monthsUsed: 3,
      },
      { category: 'media', label: 'Paid social retargeting of the e-mailed customers', amount: 1_500 },
      {
        category: 'incentives',
        label: '10 € come-back voucher',
        // About six in ten treated customers who came back in the first weeks used the voucher.
        redemptions: Math.round(touched * DEMO_TRUE_EFFECTS['winback-email-q1'].treatment * 0.6),
        discountPerRedemption: 10,
      },
    ],
  },
  {
    key: 'upsell-banner',
    name: 'Checkout upsell banner',
    programKey: 'upsell',
    experimentKey: 'checkout-upsell-banner',
    variantKey: 'banner',
    costs: (touched, base) => [
      {
        category: 'technology',
        label: 'Experimentation platform (share of the subscription)',
        monthlyCost: 400,
        totalCustomers: Math.max(base, touched, 1),
        touchedCustomers: touched,
        months: 2,
      },
      { category: 'people', label: 'Front-end developer: banner and tracking', hours: 16, loadedRate: 85 },
      { category: 'people', label: 'Product manager: offer and copy', hours: 6, loadedRate: 95 },
      { category: 'content', label: 'Banner design', cost: 900, usefulLifeMonths: 12, monthsUsed: 12 },
    ],
  },
];

/** A campaign's creation body (POST /v1/campaigns), checked by the same contract as the API. */
export function demoCampaignBody(
  campaign: DemoCampaign,
  experimentId: string,
  touched: number,
  base: number,
): CampaignCreate {
  return {
    key: campaign.key,
    name: campaign.name,
    programKey: campaign.programKey,
    experimentId,
    variantKey: campaign.variantKey,
    horizonMonths: 12,
    annualDiscountRate: 0.1,
    grossMargins: { ...DEMO_GROSS_MARGINS },
    costs: campaign.costs(touched, base),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Events

/** An event in the ingestion format (validated by the same rules as POST /v1/events). */
export type DemoEvent = Record<string, unknown> & { clientEventId: string };

/** What the event generators need of a stored customer. */
export interface DemoCustomerRecord {
  externalId: string;
  segment: string | null;
  acquisitionDate: Date | null;
}

/**
 * Order history in the 90 days before the first experiment started (never before the customer was acquired):
 * gives customers a past, and the metrics a pre-period, without touching any experiment's metric window.
 */
export function historyEvents(customers: readonly DemoCustomerRecord[], before: Date): DemoEvent[] {
  const events: DemoEvent[] = [];
  const end = before.getTime();
  for (const c of customers) {
    const rnd = randomStream(`history:${c.externalId}`);
    const from = Math.max(end - 90 * DAY, c.acquisitionDate?.getTime() ?? -Infinity);
    if (from >= end) continue;
    const rate = (HISTORY_ORDERS[c.segment ?? ''] ?? 1) * ((end - from) / (90 * DAY));
    // floor(rate + U) has mean `rate`: whole orders with the segment's expected count over the span.
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
        occurredAt: new Date(from + rnd() * (end - from - 1)).toISOString(),
      });
    }
  }
  return events;
}

/**
 * When an assigned customer is first exposed: a uniformly drawn moment of the exposure days, or null when the
 * customer was only acquired after that moment (nobody is exposed before becoming a customer).
 */
export function exposureTime(
  experiment: DemoExperiment,
  startedAt: Date,
  customer: DemoCustomerRecord,
): Date | null {
  const rnd = randomStream(`${experiment.key}:exposure:${customer.externalId}`);
  const at = startedAt.getTime() + Math.floor(rnd() * experiment.exposureDays * DAY);
  if (customer.acquisitionDate !== null && customer.acquisitionDate.getTime() > at) return null;
  return new Date(at);
}

export interface DemoExposure {
  variantKey: string;
  exposedAt: Date;
}

/**
 * Exposure and outcome events of one experiment until `until` (the moment the data ends), following
 * DEMO_TRUE_EFFECTS and DEMO_MONTHLY_REVENUE. Each customer's outcomes come from their own random stream, drawn
 * in a fixed order, so the same `until` always gives the same events.
 */
export function experimentEvents(
  experiment: DemoExperiment,
  exposures: ReadonlyMap<string, DemoExposure>,
  until: Date,
): DemoEvent[] {
  const effect = DEMO_TRUE_EFFECTS[experiment.key];
  const later = DEMO_MONTHLY_REVENUE[experiment.key].laterMonths;
  const control = experiment.variants.find((v) => v.isControl)?.key;
  const end = until.getTime();
  const events: DemoEvent[] = [];
  for (const [externalId, { variantKey, exposedAt }] of exposures) {
    const rnd = randomStream(`${experiment.key}:${externalId}`);
    const exposed = exposedAt.getTime();
    const arm = variantKey === control ? 'control' : 'treatment';
    events.push({
      clientEventId: `demo:${experiment.key}:exposure:${externalId}`,
      type: 'exposure',
      customerId: externalId,
      experimentKey: experiment.key,
      variantKey,
      occurredAt: exposedAt.toISOString(),
      ...(experiment.kind === 'holdout'
        ? { properties: { channel: 'email', sent: arm === 'treatment' } }
        : {}),
    });
    // Month 0: the primary metric's event, within its 14-day window.
    const converts = rnd() < effect[arm];
    const at = exposed + Math.floor((0.1 + rnd() * 13.5) * DAY);
    if (effect.metric === 'plan_upgrade') {
      if (!converts || at >= end) continue;
      events.push({
        clientEventId: `demo:${experiment.key}:upgrade:${externalId}`,
        type: 'conversion',
        name: 'plan_upgrade',
        customerId: externalId,
        value: DEMO_UPGRADE_EUR,
        occurredAt: new Date(at).toISOString(),
        properties: { from: 'basic', to: 'pro' },
      });
      // The upgraded plan is charged on the day of the upgrade and every 30 days after it.
      for (let k = 0; at + k * 30 * DAY < end; k++) {
        events.push({
          clientEventId: `demo:${experiment.key}:charge:${externalId}:${k}`,
          type: 'order',
          name: 'upgrade_charge',
          customerId: externalId,
          amount: DEMO_UPGRADE_EUR,
          currency: 'EUR',
          revenueStream: 'upsell',
          occurredAt: new Date(at + k * 30 * DAY).toISOString(),
        });
      }
      continue;
    }
    const amount = orderAmount(rnd, DEMO_MEAN_ORDER_EUR);
    if (converts && at < end) events.push(retentionOrder(experiment.key, externalId, 0, at, amount));
    // Later months: at most one order each, anywhere in the month.
    for (let k = 1; exposed + k * 30 * DAY < end; k++) {
      const orders = rnd() < later[arm];
      const when = exposed + Math.floor((k * 30 + rnd() * 30) * DAY);
      const value = orderAmount(rnd, DEMO_MEAN_ORDER_EUR);
      if (orders && when < end) events.push(retentionOrder(experiment.key, externalId, k, when, value));
    }
  }
  return events;
}

function retentionOrder(
  experimentKey: string,
  externalId: string,
  month: number,
  at: number,
  amount: number,
): DemoEvent {
  return {
    clientEventId: `demo:${experimentKey}:order:${externalId}${month === 0 ? '' : `:${month}`}`,
    type: 'order',
    customerId: externalId,
    amount,
    currency: 'EUR',
    revenueStream: 'retention',
    occurredAt: new Date(at).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Win-back sequence

/**
 * The demo's win-back cadence: e-mail on day 0, in-app on day 3, the retargeting webhook on day 7 and, for VIP
 * customers only, a call task on day 14; 10% holdout. Launched by the seed so the demo has enrollments.
 */
export const DEMO_SEQUENCE: SequenceCreate = {
  key: 'winback-dormant',
  name: 'Win back dormant customers',
  audience: { minDaysInactive: 60, maxDaysInactive: 120, minPriorSpend: 0, excludeContactedWithinDays: 14 },
  holdoutPercent: 10,
  reentryDays: 180,
  measurementDays: 30,
  touches: [
    {
      channel: 'email',
      delayDays: 0,
      content: {
        subject: 'We miss you — here is what is new',
        text: 'Hello,\n\nit has been a while. Come back and see what is new.\n\nUnsubscribe: {{ links.unsubscribe }}',
      },
    },
    {
      channel: 'in_app',
      delayDays: 3,
      content: {
        title: 'Welcome back',
        body: 'Pick up where you left off.',
        ctaUrl: 'https://shop.example/back',
      },
    },
    { channel: 'webhook', delayDays: 7, content: { url: 'https://retargeting.example/liftlab' } },
    {
      channel: 'call_task',
      delayDays: 14,
      conditions: [{ type: 'segment', operator: 'in', segments: ['vip'] }],
      content: {
        owner: 'customer-success',
        title: 'Call {{ customer.externalId }}',
        instructions: 'A VIP customer has been inactive for over two months: ask why, offer help.',
        dueInDays: 2,
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Health signals

/**
 * Demo signal rules, one per owner team. The demo's history has orders, so the spend spike fires for some
 * customers and the signals board has open signals with tasks; the other two wait for activity and ticket events.
 */
export const DEMO_SIGNAL_RULES: SignalRuleCreate[] = [
  {
    key: 'spend-spike-30d',
    name: 'Spend doubled in 30 days',
    kind: 'spend_spike',
    params: { multiple: 2, days: 30 },
    ownerTeam: 'account-management',
    slaHours: 72,
    intervention: {
      type: 'task',
      owner: 'account-management',
      title: 'Check in after a spend spike',
      instructions:
        'Spend doubled over the last 30 days: make sure the customer gets value; offer the next tier.',
      dueInHours: 48,
    },
  },
  {
    key: 'usage-drop-50',
    name: 'Usage halved week over week',
    kind: 'usage_drop',
    params: { percent: 50 },
    ownerTeam: 'lifecycle',
    slaHours: 48,
    intervention: { type: 'enroll', sequenceKey: 'winback-dormant' },
  },
  {
    key: 'support-tickets-3',
    name: 'Three support tickets in a week',
    kind: 'support_tickets',
    params: { count: 3, days: 7, eventName: 'support_ticket' },
    ownerTeam: 'support',
    slaHours: 24,
    intervention: { type: 'task', owner: 'support-lead', title: 'Call about repeated support tickets' },
  },
];
