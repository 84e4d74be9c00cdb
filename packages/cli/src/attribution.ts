import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import {
  firstTouchAttribution,
  lastTouchAttribution,
  linearAttribution,
  markovAttribution,
  positionBasedAttribution,
  shapleyAttribution,
  type AttributionResult,
  type ConversionPath,
} from '@liftlab/stats';
import { CliInputError } from './errors';
import { parseCell } from './numbers';

/**
 * `liftlab attribution`: touch rows (one per touch: path id, channel, converted flag, value) → journeys → the six
 * attribution models of @liftlab/stats side by side. Journeys are kept per path id in memory (one array of
 * channels each), then aggregated to distinct paths before the models run.
 */

export interface TouchColumns {
  pathColumn: string;
  channelColumn: string;
  convertedColumn: string;
  valueColumn?: string;
  /** Optional column ordering the touches of a path (a number or an ISO date); else file order. */
  orderColumn?: string;
}

export interface RejectedTouch {
  row: number;
  reason: string;
}

export interface RevenuePath extends ConversionPath {
  revenue: number;
}

export interface PathAccumulation {
  rowsRead: number;
  journeys: number;
  paths: RevenuePath[];
  rejectedRows: { count: number; examples: RejectedTouch[] };
}

const TRUE = new Set(['1', 'true', 'yes', 'y']);
const FALSE = new Set(['0', 'false', 'no', 'n', '']);
/** Journeys kept in memory at most: a bound on memory for a mistaken path column (e.g. a row id). */
export const MAX_JOURNEYS = 5_000_000;

function columnIndex(header: string[], name: string, flag: string): number {
  const at = header.indexOf(name);
  if (at < 0) throw new CliInputError(flag, `column "${name}" is not in the header (${header.join(', ')})`);
  return at;
}

function orderKey(text: string): number | undefined {
  const n = parseCell(text);
  if (typeof n === 'number') return n;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

interface Journey {
  touches: { channel: string; order: number; seq: number }[];
  converted: boolean;
  value: number;
}

/**
 * Reads touch rows into journeys. A path converts when any of its rows has a true converted flag (1, true, yes);
 * its value is the sum of its rows' values (put the conversion value on one row). Rows with an empty path id or
 * channel, an unreadable flag, value or order are counted and listed, never silently dropped.
 */
export async function accumulateTouches(
  source: Readable,
  columns: TouchColumns,
  onRows?: (rows: number) => void,
): Promise<PathAccumulation> {
  const parser = source.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
  );
  const journeys = new Map<string, Journey>();
  const rejected: PathAccumulation['rejectedRows'] = { count: 0, examples: [] };
  let header: string[] | undefined;
  let at = { path: 0, channel: 0, converted: 0, value: -1, order: -1 };
  let row = 0;
  const reject = (reason: string) => {
    rejected.count += 1;
    if (rejected.examples.length < 5) rejected.examples.push({ row, reason });
  };
  for await (const record of parser as AsyncIterable<string[]>) {
    if (header === undefined) {
      header = record;
      at = {
        path: columnIndex(header, columns.pathColumn, '--path-column'),
        channel: columnIndex(header, columns.channelColumn, '--channel-column'),
        converted: columnIndex(header, columns.convertedColumn, '--converted-column'),
        value:
          columns.valueColumn === undefined ? -1 : columnIndex(header, columns.valueColumn, '--value-column'),
        order:
          columns.orderColumn === undefined ? -1 : columnIndex(header, columns.orderColumn, '--order-column'),
      };
      continue;
    }
    row += 1;
    if (row % 50_000 === 0) onRows?.(row);
    const id = record[at.path] ?? '';
    const channel = record[at.channel] ?? '';
    const flag = (record[at.converted] ?? '').toLowerCase();
    if (id === '') {
      reject('empty path id');
      continue;
    }
    if (channel === '') {
      reject('empty channel');
      continue;
    }
    if (!TRUE.has(flag) && !FALSE.has(flag)) {
      reject(`converted flag "${flag}" is not 0/1, true/false or yes/no`);
      continue;
    }
    let value = 0;
    if (at.value >= 0) {
      const cell = parseCell(record[at.value] ?? '');
      if (cell === 'not a number') {
        reject('value is not a number');
        continue;
      }
      value = cell === 'missing' ? 0 : cell;
    }
    let order = row;
    if (at.order >= 0) {
      const key = orderKey(record[at.order] ?? '');
      if (key === undefined) {
        reject('order is neither a number nor a date');
        continue;
      }
      order = key;
    }
    let journey = journeys.get(id);
    if (!journey) {
      if (journeys.size >= MAX_JOURNEYS) {
        throw new CliInputError(
          '--path-column',
          `more than ${MAX_JOURNEYS} distinct paths; is it a path id?`,
        );
      }
      journey = { touches: [], converted: false, value: 0 };
      journeys.set(id, journey);
    }
    journey.touches.push({ channel, order, seq: row });
    journey.converted ||= TRUE.has(flag);
    journey.value += value;
  }
  if (header === undefined) throw new CliInputError('--csv', 'the file is empty (no header line)');
  onRows?.(row);
  const paths = new Map<string, RevenuePath>();
  for (const j of journeys.values()) {
    const path = j.touches.sort((a, b) => a.order - b.order || a.seq - b.seq).map((t) => t.channel);
    const key = JSON.stringify(path);
    const p = paths.get(key) ?? { path, conversions: 0, nulls: 0, revenue: 0 };
    if (j.converted) {
      p.conversions += 1;
      p.revenue += j.value;
    } else p.nulls += 1;
    paths.set(key, p);
  }
  return { rowsRead: row, journeys: journeys.size, paths: [...paths.values()], rejectedRows: rejected };
}

