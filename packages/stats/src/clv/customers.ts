/**
 * Per-customer sufficient statistics of the buy-till-you-die models and their compression into groups of
 * identical (x, t_x, T), so that a fit on a million customers costs one pass over the distinct triples.
 */
import { StatsInputError } from '../types';

/**
 * One customer's purchase history, reduced to what BG/NBD and Pareto/NBD need. Time is in any unit (days,
 * weeks), the same for every customer and for every prediction made from the fitted model.
 */
export interface CustomerRfm {
  /** Repeat purchases in the observation period (purchases after the first), a whole number ≥ 0. */
  x: number;
  /** Time of the last repeat purchase, measured from the first purchase (0 when x = 0). Recency. */
  tx: number;
  /** Time from the first purchase to the end of the observation period. */
  T: number;
}

/** The same statistics as columns (typed arrays welcome), with an optional number of customers per row. */
export interface CustomerRfmColumns {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Customers sharing the row's (x, tx, T); default 1 each. Lets pre-aggregated data in directly. */
  count?: ArrayLike<number>;
}

export type CustomerRfmInput = readonly CustomerRfm[] | CustomerRfmColumns;

/** Distinct (x, t_x, T) triples with their customer counts, plus the distinct values of each coordinate. */
export interface GroupedCustomers {
  /** Number of distinct triples. */
  groups: number;
  /** Σ count: customers represented. */
  customers: number;
  /** Per group: x, and indices into the distinct-value tables. */
  x: Float64Array;
  xIndex: Int32Array;
  txIndex: Int32Array;
  TIndex: Int32Array;
  weight: Float64Array;
  /** Distinct values, so each evaluation computes ln Γ(·+x), ln(α + T), ln(α + t_x) once per value. */
  xValues: Float64Array;
  txValues: Float64Array;
  TValues: Float64Array;
  /** Σ count·x and Σ count·T, for starting values. */
  repeatPurchases: number;
  exposure: number;
}

function isColumns(input: CustomerRfmInput): input is CustomerRfmColumns {
  return !Array.isArray(input);
}

/**
 * Validates the customers and groups identical (x, t_x, T). Rules: x a whole number ≥ 0; T > 0;
 * 0 ≤ t_x ≤ T; t_x = 0 when x = 0 (recency is the time of the last *repeat* purchase); count ≥ 0.
 */
export function groupCustomers(input: CustomerRfmInput): GroupedCustomers {
  let n: number;
  let getX: (i: number) => number;
  let getTx: (i: number) => number;
  let getT: (i: number) => number;
  let getCount: (i: number) => number;
  let field: (i: number, key: string) => string;
  if (isColumns(input)) {
    const { x, tx, T, count } = input;
    if (x === undefined || tx === undefined || T === undefined) {
      throw new StatsInputError('customers', 'must be an array of { x, tx, T } or columns { x, tx, T }');
    }
    n = x.length;
    if (tx.length !== n) throw new StatsInputError('tx', 'must have one value per customer (as many as x)');
    if (T.length !== n) throw new StatsInputError('T', 'must have one value per customer (as many as x)');
    if (count !== undefined && count.length !== n) {
      throw new StatsInputError('count', 'must have one value per row (as many as x)');
    }
    getX = (i) => x[i] as number;
    getTx = (i) => tx[i] as number;
    getT = (i) => T[i] as number;
    getCount = count === undefined ? () => 1 : (i) => count[i] as number;
    field = (i, key) => `${key}[${i}]`;
  } else {
    const rows = input;
    n = rows.length;
    getX = (i) => (rows[i] as CustomerRfm).x;
    getTx = (i) => (rows[i] as CustomerRfm).tx;
    getT = (i) => (rows[i] as CustomerRfm).T;
    getCount = () => 1;
    field = (i, key) => `customers[${i}].${key}`;
  }
  if (n === 0) throw new StatsInputError('customers', 'needs at least one customer');

  const xIds = new Distinct(n);
  const txIds = new Distinct(n);
  const TIds = new Distinct(n);
  const counts = new Float64Array(n);
  let customers = 0;
  let repeatPurchases = 0;
  let exposure = 0;
  for (let i = 0; i < n; i++) {
    const x = getX(i);
    const tx = getTx(i);
    const T = getT(i);
    const count = getCount(i);
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) {
      throw new StatsInputError(field(i, 'x'), 'must be a whole number of repeat purchases ≥ 0');
    }
    if (typeof T !== 'number' || !Number.isFinite(T) || !(T > 0)) {
      throw new StatsInputError(field(i, 'T'), 'must be a positive, finite observation time');
    }
    if (typeof tx !== 'number' || !Number.isFinite(tx) || tx < 0 || tx > T) {
      throw new StatsInputError(field(i, 'tx'), 'must be between 0 and T');
    }
    if (x === 0 && tx !== 0) {
      throw new StatsInputError(
        field(i, 'tx'),
        'must be 0 when x is 0 (the time of the last repeat purchase)',
      );
    }
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
      throw new StatsInputError(field(i, 'count'), 'must be a finite number ≥ 0');
    }
    xIds.add(i, x);
    txIds.add(i, tx);
    TIds.add(i, T);
    counts[i] = count;
    customers += count;
    repeatPurchases += count * x;
    exposure += count * T;
  }
  if (!(customers > 0)) throw new StatsInputError('count', 'must add up to more than 0 customers');
  const xValues = xIds.finish();
  const txValues = txIds.finish();
  const TValues = TIds.finish();

  const nTx = txValues.length;
  const nT = TValues.length;
  const groupIds = new Int32Array(n);
  const firstCustomer: number[] = [];
  if (nTx === n || nT === n) {
    // Every customer has his own t_x (or T), so no two share a triple: each is his own group.
    for (let i = 0; i < n; i++) {
      groupIds[i] = i;
      firstCustomer.push(i);
    }
  } else {
    const numericKeys = xValues.length * nTx * nT < Number.MAX_SAFE_INTEGER;
    const groupOf = new Map<number | string, number>();
    for (let i = 0; i < n; i++) {
      const a = xIds.ids[i] as number;
      const b = txIds.ids[i] as number;
      const c = TIds.ids[i] as number;
      const key = numericKeys ? (a * nTx + b) * nT + c : `${a},${b},${c}`;
      let g = groupOf.get(key);
      if (g === undefined) {
        groupOf.set(key, (g = groupOf.size));
        firstCustomer.push(i);
      }
      groupIds[i] = g;
    }
  }
  const groups = firstCustomer.length;
  const grouped: GroupedCustomers = {
    groups,
    customers,
    x: new Float64Array(groups),
    xIndex: new Int32Array(groups),
    txIndex: new Int32Array(groups),
    TIndex: new Int32Array(groups),
    weight: new Float64Array(groups),
    xValues,
    txValues,
    TValues,
    repeatPurchases,
    exposure,
  };
  for (let g = 0; g < groups; g++) {
    const i = firstCustomer[g] as number;
    const xIdx = xIds.ids[i] as number;
    grouped.xIndex[g] = xIdx;
    grouped.txIndex[g] = txIds.ids[i] as number;
    grouped.TIndex[g] = TIds.ids[i] as number;
    grouped.x[g] = xValues[xIdx] as number;
  }
  for (let i = 0; i < n; i++) {
    const g = groupIds[i] as number;
    grouped.weight[g] = (grouped.weight[g] as number) + (counts[i] as number);
  }
  return grouped;
}

