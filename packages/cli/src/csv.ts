import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { AnalysisInput, AnalysisVariant } from '@liftlab/stats';
import { CliInputError } from './errors';
import { parseCell } from './numbers';

/**
 * A running sum with Neumaier's compensation (Neumaier 1974, an improved Kahan summation): the rounding error of
 * each addition is carried in `compensation` and added back at the end, so a sum over ten million rows stays
 * within a few units in the last place instead of drifting by up to n·ε.
 *
 * Why it matters here: the analysis computes a variance as (Σx² − (Σx)²/n)/(n − 1), which magnifies any error in
 * the sums by (1 + mean²/variance). We cannot shift the values by a reference (which would remove that
 * magnification) because the statistics need raw sums: a relative lift divides by the raw control mean. So the
 * sums themselves must be as exact as a double allows, and compensated summation delivers that at the cost of a
 * few additions per value.
 */
export class CompensatedSum {
  private total = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.total + x;
    if (Math.abs(this.total) >= Math.abs(x)) this.compensation += this.total - t + x;
    else this.compensation += x - t + this.total;
    this.total = t;
  }

  get value(): number {
    return this.total + this.compensation;
  }
}

/** Per-arm sufficient statistics of a metric x and, optionally, a pre-period covariate y. */
export class ArmAccumulator {
  n = 0;
  readonly sumX = new CompensatedSum();
  readonly sumXX = new CompensatedSum();
  readonly sumY = new CompensatedSum();
  readonly sumYY = new CompensatedSum();
  readonly sumXY = new CompensatedSum();

  constructor(readonly key: string) {}

  add(x: number, y?: number): void {
    this.n += 1;
    this.sumX.add(x);
    this.sumXX.add(x * x);
    if (y !== undefined) {
      this.sumY.add(y);
      this.sumYY.add(y * y);
      this.sumXY.add(x * y);
    }
  }
}

export interface CsvColumns {
  /** Column holding the variant each customer was assigned to. */
  variantColumn: string;
  /** Column holding the outcome (a conversion 0/1 or an amount). */
  metricColumn: string;
  /** Column holding a pre-period value of the same customer, for CUPED. */
  covariateColumn?: string;
  /** 'proportion' accepts only 0 and 1 as metric values. */
  type: 'mean' | 'proportion';
}

export interface RejectedRow {
  /** 1-based data row (the header is not counted). */
  row: number;
  reason: string;
}

export interface CsvAccumulation {
  /** Data rows read (excluding the header). */
  rowsRead: number;
  /** Rows that could not be used; `examples` holds the first few with their reason. */
  rejectedRows: { count: number; examples: RejectedRow[] };
  /** Arms in the order their first row appeared. */
  arms: ArmAccumulator[];
}

export interface AccumulateOptions extends CsvColumns {
  /** Called with the number of rows read so far, every `progressEvery` rows. */
  onRows?: (rowsRead: number) => void;
  progressEvery?: number;
}

/** Only this many rejected rows are listed; the count covers all of them. */
export const REJECTED_EXAMPLES = 5;
/** More distinct values than this means the variant column is probably a customer id or an amount. */
export const MAX_VARIANTS = 100;

function columnIndex(header: string[], name: string, flag: string): number {
  const index = header.findIndex((h) => h.trim() === name);
  if (index < 0) {
    fail(flag, `column "${name}" is not in the header (columns: ${header.map((h) => h.trim()).join(', ')})`);
  }
  return index;
}

function fail(field: string, rule: string): never {
  throw new CliInputError(field, rule);
}

/**
 * Streams per-customer CSV rows into per-arm sums; memory stays constant whatever the number of rows. The first
 * record is the header. Rows with a missing or non-numeric value (or a non-0/1 value for a proportion) are counted
 * and listed, never silently dropped.
 */