export interface ModelCredits {
  model: AttributionResult['model'];
  channels: { channel: string; conversions: number; share: number; revenue: number }[];
}

export interface ModelOptions {
  positionFirst: number;
  positionLast: number;
  markovOrder: number;
}

/**
 * The six models on the same paths. Revenue: the rule-based models split each path's value with the same
 * position weights as its conversion; Markov and Shapley credit channels, not paths, so value is shared in
 * proportion to their conversion shares (as the api's attribution comparison does).
 */
export function compareAttribution(paths: readonly RevenuePath[], options: ModelOptions): ModelCredits[] {
  const plain = paths.map((p) => ({ path: p.path, conversions: p.conversions, nulls: p.nulls }));
  const position = { first: options.positionFirst, last: options.positionLast };
  const rules: [AttributionResult['model'], (ps: ConversionPath[]) => AttributionResult][] = [
    ['first_touch', firstTouchAttribution],
    ['last_touch', lastTouchAttribution],
    ['linear', linearAttribution],
    ['position_based', (ps) => positionBasedAttribution(ps, position)],
  ];
  const total = paths.reduce((s, p) => s + (p.conversions > 0 ? p.revenue : 0), 0);
  const out: ModelCredits[] = rules.map(([model, runModel]) => {
    const revenue = new Map<string, number>();
    for (const p of paths) {
      if (p.conversions === 0 || p.revenue === 0) continue;
      for (const c of runModel([{ path: p.path, conversions: 1, nulls: 0 }]).channels) {
        revenue.set(c.channel, (revenue.get(c.channel) ?? 0) + c.conversions * p.revenue);
      }
    }
    return {
      model,
      channels: runModel(plain).channels.map((c) => ({ ...c, revenue: revenue.get(c.channel) ?? 0 })),
    };
  });
  for (const result of [
    markovAttribution(plain, { order: options.markovOrder }),
    shapleyAttribution(plain),
  ]) {
    out.push({
      model: result.model,
      channels: result.channels.map((c) => ({
        channel: c.channel,
        conversions: c.conversions,
        share: c.share,
        revenue: c.share * total,
      })),
    });
  }
  return out;
}
