import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { StatsInputError } from '@liftlab/stats';
import {
  accumulateTouches,
  compareAttribution,
  type ModelCredits,
  type PathAccumulation,
} from '../attribution';
import { CliInputError } from '../errors';
import { openInput, warn, writeJson, type CliIO } from '../io';
import { numberArg } from '../options';
import { csvLine } from './import';

interface AttributionFlags {
  pathColumn: string;
  channelColumn: string;
  convertedColumn: string;
  valueColumn?: string;
  orderColumn?: string;
  positionFirst: number;
  positionLast: number;
  markovOrder: number;
  format: 'table' | 'csv' | 'json';
  progress: boolean;
}

const LABELS: Record<ModelCredits['model'], string> = {
  first_touch: 'first',
  last_touch: 'last',
  linear: 'linear',
  position_based: 'position',
  markov: 'markov',
  shapley: 'shapley',
};

const FLAG_OF_FIELD: Record<string, string> = {
  first: '--position-first',
  last: '--position-last',
  order: '--markov-order',
};

async function readWithProgress(path: string, flags: AttributionFlags, io: CliIO): Promise<PathAccumulation> {
  const { stream, size } = await openInput(path, io, 'file');
  const showProgress = flags.progress && io.stderr.isTTY === true && size !== undefined && size > 0;
  const bar = showProgress
    ? new cliProgress.SingleBar(
        {
          stream: io.stderr,
          format: 'reading {file} [{bar}] {percentage}% | {rows} touches | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let bytes = 0;
  let rows = 0;
  if (bar) {
    bar.start(size as number, 0, { file: path, rows: 0 });
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      bar.update(bytes, { rows });
    });
  }
  try {
    return await accumulateTouches(
      stream,
      {
        pathColumn: flags.pathColumn,
        channelColumn: flags.channelColumn,
        convertedColumn: flags.convertedColumn,
        ...(flags.valueColumn !== undefined ? { valueColumn: flags.valueColumn } : {}),
        ...(flags.orderColumn !== undefined ? { orderColumn: flags.orderColumn } : {}),
      },
      (count) => {
        rows = count;
      },
    );
  } finally {
    bar?.stop();
  }
}

const fixed = (n: number, digits: number) => (Math.abs(n) < 5e-13 ? 0 : n).toFixed(digits);

/** One line per channel: credited conversions under each model, then credited revenue. */
export function formatTable(models: readonly ModelCredits[]): string {
  const channels = models[0]?.channels.map((c) => c.channel) ?? [];
  const header = [
    'channel',
    ...models.map((m) => LABELS[m.model]),
    ...models.map((m) => `${LABELS[m.model]} value`),
  ];
  const rows = channels.map((channel, i) => [
    channel,
    ...models.map((m) => fixed(m.channels[i]!.conversions, 3)),
    ...models.map((m) => fixed(m.channels[i]!.revenue, 2)),
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** Long CSV: model, channel, conversions, share, revenue. */
export function formatCsv(models: readonly ModelCredits[]): string {
  const lines = [csvLine(['model', 'channel', 'conversions', 'share', 'revenue'])];
  for (const m of models) {
    for (const c of m.channels) {
      lines.push(csvLine([m.model, c.channel, String(c.conversions), String(c.share), String(c.revenue)]));
    }
  }
  return lines.join('\n') + '\n';
}

async function attribution(file: string, flags: AttributionFlags, io: CliIO): Promise<void> {
  if (file === '-' && io.stdin.isTTY)
    throw new CliInputError('file', 'give a CSV file or "-" for standard input');
  const read = await readWithProgress(file, flags, io);
  const converting = read.paths.filter((p) => p.conversions > 0);
  if (read.paths.length === 0) throw new CliInputError('file', 'has no usable touch rows');
  let models: ModelCredits[];
  try {
    models = compareAttribution(read.paths, {
      positionFirst: flags.positionFirst,
      positionLast: flags.positionLast,
      markovOrder: flags.markovOrder,
    });
  } catch (error) {
    if (error instanceof StatsInputError && FLAG_OF_FIELD[error.field]) {
      throw new CliInputError(FLAG_OF_FIELD[error.field] as string, error.rule);
    }
    throw error;
  }
  if (flags.format === 'json') {
    writeJson(io, {
      rowsRead: read.rowsRead,
      journeys: read.journeys,
      distinctPaths: read.paths.length,
      conversions: converting.reduce((s, p) => s + p.conversions, 0),
      revenue: converting.reduce((s, p) => s + p.revenue, 0),
      rejectedRows: read.rejectedRows,
      models,
    });
  } else {
    io.stdout.write(flags.format === 'csv' ? formatCsv(models) : formatTable(models));
  }
  if (read.rejectedRows.count > 0) {
    const first = read.rejectedRows.examples[0];
    warn(
      io,
      `${read.rejectedRows.count} of ${read.rowsRead} rows were not used${first ? ` (first: row ${first.row}, ${first.reason})` : ''}`,
    );
  }
  if (converting.length === 0) warn(io, 'no path converted: every model credits 0');
}

function shareArg(value: string): number {
  const n = numberArg(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be a share between 0 and 1.');
  return n;
}

export function attributionCommand(io: CliIO): Command {
  return new Command('attribution')
    .summary('credit conversions to channels under six attribution models, from touch rows (CSV)')
    .description(
      'Reads one row per touch (path id, channel, converted flag, value) from FILE ("-" for standard input), ' +
        'builds each path in file order (or by --order-column) and prints the credit of first touch, last touch, ' +
        'linear, position-based, Markov removal effect and Shapley side by side; see docs/cli.md.',
    )
    .argument('<file>', 'CSV file of touches, or "-" for standard input')
    .option('--path-column <column>', 'column with the customer or path id', 'path_id')
    .option('--channel-column <column>', 'column with the touch channel', 'channel')
    .option(
      '--converted-column <column>',
      'column with the converted flag (1/0, true/false, yes/no)',
      'converted',
    )
    .option('--value-column <column>', 'column with the conversion value, summed per path')
    .option('--order-column <column>', 'column ordering the touches of a path (number or date)')
    .option('--position-first <share>', 'position-based: share of the first touch', shareArg, 0.4)
    .option('--position-last <share>', 'position-based: share of the last touch', shareArg, 0.4)
    .option('--markov-order <k>', 'order of the Markov chain (1-4)', numberArg, 1)
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'),
    )
    .option('--no-progress', 'no progress bar on stderr while reading')
    .action(async (file: string, flags: AttributionFlags) => {
      await attribution(file, flags, io);
    });
}
