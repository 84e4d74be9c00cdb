/**
 * Engagement score: one 0–100 number per customer from their activity across channels (email, app, web,
 * store…), weighted by how much each kind of activity says about engagement and discounted by how long ago it
 * happened. The database aggregates activity per customer, channel, activity type and age; this module scores.
 */
import { StatsInputError } from './types';

/** A weight for every activity in a channel, or one weight per activity type of the channel. */
export type ChannelWeight = number | Record<string, number>;

export type EngagementNormalization =
  /** 100 · raw / (highest raw score among the customers scored together). */
  | { method: 'max' }
  /** 100 · (1 − 2^(−raw / halfScore)): a raw score of halfScore maps to 50, independent of other customers. */
  | { method: 'saturation'; halfScore: number };

export interface EngagementConfig {
  /**
   * Weight per channel, or per activity type within a channel, each ≥ 0:
   * `{ email: { open: 1, click: 3 }, app: 2, store: { visit: 5, purchase: 10 } }`.
   */
  weights: Record<string, ChannelWeight>;
  /** Age in days at which an activity counts half; Infinity turns the decay off. */
  halfLifeDays: number;
  /** How raw scores become 0–100 (default `{ method: 'max' }`). */
  normalization?: EngagementNormalization;
}

/** Aggregated activity of one customer: `count` events of one channel and type, `daysAgo` days before scoring. */
export interface EngagementActivity {
  channel: string;
  /** Activity type, required when the channel's weight is given per type. */
  type?: string;
  /** Number (or amount) of events, ≥ 0. */
  count: number;
  /** Age of the events in days at the scoring date, ≥ 0 (fractions allowed). */
  daysAgo: number;
}

export interface CustomerActivity {
  customer: string;
  activities: EngagementActivity[];
}

export interface EngagementScore {
  customer: string;
  /** 0–100. */
  score: number;
  /** Σ weight · count · 2^(−daysAgo/halfLife) before normalisation. */
  raw: number;
  /** The raw score's parts per channel (they add up to raw), for explaining a score. */
  byChannel: Record<string, number>;
}

function nonNegative(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new StatsInputError(field, 'must be a finite number ≥ 0');
  }
  return value;
}

function validateConfig(config: EngagementConfig): EngagementNormalization {
  if (typeof config !== 'object' || config === null) {
    throw new StatsInputError('config', 'must be an object { weights, halfLifeDays, normalization? }');
  }
  const { weights, halfLifeDays } = config;
  if (
    typeof weights !== 'object' ||
    weights === null ||
    Array.isArray(weights) ||
    Object.keys(weights).length === 0
  ) {
    throw new StatsInputError('config.weights', 'must map at least one channel to a weight');
  }
  for (const [channel, w] of Object.entries(weights)) {
    if (typeof w === 'object' && w !== null && !Array.isArray(w)) {
      if (Object.keys(w).length === 0) {
        throw new StatsInputError(
          `config.weights.${channel}`,
          'must give at least one activity type a weight',
        );
      }
      for (const [type, v] of Object.entries(w)) nonNegative(v, `config.weights.${channel}.${type}`);
    } else {
      nonNegative(w, `config.weights.${channel}`);
    }
  }
  if (typeof halfLifeDays !== 'number' || !(halfLifeDays > 0)) {
    throw new StatsInputError('config.halfLifeDays', 'must be a number of days > 0 (Infinity for no decay)');
  }
  const normalization = config.normalization ?? { method: 'max' };
  if (typeof normalization !== 'object' || normalization === null) {
    throw new StatsInputError(
      'config.normalization',
      "must be { method: 'max' } or { method: 'saturation', halfScore }",
    );
  }
  if (normalization.method === 'saturation') {
    const h = normalization.halfScore;
    if (typeof h !== 'number' || !Number.isFinite(h) || !(h > 0)) {
      throw new StatsInputError('config.normalization.halfScore', 'must be a finite raw score > 0');
    }
  } else if (normalization.method !== 'max') {
    throw new StatsInputError('config.normalization.method', "must be 'max' or 'saturation'");
  }
  return normalization;
}

