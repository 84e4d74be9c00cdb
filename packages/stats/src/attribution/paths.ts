/**
 * Aggregated customer journeys, the common input of every attribution model: one row per distinct ordered
 * sequence of channel touches with the number of journeys that ended in a conversion and the number that ended
 * without one (the representation of Anderl, Becker, von Wangenheim & Schumann 2016, "Mapping the customer
 * journey: Lessons learned from graph-based online attribution modeling", IJRM 33:457–474).
 */
import { StatsInputError } from '../types';

/** One distinct journey: the ordered channel touches, and how many journeys took it and converted or not. */
export interface ConversionPath {
  /** Channel touches in time order, e.g. ['search', 'email', 'email', 'direct']. At least one touch. */
  path: string[];
  /** Journeys along this path that ended in a conversion (a whole number ≥ 0). */
  conversions: number;
  /** Journeys along this path that ended without a conversion (a whole number ≥ 0). */
  nulls: number;
}

/** The credit one channel receives under an attribution model. */
export interface ChannelCredit {
  channel: string;
  /** Conversions credited to the channel; the credits of all channels add up to the total conversions. */
  conversions: number;
  /** conversions / total conversions (0 when there are no conversions). */
  share: number;
}

export type AttributionModel =
  'first_touch' | 'last_touch' | 'linear' | 'position_based' | 'markov' | 'shapley';

export interface AttributionResult {
  model: AttributionModel;
  /** Σ conversions over all paths. */
  totalConversions: number;
  /** One entry per channel seen in the input, in code-unit order of the channel names. */
  channels: ChannelCredit[];
}

export interface ValidatedPaths {
  paths: ConversionPath[];
  /** Every channel of the input, sorted by code unit (stable across database orderings). */
  channels: string[];
  totalConversions: number;
}

function wholeCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StatsInputError(field, 'must be a whole number ≥ 0 (a count of journeys)');
  }
  return value;
}

/**
 * Checks the aggregated paths and lists their channels. Rules: a non-empty array; every `path` a non-empty
 * array of non-empty strings; `conversions` and `nulls` whole numbers ≥ 0. A path with neither conversions nor
 * nulls is allowed and carries no weight.
 */
export function validateConversionPaths(paths: unknown): ValidatedPaths {
  if (!Array.isArray(paths) || paths.length === 0) {
    throw new StatsInputError('paths', 'must be a non-empty list of { path, conversions, nulls }');
  }
  const seen = new Set<string>();
  let totalConversions = 0;
  paths.forEach((row: unknown, i) => {
    if (typeof row !== 'object' || row === null) {
      throw new StatsInputError(`paths[${i}]`, 'must be an object { path, conversions, nulls }');
    }
    const { path, conversions, nulls } = row as Record<string, unknown>;
    if (!Array.isArray(path) || path.length === 0) {
      throw new StatsInputError(`paths[${i}].path`, 'must be a non-empty list of channel names');
    }
    path.forEach((channel: unknown, j) => {
      if (typeof channel !== 'string' || channel.length === 0) {
        throw new StatsInputError(`paths[${i}].path[${j}]`, 'must be a non-empty channel name');
      }
      seen.add(channel);
    });
    totalConversions += wholeCount(conversions, `paths[${i}].conversions`);
    wholeCount(nulls, `paths[${i}].nulls`);
  });
  const channels = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { paths: paths as ConversionPath[], channels, totalConversions };
}

/** Turns per-channel credit into the result shape, with shares of the total. */
export function toAttributionResult(
  model: AttributionModel,
  channels: readonly string[],
  credit: ReadonlyMap<string, number>,
  totalConversions: number,
): AttributionResult {
  return {
    model,
    totalConversions,
    channels: channels.map((channel) => {
      const conversions = credit.get(channel) ?? 0;
      return { channel, conversions, share: totalConversions > 0 ? conversions / totalConversions : 0 };
    }),
  };
}
