/**
 * Markov-chain attribution with the removal effect (Anderl, Becker, von Wangenheim & Schumann 2016, "Mapping
 * the customer journey: Lessons learned from graph-based online attribution modeling", IJRM 33:457–474).
 *
 * The journeys are read as an absorbing Markov chain: a start state, one transient state per channel (per
 * sequence of the last k channels for a chain of order k) and two absorbing states, conversion and null.
 * Transition probabilities are the observed transition counts, each journey counted conversions + nulls times,
 * divided by the state's outgoing total. The probability of being absorbed in conversion is solved exactly from
 * the linear system of the chain, never estimated by simulating or truncating paths.
 */
import { StatsInputError } from '../types';
import { solveLinearSystem } from './linear-system';
import {
  toAttributionResult,
  validateConversionPaths,
  type AttributionResult,
  type ChannelCredit,
  type ConversionPath,
} from './paths';

/** Highest chain order accepted: Anderl et al. (2016) compare orders 1 to 4, beyond which states are sparse. */
export const MAX_MARKOV_ORDER = 4;
/** Largest number of transient states (start included) solved densely; each solve costs about n³/3 operations. */
export const MAX_MARKOV_STATES = 500;

export interface MarkovOptions {
  /** Order k of the chain: a state is the sequence of the last k channels touched (default 1, at most 4). */
  order?: number;
}

export interface MarkovChannelCredit extends ChannelCredit {
  /** RE_c = 1 − P(conversion without c) / P(conversion); 0 when the chain never converts. */
  removalEffect: number;
  /** P(conversion) from the start state once every state containing the channel leads to null. */
  conversionProbabilityWithout: number;
}

export interface MarkovAttributionResult extends AttributionResult {
  model: 'markov';
  order: number;
  /** P(absorption in conversion | start) of the full chain. */
  conversionProbability: number;
  /** Transient states of the chain, the start state included. */
  states: number;
  channels: MarkovChannelCredit[];
}

interface Chain {
  /** Channel sequence of each transient state; index 0 is the start state (empty sequence). */
  stateChannels: string[][];
  /** Transition counts between transient states, per origin state. */
  transitions: Map<number, number>[];
  /** Counts of absorption in conversion and in null, per state. */
  toConversion: number[];
  /** Σ of every outgoing count, per state. */
  outgoing: number[];
}

const START = 0;

function buildChain(paths: readonly ConversionPath[], order: number): Chain {
  const index = new Map<string, number>();
  const stateChannels: string[][] = [[]];
  const transitions: Map<number, number>[] = [new Map()];
  const toConversion = [0];
  const outgoing = [0];
  const stateOf = (sequence: string[]): number => {
    const key = JSON.stringify(sequence);
    let i = index.get(key);
    if (i === undefined) {
      i = stateChannels.length;
      index.set(key, i);
      stateChannels.push(sequence);
      transitions.push(new Map());
      toConversion.push(0);
      outgoing.push(0);
      if (stateChannels.length > MAX_MARKOV_STATES) {
        throw new StatsInputError(
          'order',
          `gives more than ${MAX_MARKOV_STATES - 1} channel states; use a lower order or fewer channels`,
        );
      }
    }
    return i;
  };
  for (const row of paths) {
    const weight = row.conversions + row.nulls;
    if (weight === 0) continue;
    let previous = START;
    for (let t = 0; t < row.path.length; t++) {
      const next = stateOf(row.path.slice(Math.max(0, t - order + 1), t + 1));
      const out = transitions[previous] as Map<number, number>;
      out.set(next, (out.get(next) ?? 0) + weight);
      outgoing[previous] = (outgoing[previous] as number) + weight;
      previous = next;
    }
    toConversion[previous] = (toConversion[previous] as number) + row.conversions;
    outgoing[previous] = (outgoing[previous] as number) + weight;
  }
  return { stateChannels, transitions, toConversion, outgoing };
}

/**
 * P(absorption in conversion | start) with only the states in `keep` transient; the others are absorbed in
 * null. Absorption probabilities x of the kept states solve (I − Q)x = r, Q the kept-to-kept transition
 * probabilities, r the one-step conversion probabilities (Grinstead & Snell, "Introduction to Probability",
 * 2nd ed., §11.2: B = NR with N = (I − Q)⁻¹).
 */
