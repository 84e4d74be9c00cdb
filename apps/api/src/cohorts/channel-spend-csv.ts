import { parse } from 'csv-parse/sync';
import type { FieldError } from '../common/domain-error';

/**
 * Channel spend files: a header line, then one row per channel × month. Columns `channel`, `month` (`YYYY-MM`,
 * or a `YYYY-MM-DD` day, which stands for its month) and `amount` are required, `note` is optional; other columns
 * are refused so a misspelt header is noticed. Pure: text in, rows or field errors out.
 */

export interface SpendCsvRow {
  channel: string;
  month: string;
  amount: number;
  note: string;
}

const REQUIRED = ['channel', 'month', 'amount'] as const;
const KNOWN = new Set<string>([...REQUIRED, 'note']);
/** Rows accepted per file: spend is monthly, so even years of many channels stay far below this. */
export const MAX_SPEND_ROWS = 10_000;

export function parseSpendCsv(text: string): { rows: SpendCsvRow[]; errors: FieldError[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (e) {
    return {
      rows: [],
      errors: [{ path: '(file)', rule: `csv_${(e as { code?: string }).code ?? 'invalid'}` }],
    };
  }
  const header = records[0];
  if (!header) return { rows: [], errors: [{ path: '(file)', rule: 'empty_file' }] };
  const errors: FieldError[] = [];
  header.forEach((h) => {
    if (!KNOWN.has(h)) errors.push({ path: `(file).${h || '(blank)'}`, rule: 'unknown_column' });
  });
  for (const r of REQUIRED)
    if (!header.includes(r)) errors.push({ path: `(file).${r}`, rule: 'required_column' });
  if (errors.length > 0) return { rows: [], errors };
  if (records.length - 1 > MAX_SPEND_ROWS) {
    return { rows: [], errors: [{ path: '(file)', rule: `max_${MAX_SPEND_ROWS}_rows` }] };
  }
  const col = (name: string) => header.indexOf(name);
  const rows: SpendCsvRow[] = [];
  const seen = new Set<string>();
  records.slice(1).forEach((cells, i) => {
    const line = i + 2;
    const at = (field: string) => `rows.${line}.${field}`;
    const channel = cells[col('channel')] ?? '';
    const monthCell = cells[col('month')] ?? '';
    const amountCell = cells[col('amount')] ?? '';
    const note = col('note') >= 0 ? (cells[col('note')] ?? '') : '';
    let ok = true;
    if (channel.length === 0) {
      errors.push({ path: at('channel'), rule: 'required' });
      ok = false;
    } else if (channel.length > 100) {
      errors.push({ path: at('channel'), rule: 'max_length' });
      ok = false;
    }
    const month = /^(\d{4}-(0[1-9]|1[0-2]))(-(0[1-9]|[12]\d|3[01]))?$/.exec(monthCell)?.[1];
    if (!month) {
      errors.push({ path: at('month'), rule: 'format_month' });
      ok = false;
    }
    const amount = amountCell === '' ? Number.NaN : Number(amountCell);
    if (!Number.isFinite(amount)) {
      errors.push({ path: at('amount'), rule: amountCell === '' ? 'required' : 'type_number' });
      ok = false;
    } else if (amount < 0) {
      errors.push({ path: at('amount'), rule: 'min_0' });
      ok = false;
    }
    if (note.length > 500) {
      errors.push({ path: at('note'), rule: 'max_length' });
      ok = false;
    }
    if (!ok || !month) return;
    const key = `${channel}\u0000${month}`;
    if (seen.has(key)) {
      errors.push({ path: at('month'), rule: 'duplicate_channel_month' });
      return;
    }
    seen.add(key);
    rows.push({ channel, month, amount, note });
  });
  if (rows.length === 0 && errors.length === 0) errors.push({ path: '(file)', rule: 'no_rows' });
  return { rows, errors };
}
