import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { analyzeExperiment, StatsInputError, type AnalysisInput, type AnalysisResult } from '@liftlab/stats';
import { accumulateCsv, toAnalysisInput, type CsvAccumulation } from '../csv';
import { CliInputError } from '../errors';
import { openInput, parseJson, readText, warn, writeJson, type CliIO } from '../io';
import {
  addAnalysisFlags,
  applyFlags,
  FLAG_OF_FIELD,
  optionsFromFlags,
  type AnalysisFlags,
} from '../options';

interface AnalyzeFlags extends AnalysisFlags {
  csv?: string;
  variantColumn?: string;
  metricColumn?: string;
  covariateColumn?: string;
  control?: string;
  type?: 'mean' | 'proportion';
  progress: boolean;
}

/** Runs the analysis; an error about an option set by a flag names the flag rather than the JSON path. */
export function analyzeWithFlags(input: unknown, flags: AnalysisFlags): AnalysisResult {
  try {
    return analyzeExperiment(input as AnalysisInput);
  } catch (error) {
    if (error instanceof StatsInputError) {
      const mapped = FLAG_OF_FIELD[error.field];
      if (mapped && flags[mapped.key] !== undefined) throw new CliInputError(mapped.flag, error.rule);
      if (/^variants\[\d+\]\.weight$/.test(error.field) && flags.weight !== undefined) {
        throw new CliInputError('--weight', error.rule);
      }
    }
    throw error;
  }
}

/** Prints the warnings a reader must see even when stdout goes to a file. */
export function reportWarnings(io: CliIO, result: AnalysisResult): void {
  for (const message of result.warnings) warn(io, message);
}

const CSV_ONLY: Array<[keyof AnalyzeFlags, string]> = [
  ['variantColumn', '--variant-column'],
  ['metricColumn', '--metric-column'],
  ['covariateColumn', '--covariate-column'],
  ['control', '--control'],
  ['type', '--type'],
];

async function analyzeJson(file: string | undefined, flags: AnalyzeFlags, io: CliIO): Promise<void> {
  for (const [key, flag] of CSV_ONLY) {
    if (flags[key] !== undefined) throw new CliInputError(flag, 'only applies with --csv');
  }
  const path = file ?? '-';
  if (path === '-' && io.stdin.isTTY) {
    throw new CliInputError('file', 'give a JSON file, "-" to read standard input, or --csv FILE');
  }
  const text = await readText(path, io, 'file');
  const input = applyFlags(parseJson(text, path === '-' ? 'stdin' : path), flags);
  const result = analyzeWithFlags(input, flags);
  writeJson(io, result);
  reportWarnings(io, result);
}

async function readCsvWithProgress(
  path: string,
  flags: AnalyzeFlags & { variantColumn: string; metricColumn: string },
  io: CliIO,
): Promise<CsvAccumulation> {
  const { stream, size } = await openInput(path, io, '--csv');
  const showProgress = flags.progress && io.stderr.isTTY === true && size !== undefined && size > 0;
  const bar = showProgress
    ? new cliProgress.SingleBar(
        {
          stream: io.stderr,
          format: 'reading {file} [{bar}] {percentage}% | {rows} rows | ETA {eta_formatted}',
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
    return await accumulateCsv(stream, {
      variantColumn: flags.variantColumn,
      metricColumn: flags.metricColumn,
      type: flags.type ?? 'mean',
      ...(flags.covariateColumn !== undefined ? { covariateColumn: flags.covariateColumn } : {}),
      onRows: (count) => {
        rows = count;
      },
    });
  } finally {
    bar?.stop();
  }
}

async function analyzeCsv(file: string | undefined, flags: AnalyzeFlags, io: CliIO): Promise<void> {
  const path = flags.csv as string;
  if (file !== undefined) throw new CliInputError('file', 'give either a JSON file or --csv, not both');
  if (flags.variantColumn === undefined)
    throw new CliInputError('--variant-column', 'is required with --csv');
  if (flags.metricColumn === undefined) throw new CliInputError('--metric-column', 'is required with --csv');
  const columns = { ...flags, variantColumn: flags.variantColumn, metricColumn: flags.metricColumn };
  const accumulation = await readCsvWithProgress(path, columns, io);
  const sufficient = toAnalysisInput(accumulation, {
    variantColumn: flags.variantColumn,
    metricColumn: flags.metricColumn,
    type: flags.type ?? 'mean',
    ...(flags.covariateColumn !== undefined ? { covariateColumn: flags.covariateColumn } : {}),
    ...(flags.control !== undefined ? { control: flags.control } : {}),
    ...(flags.weight !== undefined ? { weights: flags.weight } : {}),
  });
  if ((flags.priorMean === undefined) !== (flags.priorVariance === undefined)) {
    const [missing, given] =
      flags.priorMean === undefined
        ? ['--prior-mean', '--prior-variance']
        : ['--prior-variance', '--prior-mean'];
    throw new CliInputError(missing, `is required together with ${given}`);
  }
  const prior =
    flags.priorMean !== undefined && flags.priorVariance !== undefined
      ? { prior: { mean: flags.priorMean, variance: flags.priorVariance } }
      : {};
  const input: AnalysisInput = { ...sufficient, options: { ...optionsFromFlags(flags), ...prior } };
  const result = analyzeWithFlags(input, flags);
  const { rowsRead, rejectedRows } = accumulation;
  writeJson(io, { ...result, rowsRead, rejectedRows, input });
  if (rejectedRows.count > 0) {
    const first = rejectedRows.examples[0];
    warn(
      io,
      `${rejectedRows.count} of ${rowsRead} rows were not used${first ? ` (first: row ${first.row}, ${first.reason})` : ''}; see rejectedRows`,
    );
  }
  reportWarnings(io, result);
}

export function analyzeCommand(io: CliIO): Command {
  const command = new Command('analyze')
    .summary('analyse an experiment from sufficient statistics (JSON) or per-customer rows (CSV)')
    .description(
      'Analyse an experiment. Reads JSON sufficient statistics from FILE (or "-" for standard input), or streams\n' +
        'per-customer rows from a CSV file with --csv. Prints the results as JSON; see docs/cli.md.',
    )
    .argument('[file]', 'JSON input, or "-" for standard input')
    .option('--csv <file>', 'per-customer CSV rows ("-" for standard input)')
    .option('--variant-column <column>', 'CSV column with the variant of each customer')
    .option('--metric-column <column>', 'CSV column with the outcome (conversion 0/1 or amount)')
    .option('--covariate-column <column>', 'CSV column with a pre-period value, enables CUPED')
    .option('--control <variant>', 'control variant (default: the first variant in the file)')
    .addOption(
      new Option('--type <type>', 'metric type of the CSV column (default: mean)').choices([
        'mean',
        'proportion',
      ]),
    )
    .option('--no-progress', 'no progress bar on stderr while reading a CSV file');
  addAnalysisFlags(command);
  return command.action(async (file: string | undefined, flags: AnalyzeFlags) => {
    if (flags.csv !== undefined) await analyzeCsv(file, flags, io);
    else await analyzeJson(file, flags, io);
  });
}