export async function accumulateCsv(source: Readable, options: AccumulateOptions): Promise<CsvAccumulation> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  const arms = new Map<string, ArmAccumulator>();
  const rejected: CsvAccumulation['rejectedRows'] = { count: 0, examples: [] };
  const progressEvery = options.progressEvery ?? 100_000;
  const hasCovariate = options.covariateColumn !== undefined;
  const proportion = options.type === 'proportion';
  let header: string[] | undefined;
  let variantAt = 0;
  let metricAt = 0;
  let covariateAt = 0;
  let needed = 0;
  let row = 0;

  const reject = (reason: string): void => {
    rejected.count += 1;
    if (rejected.examples.length < REJECTED_EXAMPLES) rejected.examples.push({ row, reason });
  };

  const onRecord = (record: string[]): void => {
    if (header === undefined) {
      header = record;
      variantAt = columnIndex(header, options.variantColumn, '--variant-column');
      metricAt = columnIndex(header, options.metricColumn, '--metric-column');
      if (options.covariateColumn !== undefined) {
        covariateAt = columnIndex(header, options.covariateColumn, '--covariate-column');
      }
      needed = Math.max(variantAt, metricAt, hasCovariate ? covariateAt : 0) + 1;
      return;
    }
    row += 1;
    if (options.onRows && row % progressEvery === 0) options.onRows(row);
    if (record.length < needed) {
      reject(`has ${record.length} columns, the header has ${header.length}`);
      return;
    }
    const key = (record[variantAt] as string).trim();
    if (key === '') {
      reject(`${options.variantColumn}: missing`);
      return;
    }
    const x = parseCell(record[metricAt] as string);
    if (typeof x !== 'number') {
      reject(`${options.metricColumn}: ${x} (${JSON.stringify(record[metricAt])})`);
      return;
    }
    if (proportion && x !== 0 && x !== 1) {
      reject(
        `${options.metricColumn}: must be 0 or 1 for a proportion metric (${JSON.stringify(record[metricAt])})`,
      );
      return;
    }
    let y: number | undefined;
    if (hasCovariate) {
      const parsed = parseCell(record[covariateAt] as string);
      if (typeof parsed !== 'number') {
        reject(`${options.covariateColumn}: ${parsed} (${JSON.stringify(record[covariateAt])})`);
        return;
      }
      y = parsed;
    }
    let arm = arms.get(key);
    if (arm === undefined) {
      if (arms.size >= MAX_VARIANTS) {
        fail(
          '--variant-column',
          `column "${options.variantColumn}" has more than ${MAX_VARIANTS} distinct values; is it the variant column?`,
        );
      }
      arm = new ArmAccumulator(key);
      arms.set(key, arm);
    }
    arm.add(x, y);
  };

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      if (error) {
        source.unpipe(parser);
        source.destroy();
        parser.destroy();
        reject(error);
      } else resolve();
    };
    parser.on('readable', () => {
      try {
        let record: string[] | null;
        while ((record = parser.read() as string[] | null) !== null) onRecord(record);
      } catch (error) {
        finish(error);
      }
    });
    parser.on('error', (error: Error & { code?: string; lines?: number }) =>
      finish(
        error.code?.startsWith('CSV_')
          ? new CliInputError('--csv', `malformed CSV near line ${error.lines ?? '?'}: ${error.message}`)
          : error,
      ),
    );
    parser.on('end', () => finish());
    source.on('error', (error) => finish(error));
    source.pipe(parser);
  });

  if (header === undefined) fail('--csv', 'the file is empty (expected a header row)');
  if (options.onRows) options.onRows(row);
  return { rowsRead: row, rejectedRows: rejected, arms: [...arms.values()] };
}

/**
 * Turns accumulated arms into the JSON input of `liftlab analyze`, control first. The control is `control` or,
 * when absent, the first variant seen in the file.
 */
export function toAnalysisInput(
  accumulation: CsvAccumulation,
  options: CsvColumns & { control?: string; weights?: Record<string, number> },
): AnalysisInput {
  const { arms } = accumulation;
  if (arms.length === 0)
    fail('--csv', 'no usable rows (every row was rejected or the file has only a header)');
  let control = arms[0] as ArmAccumulator;
  if (options.control !== undefined) {
    const found = arms.find((a) => a.key === options.control);
    if (!found) {
      fail(
        '--control',
        `no row has variant "${options.control}" (variants seen: ${arms.map((a) => a.key).join(', ')})`,
      );
    }
    control = found;
  }
  if (arms.length < 2)
    fail('--variant-column', `only one variant ("${control.key}") found; nothing to compare`);
  const ordered = [control, ...arms.filter((a) => a !== control)];
  const weights = options.weights;
  if (weights) {
    for (const key of Object.keys(weights)) {
      if (!arms.some((a) => a.key === key)) {
        fail('--weight', `no row has variant "${key}" (variants seen: ${arms.map((a) => a.key).join(', ')})`);
      }
    }
    const missing = ordered.find((a) => weights[a.key] === undefined);
    if (missing) fail('--weight', `give a weight for every variant or none (missing "${missing.key}")`);
  }
  const cuped = options.covariateColumn !== undefined;
  return {
    metric: { type: options.type, cuped },
    variants: ordered.map((arm): AnalysisVariant => {
      const variant: AnalysisVariant = {
        key: arm.key,
        n: arm.n,
        sum: arm.sumX.value,
        sumSquares: arm.sumXX.value,
      };
      if (weights) variant.weight = weights[arm.key] as number;
      if (cuped) {
        variant.preSum = arm.sumY.value;
        variant.preSumSquares = arm.sumYY.value;
        variant.sumProducts = arm.sumXY.value;
      }
      return variant;
    }),
  };
}