function activityWeight(config: EngagementConfig, activity: EngagementActivity, field: string): number {
  if (typeof activity !== 'object' || activity === null)
    throw new StatsInputError(field, 'must be an object');
  const { channel, type } = activity;
  if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(config.weights, channel)) {
    throw new StatsInputError(`${field}.channel`, 'must be a channel listed in config.weights');
  }
  const w = config.weights[channel] as ChannelWeight;
  if (typeof w === 'number') return w;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(w, type)) {
    throw new StatsInputError(
      `${field}.type`,
      `must be one of the activity types weighted for '${channel}' (${Object.keys(w).join(', ')})`,
    );
  }
  return w[type] as number;
}

/**
 * Engagement scores, 0–100, for a batch of customers.
 *
 * raw = Σ_a w(channel_a, type_a) · count_a · 2^(−daysAgo_a / halfLife): a recency-weighted frequency in which an
 * event loses half its weight every half-life (exponential decay, the recency and frequency of RFM analysis in
 * one number; Fader, Hardie & Lee 2005, "RFM and CLV: Using iso-value curves for customer base analysis",
 * Journal of Marketing Research 42:415–430, show that recency and frequency together carry the customer's future
 * value). Normalisation to 0–100:
 *   max:        100 · raw / max_customers(raw) (0 for everyone when nobody has any weighted activity), a ranking
 *               within the batch — the most engaged customer scores 100;
 *   saturation: 100 · (1 − 2^(−raw/halfScore)), an absolute scale that does not move with the batch, so scores
 *               are comparable over time; raw = halfScore scores 50, 2·halfScore 75.
 * Weights are ≥ 0, so scores stay within [0, 100].
 *
 * @throws StatsInputError for a malformed config (weights missing or negative, halfLifeDays ≤ 0, unknown
 *   normalisation, halfScore ≤ 0), a repeated or empty customer id, an activity on a channel or type without a
 *   weight, or a count or age that is negative or not finite.
 */
export function engagementScores(
  customers: readonly CustomerActivity[],
  config: EngagementConfig,
): EngagementScore[] {
  const normalization = validateConfig(config);
  if (!Array.isArray(customers))
    throw new StatsInputError('customers', 'must be a list of { customer, activities }');
  const ids = new Set<string>();
  const raw = customers.map((c, i) => {
    if (typeof c !== 'object' || c === null)
      throw new StatsInputError(`customers[${i}]`, 'must be an object');
    if (typeof c.customer !== 'string' || c.customer.length === 0) {
      throw new StatsInputError(`customers[${i}].customer`, 'must be a non-empty id');
    }
    if (ids.has(c.customer))
      throw new StatsInputError(`customers[${i}].customer`, `'${c.customer}' is listed twice`);
    ids.add(c.customer);
    if (!Array.isArray(c.activities)) {
      throw new StatsInputError(`customers[${i}].activities`, 'must be a list (empty for no activity)');
    }
    const byChannel: Record<string, number> = {};
    let total = 0;
    c.activities.forEach((a: EngagementActivity, j: number) => {
      const field = `customers[${i}].activities[${j}]`;
      const w = activityWeight(config, a, field);
      const count = nonNegative(a.count, `${field}.count`);
      const age = nonNegative(a.daysAgo, `${field}.daysAgo`);
      const part = w * count * Math.pow(2, -age / config.halfLifeDays);
      byChannel[a.channel] = (byChannel[a.channel] ?? 0) + part;
      total += part;
    });
    if (!Number.isFinite(total)) {
      throw new StatsInputError(`customers[${i}].activities`, 'add up beyond the range of double precision');
    }
    return { customer: c.customer, raw: total, byChannel };
  });
  if (normalization.method === 'saturation') {
    return raw.map((r) => ({
      ...r,
      score: 100 * -Math.expm1(-Math.LN2 * (r.raw / normalization.halfScore)),
    }));
  }
  const top = raw.reduce((m, r) => Math.max(m, r.raw), 0);
  return raw.map((r) => ({ ...r, score: top > 0 ? (100 * r.raw) / top : 0 }));
}
