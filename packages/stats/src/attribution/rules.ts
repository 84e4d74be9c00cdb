/**
 * Rule-based (heuristic) attribution: every conversion's credit is split over the touches of its path by a
 * fixed rule of position. Paths without conversions carry no credit under these rules; the data-driven models
 * (Markov, Shapley) are the ones that learn from them.
 */
import { StatsInputError } from '../types';
import {
  toAttributionResult,
  validateConversionPaths,
  type AttributionResult,
  type ConversionPath,
} from './paths';

function addCredit(credit: Map<string, number>, channel: string, amount: number): void {
  credit.set(channel, (credit.get(channel) ?? 0) + amount);
}

/**
 * Splits each path's conversions over its touches with `weights(length)` (one weight per touch, summing to 1).
 */
function ruleBased(
  model: AttributionResult['model'],
  paths: readonly ConversionPath[],
  weights: (length: number) => number[],
): AttributionResult {
  const valid = validateConversionPaths(paths);
  const credit = new Map<string, number>();
  for (const row of valid.paths) {
    if (row.conversions === 0) continue;
    const w = weights(row.path.length);
    row.path.forEach((channel, j) => addCredit(credit, channel, row.conversions * (w[j] as number)));
  }
  return toAttributionResult(model, valid.channels, credit, valid.totalConversions);
}

/**
 * First-touch attribution: all of a path's conversions go to its first touch, the "first click" benchmark rule
 * of Anderl et al. 2016 (IJRM 33:457–474). Credit_c = Σ_{paths starting with c} conversions.
 *
 * @throws StatsInputError for malformed paths (see {@link validateConversionPaths}).
 */
export function firstTouchAttribution(paths: readonly ConversionPath[]): AttributionResult {
  return ruleBased('first_touch', paths, (n) => Array.from({ length: n }, (_, j) => (j === 0 ? 1 : 0)));
}

/**
 * Last-touch attribution: all of a path's conversions go to the touch just before the conversion.
 * Credit_c = Σ_{paths ending with c} conversions (the web-analytics default criticised by Anderl et al. 2016).
 *
 * @throws StatsInputError for malformed paths.
 */
export function lastTouchAttribution(paths: readonly ConversionPath[]): AttributionResult {
  return ruleBased('last_touch', paths, (n) => Array.from({ length: n }, (_, j) => (j === n - 1 ? 1 : 0)));
}

/**
 * Linear attribution: each of a path's n touches receives conversions/n, so a channel touched twice in a path
 * receives twice as much (credit per touch, not per distinct channel; Kannan, Reinartz & Verhoef 2016,
 * "The path to purchase and attribution modeling", IJRM 33:449–456).
 *
 * @throws StatsInputError for malformed paths.
 */
export function linearAttribution(paths: readonly ConversionPath[]): AttributionResult {
  return ruleBased('linear', paths, (n) => new Array<number>(n).fill(1 / n));
}

export interface PositionBasedOptions {
  /** Share of credit for the first touch (default 0.4). */
  first?: number;
  /** Share of credit for the last touch (default 0.4). */
  last?: number;
}

/**
 * Position-based ("U-shaped") attribution: the first touch receives `first` (default 40%), the last touch
 * `last` (default 40%) and the middle touches share the rest, 1 − first − last, equally.
 *   n = 1: the only touch gets everything;
 *   n = 2: there is no middle, so the two ends split the credit in proportion first : last
 *          (50/50 with the default 40/40; equal halves when both are 0);
 *   n ≥ 3: first, (1 − first − last)/(n − 2) for each middle touch, last.
 * (The 40/20/40 convention of web analytics; Kannan, Reinartz & Verhoef 2016, IJRM 33:449–456.)
 *
 * @throws StatsInputError when `first` or `last` is not in [0, 1] or first + last > 1, and for malformed paths.
 */
export function positionBasedAttribution(
  paths: readonly ConversionPath[],
  options: PositionBasedOptions = {},
): AttributionResult {
  const first = options.first ?? 0.4;
  const last = options.last ?? 0.4;
  for (const [field, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new StatsInputError(field, 'must be a share between 0 and 1');
    }
  }
  // A small tolerance keeps shares such as 0.7 + 0.3 (= 1.0000000000000002 in doubles) acceptable.
  if (first + last > 1 + 1e-12) throw new StatsInputError('first', 'plus last must not exceed 1');
  const middle = Math.max(0, 1 - first - last);
  return ruleBased('position_based', paths, (n) => {
    if (n === 1) return [1];
    if (n === 2) return first + last === 0 ? [0.5, 0.5] : [first / (first + last), last / (first + last)];
    return Array.from({ length: n }, (_, j) => (j === 0 ? first : j === n - 1 ? last : middle / (n - 2)));
  });
}
