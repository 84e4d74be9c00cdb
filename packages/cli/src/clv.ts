/**
 * `liftlab clv` input: a CSV of transactions (customer, date, amount) reduced in one streaming pass to each
 * customer's purchase days, or a CSV that already holds the RFM summary (x, t_x, T, mean repeat value).
 */
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { CliInputError } from './errors';
import { parseNumber } from './numbers';

const DAY_MS = 86_400_000;
export const REJECTED_EXAMPLES = 5;

export interface RejectedRows {
  count: number;
  examples: { row: number; reason: string }[];
}

/** One customer's order days (UTC day numbers) with the amount spent each day, in ascending day order. */
export interface CustomerHistory {
  id: string;
  days: number[];
  amounts: number[];
}

export interface TransactionColumns {
  customerColumn: string;
  dateColumn: string;
  amountColumn: string;
}

/** Whole UTC day number of `YYYY-MM-DD`, `YYYYMMDD` or an ISO timestamp; undefined if not a date. */
export function dayNumber(text: string): number | undefined {
  const t = text.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  const iso = compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : t;
  if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return undefined;
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (!Number.isFinite(ms)) return undefined;
  // A calendar date that rolled over (2024-02-31) is not a date.
  if (iso.length === 10 && new Date(ms).toISOString().slice(0, 10) !== iso) return undefined;
  return Math.floor(ms / DAY_MS);
}

export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function columnIndex(header: readonly string[], name: string, flag: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new CliInputError(flag, `column "${name}" is not in the header (${header.join(', ')})`);
  return i;
}

function reject(rejected: RejectedRows, row: number, reason: string): void {
  rejected.count++;
  if (rejected.examples.length < REJECTED_EXAMPLES) rejected.examples.push({ row, reason });
}

/**
 * Streams transaction rows into per-customer order days (amounts of the same UTC day summed, as purchases of
 * one visit). Rows with an unreadable date or amount are counted and skipped. `onRow` reports progress.
 */
export async function readTransactions(
  source: Readable,
  columns: TransactionColumns,
  onRow?: (rows: number) => void,
): Promise<{ customers: CustomerHistory[]; rowsRead: number; rejected: RejectedRows }> {
  const parser = source.pipe(
    parse({ bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }),
  );
  const byCustomer = new Map<string, Map<number, number>>();
  const rejected: RejectedRows = { count: 0, examples: [] };
  let header: string[] | undefined;
  let ci = 0;
  let di = 0;
  let ai = 0;
  let rowsRead = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = record;
      ci = columnIndex(header, columns.customerColumn, '--customer-column');
      di = columnIndex(header, columns.dateColumn, '--date-column');
      ai = columnIndex(header, columns.amountColumn, '--amount-column');
      continue;
    }
    rowsRead++;
    const row = rowsRead + 1;
    const id = record[ci] ?? '';
    const day = dayNumber(record[di] ?? '');
    const amount = parseNumber(record[ai] ?? '');
    if (id === '') reject(rejected, row, `empty ${columns.customerColumn}`);
    else if (day === undefined) reject(rejected, row, `${columns.dateColumn} is not a date`);
    else if (amount === undefined || amount < 0) {
      reject(rejected, row, `${columns.amountColumn} is not an amount ≥ 0`);
    } else {
      let days = byCustomer.get(id);
      if (!days) byCustomer.set(id, (days = new Map()));
      days.set(day, (days.get(day) ?? 0) + amount);
    }
    if (onRow && rowsRead % 1000 === 0) onRow(rowsRead);
  }
  if (!header) throw new CliInputError('file', 'is empty (a header row is needed)');
  const customers: CustomerHistory[] = [];
  for (const [id, days] of byCustomer) {
    const sorted = [...days.keys()].sort((a, b) => a - b);
    customers.push({ id, days: sorted, amounts: sorted.map((d) => days.get(d) as number) });
  }
  return { customers, rowsRead, rejected };
}

/** One customer's summary in the chosen time unit. */
export interface RfmRow {
  id: string;
  x: number;
  tx: number;
  T: number;
  /** Mean value of the repeat purchase days (0 when x = 0). */
  monetary: number;
  /** Purchase days in the holdout period (after the calibration end), when one was asked for. */
  holdoutPurchases?: number;
}

