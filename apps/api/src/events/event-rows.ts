import { DEFAULT_EVENT_NAMES, EventInputSchema, type EventInput, type RowError } from '@liftlab/contracts';
import { byIndex, validateRows } from './row-validation';

/** How far in the future an event may claim to have happened (client clocks drift). */
export const MAX_FUTURE_SKEW_MS = 24 * 3_600_000;

export interface ExperimentRef {
  id: string;
  /** variant key → variant id */
  variants: ReadonlyMap<string, string>;
}

/** An event ready to store: customer still by externalId, experiment and variant resolved to ids. */
export interface EventRow {
  clientEventId: string;
  type: EventInput['type'];
  name: string;
  externalId: string;
  experimentId: string | null;
  variantId: string | null;
  occurredAt: string;
  value: number | null;
  amount: number | null;
  currency: string | null;
  revenueStream: string | null;
  properties: Record<string, unknown>;
}

export interface PreparedEvents {
  /** Valid events with distinct clientEventIds, in request order. */
  rows: EventRow[];
  /** Valid events whose clientEventId already appeared earlier in the same request. */
  repeatedInBatch: number;
  rejected: RowError[];
}

/** Distinct experiment keys the valid events refer to (to look them up in one query). */
export function experimentKeysOf(events: readonly unknown[]): string[] {
  const keys = new Set<string>();
  for (const e of events) {
    const key = (e as { experimentKey?: unknown } | null)?.experimentKey;
    if (typeof key === 'string') keys.add(key);
  }
  return [...keys];
}

/**
 * Checks every event on its own (shape, experiment and variant known, not in the future) and drops repeats of
 * a clientEventId within the request (the first valid one wins). Pure: experiments and `now` come in.
 */
export function prepareEvents(
  events: readonly unknown[],
  experiments: ReadonlyMap<string, ExperimentRef>,
  now: Date,
): PreparedEvents {
  const { valid, rejected } = validateRows(events, EventInputSchema);
  const rows: EventRow[] = [];
  const seen = new Set<string>();
  let repeatedInBatch = 0;
  const latest = now.getTime() + MAX_FUTURE_SKEW_MS;

  for (const { index, value: e } of valid) {
    const errors: RowError[] = [];
    let experimentId: string | null = null;
    let variantId: string | null = null;
    if (e.experimentKey !== undefined) {
      const experiment = experiments.get(e.experimentKey);
      if (!experiment) errors.push({ index, field: 'experimentKey', rule: 'unknown_experiment' });
      else {
        experimentId = experiment.id;
        variantId = (e.variantKey !== undefined && experiment.variants.get(e.variantKey)) || null;
        if (variantId === null) errors.push({ index, field: 'variantKey', rule: 'unknown_variant' });
      }
    }
    const occurredAt = e.occurredAt === undefined ? now : new Date(e.occurredAt);
    if (occurredAt.getTime() > latest) errors.push({ index, field: 'occurredAt', rule: 'not_in_future' });
    if (errors.length > 0) {
      rejected.push(...errors);
      continue;
    }
    if (seen.has(e.clientEventId)) {
      repeatedInBatch++;
      continue;
    }
    seen.add(e.clientEventId);
    rows.push({
      clientEventId: e.clientEventId,
      type: e.type,
      name: e.name ?? defaultName(e.type),
      externalId: e.customerId,
      experimentId,
      variantId,
      occurredAt: occurredAt.toISOString(),
      // An order's value is its amount unless the sender says otherwise, so revenue metrics need no property.
      value: e.value ?? (e.type === 'order' ? (e.amount ?? null) : null),
      amount: e.amount ?? null,
      currency: e.currency ?? null,
      revenueStream: e.type === 'order' ? (e.revenueStream ?? null) : null,
      properties: (e.properties ?? {}) as Record<string, unknown>,
    });
  }
  return { rows, repeatedInBatch, rejected: byIndex(rejected) };
}

function defaultName(type: EventInput['type']): string {
  // The schema requires a name for conversions and activity; exposures and orders have defaults.
  return type === 'exposure' ? DEFAULT_EVENT_NAMES.exposure : DEFAULT_EVENT_NAMES.order;
}
