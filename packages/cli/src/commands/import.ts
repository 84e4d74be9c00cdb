import { basename } from 'node:path';
import { pipeline } from 'node:stream';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { CsvError, parse, type Parser } from 'csv-parse';
import { CliInputError } from '../errors';
import { openInput, warn, writeJson, type CliIO } from '../io';
import { countArg } from '../options';

export const IMPORT_KINDS = ['customers', 'orders', 'experiment'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';
/** Data rows per request: a few megabytes, stored by the server in seconds. */
export const DEFAULT_CHUNK_ROWS = 10_000;
/** The server refuses a file (here: a request) of more data rows than this. */
const MAX_CHUNK_ROWS = 1_000_000;
/** The report keeps this many rejected-row entries, as the server's own import report does; counts stay exact. */
export const MAX_REPORTED_ERRORS = 1_000;
/** The server's limit on the file name it keeps with an import. */
const MAX_FILE_NAME = 255;

/** A rejected row: its number among the file's data rows (1 = the line after the header), the column, the rule. */
export interface ImportRowError {
  row: number;
  field: string;
  rule: string;
}

/** What the server answers for one request (the fields the CLI uses). */
interface ServerImportJob {
  id: string;
  status: string;
  total: number;
  accepted: number;
  rejected: number;
  errors: ImportRowError[];
}

export interface ImportReport {
  file: string;
  kind: ImportKind;
  /** `failed` when the file stopped being valid CSV or the server refused a request part-way through. */
  status: 'completed' | 'failed';
  /** Data rows sent and read by the server. */
  total: number;
  accepted: number;
  rejected: number;
  /** The first rejected rows, numbered within the whole file. */
  errors: ImportRowError[];
  /** The server's import reports (GET /v1/imports/{id}), one per request, with the file rows each covers. */
  imports: { id: string; firstRow: number; lastRow: number }[];
}

interface ImportFlags {
  url: string;
  key?: string;
  chunkRows: number;
  progress: boolean;
  /** Experiment imports: the experiment key for a file without an experimentKey column. */
  experiment?: string;
  /** Experiment imports: the name of the conversion event an `outcome` column is stored as. */
  outcomeEvent?: string;
}

/** One parsed record and how far into the file (in bytes) the parser was after it. */
interface CsvRecord {
  cells: string[];
  bytes: number;
}

/**
 * Parsed records in file order, pulled a chunk at a time. The parser reads ahead by at most one chunk while the
 * previous one is uploaded, so memory stays flat. Built on events rather than the stream's async iterator, which
 * may drop records parsed just before an error; the report must say exactly which rows were sent.
 */
class RecordQueue {
  private items: CsvRecord[] = [];
  private ended = false;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly parser: Parser,
    private readonly readAhead: number,
  ) {
    parser.on('data', (r: { record: string[]; info: { bytes: number } }) => {
      this.items.push({ cells: r.record, bytes: r.info.bytes });
      if (this.items.length >= this.readAhead) parser.pause();
      this.notify();
    });
    parser.on('error', (error: unknown) => {
      this.failure = { error };
      this.notify();
    });
    parser.on('end', () => {
      this.ended = true;
      this.notify();
    });
  }

  /** Up to `n` records; fewer only at the end of the file or where it stopped being valid CSV (`error`). */
  async take(n: number): Promise<{ records: CsvRecord[]; error?: unknown }> {
    while (this.items.length < n && !this.ended && !this.failure) await this.waitForMore();
    const records = this.items.splice(0, n);
    if (this.parser.isPaused()) this.parser.resume();
    const error = this.items.length === 0 ? this.failure?.error : undefined;
    return error === undefined ? { records } : { records, error };
  }

  /** True when nothing follows what was taken: the file ended (or broke off) right there. */
  async exhausted(): Promise<boolean> {
    while (this.items.length === 0 && !this.ended && !this.failure) await this.waitForMore();
    return this.items.length === 0;
  }

  private waitForMore(): Promise<void> {
    if (this.parser.isPaused()) this.parser.resume();
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    this.wake?.();
    this.wake = undefined;
  }
}

/**
 * One CSV line that the server's parser reads back as exactly `cells`: quoted when a cell holds a comma, quote
 * or line break (quotes doubled), and a lone empty cell quoted so the line is not skipped as empty.
 */
