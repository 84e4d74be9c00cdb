/**
 * The benchmark's data, generated deterministically so the runner (HTTP bodies) and the server (COPY rows)
 * produce exactly the same events without shipping them between processes.
 */
import type { EventInput, ExperimentCreate } from '@liftlab/contracts';

export const customerExternalId = (i: number): string => `bench-customer-${String(i).padStart(7, '0')}`;

/** Two running experiments: a two-arm upsell test and a three-arm win-back offer. */
export const BENCH_EXPERIMENTS: ExperimentCreate[] = [
  {
    key: 'bench-upsell-banner',
    name: 'Upsell banner on the account page',
    variants: [
      { key: 'control', name: 'Control', weight: 0.5, isControl: true },
      { key: 'banner', name: 'Banner', weight: 0.5 },
    ],
  },
  {
    key: 'bench-winback-offer',
    name: 'Win-back offer',
    variants: [
      { key: 'control', name: 'Control', weight: 0.34, isControl: true },
      { key: 'discount-10', name: '10% off', weight: 0.33 },
      { key: 'discount-20', name: '20% off', weight: 0.33 },
    ],
  },
];

/** Which events a run sends: `batches` × `batchSize`, ids `<prefix>-<n>`, over the first `customers` customers. */
export interface EventPlan {
  prefix: string;
  batches: number;
  batchSize: number;
  customers: number;
}

const FIRST_OCCURRED_AT = Date.parse('2025-01-01T00:00:00.000Z');
/** 13 days: every event lies before the test clock (2025-01-15), so none is refused as `not_in_future`. */
const SPREAD_SECONDS = 13 * 86_400;

/**
 * Batch `batch` of the plan. The mix resembles a retention programme's traffic: 40% exposures, 30%
 * conversions, 10% activity, 20% orders (with amount, currency, revenue stream and a small property bag).
 */
export function eventBatch(plan: EventPlan, batch: number): EventInput[] {
  const events: EventInput[] = [];
  for (let i = 0; i < plan.batchSize; i++) {
    const n = batch * plan.batchSize + i;
    // A multiplicative walk spreads consecutive events over customers, as real traffic interleaves them.
    const customerId = customerExternalId((n * 7919) % plan.customers);
    const occurredAt = new Date(FIRST_OCCURRED_AT + (n % SPREAD_SECONDS) * 1000).toISOString();
    const base = { clientEventId: `${plan.prefix}-${n}`, customerId, occurredAt };
    const kind = n % 10;
    if (kind < 4) {
      const experiment = BENCH_EXPERIMENTS[n % BENCH_EXPERIMENTS.length]!;
      const variant = experiment.variants[Math.floor(n / 2) % experiment.variants.length]!;
      events.push({ ...base, type: 'exposure', experimentKey: experiment.key, variantKey: variant.key });
    } else if (kind < 7) {
      events.push({ ...base, type: 'conversion', name: 'checkout_started', value: 1 });
    } else if (kind < 8) {
      events.push({ ...base, type: 'activity', name: 'login' });
    } else {
      events.push({
        ...base,
        type: 'order',
        amount: 5 + (n % 5000) / 100,
        currency: 'EUR',
        revenueStream: kind === 8 ? 'upsell' : 'cross_sell',
        properties: { sku: `sku-${n % 50}`, channel: 'email' },
      });
    }
  }
  return events;
}
