/**
 * Shapley-value attribution: channels are players of a cooperative game whose worth is the conversions they
 * produce together (Shapley 1953, "A value for n-person games", Contributions to the Theory of Games II;
 * applied to attribution by Dalessandro, Perlich, Stitelman & Provost 2012, "Causally motivated attribution for
 * online advertising", ADKDD, and Zhao, Mahboobi & Bagheri 2018, "Shapley value methods for attribution
 * modeling in online advertising", arXiv:1804.05327).
 */
import { StatsInputError } from '../types';
import {
  toAttributionResult,
  validateConversionPaths,
  type AttributionResult,
  type ConversionPath,
} from './paths';

/** Most channels (on converting journeys) for the exact computation over all 2ⁿ coalitions. */
export const MAX_SHAPLEY_CHANNELS = 15;

/**
 * Shapley-value attribution over channels, computed exactly over every coalition.
 *
 * Characteristic function (the "subset" variant): v(S) = conversions of the journeys whose set of channels is
 * contained in S, i.e. what the channels in S would have converted on their own. Order and repetition of touches
 * do not matter, only which channels a journey touched; journeys without conversions add nothing to v.
 *
 * Shapley value: φ_c = Σ_{S ⊆ N∖{c}} |S|!(n − |S| − 1)!/n! · [v(S ∪ {c}) − v(S)] (Shapley 1953). It is
 * efficient (Σ_c φ_c = v(N) = total conversions), symmetric, and gives 0 to a channel that never occurs on a
 * converting journey. v is tabulated over all 2ⁿ coalitions by a subset-sum (zeta) transform, O(n·2ⁿ).
 * With this v the game is a sum of unanimity games, and φ_c equals Σ_{T ∋ c} R(T)/|T| with R(T) the conversions
 * of journeys touching exactly the channel set T (Zhao et al. 2018, simplified Shapley value); the tests use
 * that closed form as an independent check.
 *
 * @throws StatsInputError for malformed paths or more than {@link MAX_SHAPLEY_CHANNELS} channels on converting
 *   journeys (2ⁿ coalitions grow too fast beyond that).
 */
export function shapleyAttribution(paths: readonly ConversionPath[]): AttributionResult {
  const valid = validateConversionPaths(paths);
  // Players: channels on converting journeys. Every other channel is a null player with value 0.
  const players: string[] = valid.channels.filter((c) =>
    valid.paths.some((row) => row.conversions > 0 && row.path.includes(c)),
  );
  const n = players.length;
  if (n > MAX_SHAPLEY_CHANNELS) {
    throw new StatsInputError(
      'paths',
      `touch ${n} channels on converting journeys; exact Shapley values are computed for at most ${MAX_SHAPLEY_CHANNELS}`,
    );
  }
  const credit = new Map<string, number>();
  if (n > 0) {
    const bit = new Map(players.map((c, i) => [c, 1 << i]));
    const size = 1 << n;
    // value[S] starts as R(S), the conversions of journeys with channel set exactly S, and becomes v(S).
    const value = new Float64Array(size);
    for (const row of valid.paths) {
      if (row.conversions === 0) continue;
      let mask = 0;
      for (const c of row.path) mask |= bit.get(c) as number;
      value[mask] = (value[mask] as number) + row.conversions;
    }
    for (let i = 0; i < n; i++) {
      const b = 1 << i;
      for (let mask = 0; mask < size; mask++) {
        if (mask & b) value[mask] = (value[mask] as number) + (value[mask ^ b] as number);
      }
    }
    // weight[s] = s!(n − s − 1)!/n! as a running product of ratios, without forming factorials.
    const weight = new Float64Array(n);
    weight[0] = 1 / n;
    for (let s = 1; s < n; s++) weight[s] = ((weight[s - 1] as number) * s) / (n - s);
    const popcount = new Uint8Array(size);
    for (let mask = 1; mask < size; mask++) popcount[mask] = (popcount[mask >> 1] as number) + (mask & 1);
    players.forEach((channel, i) => {
      const b = 1 << i;
      let phi = 0;
      for (let mask = 0; mask < size; mask++) {
        if (mask & b) continue;
        phi +=
          (weight[popcount[mask] as number] as number) *
          ((value[mask | b] as number) - (value[mask] as number));
      }
      credit.set(channel, phi);
    });
  }
  return toAttributionResult('shapley', valid.channels, credit, valid.totalConversions);
}