export function csvLine(cells: readonly string[]): string {
  if (cells.length === 1 && cells[0] === '') return '""';
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

/** The rule name the server uses for the same CSV problem (e.g. `csv_quote_not_closed`). */
function csvRule(error: CsvError): string {
  return `csv_${error.code.toLowerCase().replace(/^csv_/, '')}`;
}

function baseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliInputError('--url', `"${value}" is not a URL (e.g. ${DEFAULT_API_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliInputError('--url', `must start with http:// or https:// (got "${value}")`);
  }
  // A trailing slash keeps a path prefix (https://example.com/liftlab/) when the route is resolved against it.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

function chunkRowsArg(value: string): number {
  const rows = countArg(value);
  if (rows > MAX_CHUNK_ROWS) throw new InvalidArgumentError(`must be at most ${MAX_CHUNK_ROWS}.`);
  return rows;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The server's RFC 7807 problem as one readable line: `400 Validation failed: <detail> [<field>: <rule>; …]`,
 * with the error id of a server error so it can be found in the server's log.
 */
function describeProblem(status: number, statusText: string, body: string): string {
  let problem: unknown;
  try {
    problem = JSON.parse(body);
  } catch {
    problem = undefined;
  }
  if (!isRecord(problem)) {
    const text = body.trim().slice(0, 200);
    return `${status} ${statusText}`.trim() + (text ? `: ${text}` : '');
  }
  const title = typeof problem.title === 'string' && problem.title !== '' ? problem.title : statusText;
  let line = `${status} ${title}`.trim();
  if (typeof problem.detail === 'string' && problem.detail !== '' && problem.detail !== title) {
    line += `: ${problem.detail}`;
  }
  if (Array.isArray(problem.errors)) {
    const fields = problem.errors
      .filter(isRecord)
      .map((e) => `${String(e.path)}: ${String(e.rule)}`)
      .join('; ');
    if (fields) line += ` [${fields}]`;
  }
  if (typeof problem.errorId === 'string') line += ` (error id ${problem.errorId} in the server log)`;
  return line;
}

function toServerJob(body: unknown): ServerImportJob | undefined {
  if (!isRecord(body)) return undefined;
  const { id, status, total, accepted, rejected, errors } = body;
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (typeof id !== 'string' || typeof status !== 'string') return undefined;
  if (!count(total) || !count(accepted) || !count(rejected) || !Array.isArray(errors)) return undefined;
  const rowErrors = errors.filter(
    (e): e is ImportRowError =>
      isRecord(e) && count(e.row) && typeof e.field === 'string' && typeof e.rule === 'string',
  );
  return { id, status, total, accepted, rejected, errors: rowErrors };
}

interface ChunkRequest {
  endpoint: URL;
  key: string;
  body: string;
  fileName: string;
}

async function postChunk(request: ChunkRequest): Promise<ServerImportJob> {
  const url = new URL(request.endpoint);
  url.searchParams.set('fileName', request.fileName);
  const where = `POST ${url.pathname}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${request.key}`,
        'content-type': 'text/csv; charset=utf-8',
        accept: 'application/json',
      },
      body: request.body,
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const reason =
      cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
    throw new Error(`cannot reach ${url.origin}: ${reason}`);
  }
  const text = await res.text();
  if (!res.ok) {
    const message = describeProblem(res.status, res.statusText, text);
    // 4xx: the key, the file or the flags are at fault (exit 2); anything else is the server's (exit 1).
    if (res.status >= 400 && res.status < 500) throw new CliInputError(where, message);
    throw new Error(`${where}: ${message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const job = toServerJob(body);
  if (!job) throw new Error(`${where}: unexpected answer from the server: ${text.slice(0, 200)}`);
  return job;
}

/** `orders.csv`, or `orders.csv (rows 10001-20000)` when the file goes in several requests. */
function chunkFileName(name: string, firstRow: number, lastRow: number, whole: boolean): string {
  const suffix = whole ? '' : ` (rows ${firstRow}-${lastRow})`;
  return name.slice(0, MAX_FILE_NAME - suffix.length) + suffix;
}

function progressBar(io: CliIO, enabled: boolean, size: number | undefined, label: string) {
  if (!enabled || io.stderr.isTTY !== true || size === undefined || size <= 0) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format:
        'importing {file} [{bar}] {percentage}% | {rows} rows | {rejected} rejected | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(size, 0, { file: label, rows: 0, rejected: 0 });
  return bar;
}

/**
 * Streams a CSV file to POST /v1/imports/{kind}, `chunkRows` data rows per request (each with the header line),
 * and adds the server's reports up, with row numbers counted across the whole file. Rows are parsed with the
 * server's own CSV rules, so they are numbered the same way and re-sent exactly as read.
 */
export async function importCsv(
  kind: ImportKind,
  file: string,
  flags: ImportFlags,
  io: CliIO,
): Promise<ImportReport> {
  const base = baseUrl(flags.url);
  const key = flags.key?.trim();
  if (!key)
    throw new CliInputError(
      '--key',
      'is required (or set LIFTLAB_API_KEY): an API key with the ingest scope',
    );
  const endpoint = new URL(`v1/imports/${kind}`, base);
  for (const [flag, param, value] of [
    ['--experiment', 'experimentKey', flags.experiment],
    ['--outcome-event', 'outcomeEvent', flags.outcomeEvent],
  ] as const) {
    if (value === undefined) continue;
    if (kind !== 'experiment') throw new CliInputError(flag, 'applies only to experiment imports');
    if (value.trim() === '') throw new CliInputError(flag, 'must not be empty');
    endpoint.searchParams.set(param, value.trim());
  }
  if (file === '-' && io.stdin.isTTY) {
    throw new CliInputError('file', 'give a CSV file, or "-" with the rows piped to standard input');
  }
  const label = file === '-' ? 'stdin' : file;
  const name = file === '-' ? 'stdin.csv' : basename(file);

  const { stream, size } = await openInput(file, io, 'file');
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  // pipeline() also ends the parser with an error when the file cannot be read to the end.
  pipeline(stream, parser, () => undefined);
  const queue = new RecordQueue(parser, flags.chunkRows);

  const report: ImportReport = {
    file: label,
    kind,
    status: 'completed',
    total: 0,
    accepted: 0,
    rejected: 0,
    errors: [],
    imports: [],
  };
  const bar = progressBar(io, flags.progress, size, label);
  try {
    const first = await queue.take(1);
    const header = first.records[0];
    if (!header) {
      if (first.error instanceof CsvError) {
        throw new CliInputError(label, `is not valid CSV (${first.error.message})`);
      }
      if (first.error !== undefined) throw first.error;
      throw new CliInputError(label, 'is empty: the first line must name the columns');
    }
    const headerLine = csvLine(header.cells);

    let sent = 0;
    for (;;) {
      const { records, error } = await queue.take(flags.chunkRows);
      // A header-only file still goes once, so the server checks the columns.
      if (records.length > 0 || report.imports.length === 0) {
        const whole = report.imports.length === 0 && error === undefined && (await queue.exhausted());
        const lines = [headerLine, ...records.map((r) => csvLine(r.cells))];
        const job = await postChunk({
          endpoint,
          key,
          body: `${lines.join('\n')}\n`,
          fileName: chunkFileName(name, sent + 1, sent + records.length, whole),
        });
        report.imports.push({ id: job.id, firstRow: sent + 1, lastRow: sent + records.length });
        report.total += job.total;
        report.accepted += job.accepted;
        report.rejected += job.rejected;
        for (const e of job.errors) {
          if (report.errors.length >= MAX_REPORTED_ERRORS) break;
          report.errors.push({ row: e.row === 0 ? 0 : e.row + sent, field: e.field, rule: e.rule });
        }
        sent += records.length;
        bar?.update(records.at(-1)?.bytes ?? header.bytes, { rows: sent, rejected: report.rejected });
        if (job.status !== 'completed') {
          report.status = 'failed';
          break;
        }
      }
      if (error !== undefined) {
        if (!(error instanceof CsvError)) throw error;
        // The rows before the break are stored; say where the file stopped being CSV, as the server would.
        report.status = 'failed';
        bar?.stop();
        if (report.errors.length < MAX_REPORTED_ERRORS) {
          report.errors.push({ row: sent + 1, field: '(file)', rule: csvRule(error) });
        }
        warn(io, `${label} is not valid CSV from data row ${sent + 1} on (${error.message})`);
        break;
      }
      if (records.length < flags.chunkRows) break;
    }
    if (report.status === 'completed') bar?.update(size ?? 0);
  } catch (error) {
    // Rows already sent stay stored: print what they were before the error, so nothing is sent twice blindly.
    if (report.imports.length > 0) {
      report.status = 'failed';
      bar?.stop();
      writeJson(io, report);
      const last = report.imports.at(-1)?.lastRow ?? 0;
      warn(io, `rows 1-${last} were sent before the import stopped (see the report)`);
    }
    throw error;
  } finally {
    bar?.stop();
    parser.destroy();
    stream.destroy();
  }
  return report;
}

export function importCommand(io: CliIO): Command {
  return new Command('import')
    .summary('send customers, orders or an experiment run elsewhere to a Liftlab server (CSV)')
    .description(
      'Import a CSV file into a Liftlab server: customers, orders, or the assignments of an\n' +
        'experiment run in another tool. The file is streamed in requests of --chunk-rows rows;\n' +
        'rejected rows are reported by row number, column and rule. Prints the import report\n' +
        'as JSON; see docs/cli.md.',
    )
    .addArgument(new Argument('<kind>', 'what the file holds').choices(IMPORT_KINDS))
    .argument('<file>', 'CSV file with a header line, or "-" for standard input')
    .addOption(new Option('--url <url>', 'base URL of the Liftlab API').default(DEFAULT_API_URL))
    .addOption(new Option('--key <key>', 'API key with the ingest scope').env('LIFTLAB_API_KEY'))
    .addOption(
      new Option('--chunk-rows <rows>', 'data rows per request')
        .argParser(chunkRowsArg)
        .default(DEFAULT_CHUNK_ROWS),
    )
    .option(
      '--experiment <key>',
      'experiment imports: the experiment, for a file without an experimentKey column',
    )
    .option(
      '--outcome-event <name>',
      'experiment imports: event name an outcome column is stored as (default: outcome)',
    )
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (kind: ImportKind, file: string, flags: ImportFlags) => {
      const report = await importCsv(kind, file, flags, io);
      writeJson(io, report);
      if (report.rejected > 0) {
        const first = report.errors.find((e) => e.field !== '(file)');
        warn(
          io,
          `${report.rejected} of ${report.total} rows were rejected` +
            (first ? ` (first: row ${first.row}, ${first.field}: ${first.rule})` : '') +
            '; see errors',
        );
      }
      if (report.status === 'failed') {
        throw new CliInputError(report.file, 'the import stopped part-way; see the report');
      }
    });
}
