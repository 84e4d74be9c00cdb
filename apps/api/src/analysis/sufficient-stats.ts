/**
 * Shapes of the sufficient statistics the database returns: one row per metric × arm × grouping. Everything
 * here is additive over customers, so rows of disjoint groups (days, dimension values) can be summed.
 */

/** Which slice of customers a row describes. */
export type StatsGrouping =
  | { grouping: 'all'; dimension: null; value: null }
  /** Customers who entered on this UTC day (YYYY-MM-DD). */
  | { grouping: 'day'; dimension: null; value: string }
  /** Customers with this value of the dimension. */
  | { grouping: 'dimension'; dimension: string; value: string };

/** Sums over the customers of one arm in one slice (x = metric, y = pre-period covariate, d = denominator). */
export interface Sums {
  n: number;
  /** Σx */
  sum: number;
  /** Σx² */
  sumSquares: number;
  /** Σy */
  preSum: number;
  /** Σy² */
  preSumSquares: number;
  /** Σxy */
  sumProducts: number;
  /** Ratio metrics only: Σd, Σd², Σxd, Σd′, Σd′², Σx·d′, Σd·y, Σd·d′, Σy·d′ */
  denSum?: number;
  denSumSquares?: number;
  sumNumDen?: number;
  preDenSum?: number;
  preDenSumSquares?: number;
  sumNumPreDen?: number;
  sumDenPreNum?: number;
  sumDenPreDen?: number;
  sumPreNumPreDen?: number;
}

interface RowBase {
  /** Index of the metric in the query's metric list. */
  metric: number;
  /** The arm: a variant id, or 'holdout' / 'treated' for the global holdout. */
  arm: string;
  /** Cap applied to each customer's value in this query (null: none). */
  cap: number | null;
}

export type MeanFamilyRow = StatsGrouping &
  RowBase &
  Pick<Sums, 'n' | 'sum' | 'sumSquares' | 'preSum' | 'preSumSquares' | 'sumProducts'>;

export type RatioFamilyRow = StatsGrouping & RowBase & Required<Sums>;

export type StatsRow = StatsGrouping & RowBase & Sums;

/** One arm's customers whose month `month` since exposure is complete, and Σx, Σx² of their value in it. */
export interface MonthRow {
  metric: number;
  arm: string;
  month: number;
  n: number;
  sum: number;
  sumSquares: number;
}

const SUM_FIELDS = [
  'n',
  'sum',
  'sumSquares',
  'preSum',
  'preSumSquares',
  'sumProducts',
  'denSum',
  'denSumSquares',
  'sumNumDen',
  'preDenSum',
  'preDenSumSquares',
  'sumNumPreDen',
  'sumDenPreNum',
  'sumDenPreDen',
  'sumPreNumPreDen',
] as const;

/** a + b field by field (optional ratio fields only when both carry them). */
export function addSums(a: Sums, b: Sums): Sums {
  const out: Sums = { n: 0, sum: 0, sumSquares: 0, preSum: 0, preSumSquares: 0, sumProducts: 0 };
  for (const f of SUM_FIELDS) {
    const x = a[f];
    const y = b[f];
    if (x !== undefined && y !== undefined) out[f] = x + y;
  }
  return out;
}

export function emptySums(ratio: boolean): Sums {
  const base: Sums = { n: 0, sum: 0, sumSquares: 0, preSum: 0, preSumSquares: 0, sumProducts: 0 };
  if (!ratio) return base;
  return {
    ...base,
    denSum: 0,
    denSumSquares: 0,
    sumNumDen: 0,
    preDenSum: 0,
    preDenSumSquares: 0,
    sumNumPreDen: 0,
    sumDenPreNum: 0,
    sumDenPreDen: 0,
    sumPreNumPreDen: 0,
  };
}

export function toSums(row: StatsRow): Sums {
  const out = {} as Sums;
  for (const f of SUM_FIELDS) {
    const v = row[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}