/**
 * Calibration summary as of the end of day `calibrationEnd` (inclusive): x = order days after the first, tₓ and
 * T from the first order day to the last one and to `calibrationEnd` (Fader, Hardie & Lee 2005's CDNOW
 * convention: T = 38.86 weeks from 1 January to 30 September 1997), in units of `unitDays` days. Customers whose
 * first order comes later are left out; with `holdoutEnd`, order days in (calibrationEnd, holdoutEnd] are counted.
 */
export function summarize(
  customers: readonly CustomerHistory[],
  calibrationEnd: number,
  unitDays: number,
  holdoutEnd?: number,
): { rows: RfmRow[]; notYetCustomers: number; sameDayCustomers: number } {
  const rows: RfmRow[] = [];
  let notYetCustomers = 0;
  let sameDayCustomers = 0;
  for (const c of customers) {
    const first = c.days[0] as number;
    if (first > calibrationEnd) {
      notYetCustomers++;
      continue;
    }
    if (first === calibrationEnd) {
      // T = 0: the models need some time observed after the first purchase.
      sameDayCustomers++;
      continue;
    }
    let last = first;
    let repeat = 0;
    let repeatValue = 0;
    let holdout = 0;
    for (let i = 1; i < c.days.length; i++) {
      const d = c.days[i] as number;
      if (d <= calibrationEnd) {
        last = d;
        repeat++;
        repeatValue += c.amounts[i] as number;
      } else if (holdoutEnd !== undefined && d <= holdoutEnd) {
        holdout++;
      }
    }
    rows.push({
      id: c.id,
      x: repeat,
      tx: (last - first) / unitDays,
      T: (calibrationEnd - first) / unitDays,
      monetary: repeat > 0 ? repeatValue / repeat : 0,
      ...(holdoutEnd !== undefined ? { holdoutPurchases: holdout } : {}),
    });
  }
  return { rows, notYetCustomers, sameDayCustomers };
}

export interface RfmColumns {
  idColumn: string;
  frequencyColumn: string;
  recencyColumn: string;
  ageColumn: string;
  monetaryColumn: string;
}

/** An RFM summary file: one row per customer with x, t_x, T and the mean repeat value. */
export async function readRfm(
  source: Readable,
  columns: RfmColumns,
  onRow?: (rows: number) => void,
): Promise<{ rows: RfmRow[]; rowsRead: number; rejected: RejectedRows }> {
  const parser = source.pipe(
    parse({ bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }),
  );
  const rows: RfmRow[] = [];
  const rejected: RejectedRows = { count: 0, examples: [] };
  let header: string[] | undefined;
  let idx: number[] = [];
  let rowsRead = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = record;
      idx = [
        columnIndex(header, columns.idColumn, '--customer-column'),
        columnIndex(header, columns.frequencyColumn, '--frequency-column'),
        columnIndex(header, columns.recencyColumn, '--recency-column'),
        columnIndex(header, columns.ageColumn, '--age-column'),
        columnIndex(header, columns.monetaryColumn, '--monetary-column'),
      ];
      continue;
    }
    rowsRead++;
    const [id, x, tx, T, m] = idx.map((i, k) => (k === 0 ? record[i] : parseNumber(record[i] ?? ''))) as [
      string | undefined,
      number | undefined,
      number | undefined,
      number | undefined,
      number | undefined,
    ];
    const row = rowsRead + 1;
    if (!id) reject(rejected, row, `empty ${columns.idColumn}`);
    else if (x === undefined || !Number.isInteger(x) || x < 0) {
      reject(rejected, row, `${columns.frequencyColumn} is not a whole number ≥ 0`);
    } else if (T === undefined || !(T > 0)) reject(rejected, row, `${columns.ageColumn} is not > 0`);
    else if (tx === undefined || tx < 0 || tx > T || (x === 0 && tx !== 0)) {
      reject(rejected, row, `${columns.recencyColumn} is not in [0, ${columns.ageColumn}] (0 when x = 0)`);
    } else {
      rows.push({ id, x, tx, T, monetary: m !== undefined && m > 0 ? m : 0 });
    }
    if (onRow && rowsRead % 1000 === 0) onRow(rowsRead);
  }
  if (!header) throw new CliInputError('file', 'is empty (a header row is needed)');
  return { rows, rowsRead, rejected };
}