function conversionProbability(chain: Chain, keep: readonly boolean[]): number {
  const kept: number[] = [];
  const position = new Array<number>(keep.length).fill(-1);
  keep.forEach((k, i) => {
    if (k) {
      position[i] = kept.length;
      kept.push(i);
    }
  });
  const m = kept.length;
  const matrix = kept.map(() => new Array<number>(m).fill(0));
  const rhs = new Array<number>(m).fill(0);
  kept.forEach((state, p) => {
    const row = matrix[p] as number[];
    row[p] = 1;
    const total = chain.outgoing[state] as number;
    if (total === 0) return; // the start state of a chain without weighted journeys
    for (const [target, count] of chain.transitions[state] as Map<number, number>) {
      const q = position[target] as number;
      if (q >= 0) row[q] = (row[q] as number) - count / total;
    }
    rhs[p] = (chain.toConversion[state] as number) / total;
  });
  const x = solveLinearSystem(matrix, rhs);
  return x[position[START] as number] as number;
}

/**
 * Markov-chain attribution by removal effect (Anderl et al. 2016, IJRM 33:457–474).
 *
 * With P = P(conversion | start) of the chain fitted to all journeys and P₋c the same probability after
 * removing channel c (every state whose channel sequence contains c is redirected to null), the removal effect
 * is RE_c = 1 − P₋c / P and the C observed conversions are shared in proportion:
 *   credit_c = C · RE_c / Σ_d RE_d.
 * Each probability is solved exactly: absorption probabilities x satisfy (I − Q)x = r (Grinstead & Snell,
 * "Introduction to Probability", 2nd ed., §11.2), solved by LU with partial pivoting ({@link solveLinearSystem}).
 *
 * Transition counts: every journey contributes conversions + nulls to each transition along it, so
 * start → first touch → … → last touch → conversion (conversions times) or null (nulls times). Repeated
 * consecutive touches (email, email) are kept as self-transitions; in a first-order chain they do not change
 * any absorption probability, in higher orders they are part of the state. I − Q is non-singular because every
 * state lies on a weighted journey that ends in absorption.
 *
 * Defined answers: with no conversions P = 0, every removal effect is 0 and nothing is credited. Channels
 * that occur only on journeys with no weight have removal effect 0. Removal can never raise P; rounding that
 * would make a removal effect negative by a few ulps is clamped to 0.
 *
 * @throws StatsInputError for malformed paths, an order that is not a whole number in 1…4, or a chain with more
 *   than {@link MAX_MARKOV_STATES} states.
 */
export function markovAttribution(
  paths: readonly ConversionPath[],
  options: MarkovOptions = {},
): MarkovAttributionResult {
  const order = options.order ?? 1;
  if (typeof order !== 'number' || !Number.isInteger(order) || order < 1 || order > MAX_MARKOV_ORDER) {
    throw new StatsInputError('order', `must be a whole number from 1 to ${MAX_MARKOV_ORDER}`);
  }
  const valid = validateConversionPaths(paths);
  const chain = buildChain(valid.paths, order);
  const states = chain.stateChannels.length;
  const all = new Array<boolean>(states).fill(true);
  const base = valid.totalConversions > 0 ? conversionProbability(chain, all) : 0;

  const removal = new Map<string, { effect: number; without: number }>();
  let effectSum = 0;
  for (const channel of valid.channels) {
    const keep = chain.stateChannels.map((sequence) => !sequence.includes(channel));
    let without = base;
    let effect = 0;
    if (base > 0 && keep.some((k) => !k)) {
      without = conversionProbability(chain, keep);
      effect = Math.max(0, 1 - without / base);
    }
    removal.set(channel, { effect, without });
    effectSum += effect;
  }

  const credit = new Map<string, number>();
  for (const [channel, r] of removal) {
    credit.set(channel, effectSum > 0 ? (valid.totalConversions * r.effect) / effectSum : 0);
  }
  const result = toAttributionResult('markov', valid.channels, credit, valid.totalConversions);
  return {
    ...result,
    model: 'markov',
    order,
    conversionProbability: base,
    states,
    channels: result.channels.map((c) => {
      const r = removal.get(c.channel) as { effect: number; without: number };
      return { ...c, removalEffect: r.effect, conversionProbabilityWithout: r.without };
    }),
  };
}