/**
 * Distinct values of one coordinate and each customer's index into them, by a hash map while the values are
 * few (purchase dates on whole days give hundreds). Past 2¹⁶ distinct values (continuous times) nearly every
 * customer has his own, so deduplicating would cost more than it saves: each customer then indexes his own
 * value.
 */
class Distinct {
  readonly ids: Int32Array;
  private readonly raw: Float64Array;
  private map: Map<number, number> | null = new Map();
  private static readonly MAP_LIMIT = 65536;

  constructor(n: number) {
    this.ids = new Int32Array(n);
    this.raw = new Float64Array(n);
  }

  add(i: number, value: number): void {
    this.raw[i] = value;
    if (this.map === null) return;
    let id = this.map.get(value);
    if (id === undefined) {
      if (this.map.size >= Distinct.MAP_LIMIT) {
        this.map = null;
        return;
      }
      this.map.set(value, (id = this.map.size));
    }
    this.ids[i] = id;
  }

  /** The value table; `ids` is complete afterwards. */
  finish(): Float64Array {
    if (this.map !== null) return Float64Array.from(this.map.keys());
    for (let i = 0; i < this.ids.length; i++) this.ids[i] = i;
    return this.raw;
  }
}

/** Validates one customer's (x, t_x, T) for a prediction, with the same rules as {@link groupCustomers}. */
export function checkCustomer(x: number, tx: number, T: number): void {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) {
    throw new StatsInputError('x', 'must be a whole number of repeat purchases ≥ 0');
  }
  if (typeof T !== 'number' || !Number.isFinite(T) || !(T > 0)) {
    throw new StatsInputError('T', 'must be a positive, finite observation time');
  }
  if (typeof tx !== 'number' || !Number.isFinite(tx) || tx < 0 || tx > T) {
    throw new StatsInputError('tx', 'must be between 0 and T');
  }
  if (x === 0 && tx !== 0) {
    throw new StatsInputError('tx', 'must be 0 when x is 0 (the time of the last repeat purchase)');
  }
}

/** A forecast horizon: finite and ≥ 0, in the model's time unit. */
export function checkHorizon(t: number): void {
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
    throw new StatsInputError('t', 'must be a finite time ≥ 0 in the unit the model was fitted in');
  }
}

/** Model parameters: each a positive, finite number. */
export function checkParameters(params: object, names: readonly string[]): void {
  if (typeof params !== 'object' || params === null) {
    throw new StatsInputError('params', `must be an object with ${names.join(', ')}`);
  }
  for (const name of names) {
    const value = (params as Record<string, unknown>)[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
      throw new StatsInputError(`params.${name}`, 'must be a positive, finite number');
    }
  }
}
