import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_OUTCOME_EVENT,
  ExperimentImportRowSchema,
  MAX_IMPORT_ERRORS,
  MAX_IMPORT_ROWS,
  type ImportJob,
  type ImportKind,
  type ImportRowError,
  type RowError,
} from '@liftlab/contracts';
import { CsvError, parse, type Parser } from 'csv-parse';
import { pipeline, type Readable } from 'node:stream';
import type { Actor } from '../auth/actor';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { prepareCustomers } from '../customers/customer-rows';
import { CustomersRepository } from '../customers/customers.repository';
import { MAX_FUTURE_SKEW_MS, prepareEvents, experimentKeysOf, type EventRow } from '../events/event-rows';
import { EventsRepository } from '../events/events.repository';
import { validateRows } from '../events/row-validation';
import { columnOf, readHeader, rowToEntry, type Header } from './csv-rows';
import {
  assignmentKey,
  ImportsRepository,
  type AssignmentImportRow,
  type ImportJobRecord,
} from './imports.repository';

/** Rows stored per database round trip. */
const BATCH_ROWS = 2_000;

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

interface BatchResult {
  accepted: number;
  errors: RowError[];
}

export interface ImportOptions {
  fileName?: string;
  /** experiment: the key of every row when the file has no experimentKey column. */
  experimentKey?: string;
  /** experiment: the event name the `outcome` column is stored under. */
  outcomeEvent?: string;
}

@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly customers: CustomersRepository,
    private readonly events: EventsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Reads a CSV stream row by row and stores it in batches, so memory stays flat whatever the file size.
   * A bad header is refused before anything is stored (400); bad rows are reported in the job; a file that
   * stops being valid CSV half-way ends the job as failed, keeping what was stored before.
   */
  async run(
    actor: Actor,
    kind: ImportKind,
    body: Readable,
    contentType: string | undefined,
    options: ImportOptions = {},
  ): Promise<ImportJob> {
    const { fileName, experimentKey } = options;
    const outcomeEvent = options.outcomeEvent ?? DEFAULT_OUTCOME_EVENT;
    const type = contentType?.split(';')[0]?.trim().toLowerCase();
    if (!type || !CSV_TYPES.includes(type)) {
      body.resume();
      throw DomainError.invalid(
        '(body)',
        'content_type_csv',
        'Send the file as the request body with Content-Type: text/csv.',
      );
    }
    const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
    // pipeline() also ends the parser with an error when the upload breaks off.
    pipeline(body, parser, () => undefined);
    const rows = recordsInOrder(parser);

    let header: Header;
    try {
      const first = await rows.next();
      if (first.done) throw DomainError.invalid('(file)', 'empty_file', 'The file has no header line.');
      const read = readHeader(kind, first.value);
      if (kind === 'experiment' && experimentKey !== undefined) {
        // The query names the experiment; a column naming it as well would leave two answers.
        const column = read.errors.findIndex(
          (e) => e.field === 'experimentKey' && e.rule === 'required_column',
        );
        if (column >= 0) read.errors.splice(column, 1);
        else read.errors.push({ row: 0, field: 'experimentKey', rule: 'not_with_query_experiment_key' });
      }
      if (read.errors.length > 0) {
        throw DomainError.validation(
          read.errors.map((e) => ({ path: `(file).${e.field}`, rule: e.rule })),
          'The header line does not match the import.',
        );
      }
      header = read.header;
    } catch (e) {
      parser.destroy();
      body.resume();
      if (e instanceof CsvError) throw DomainError.invalid('(file)', csvRule(e), e.message);
      throw e;
    }

    const job = await this.imports.createJob(actor.workspaceId, kind, fileName ?? null, this.clock.now());
    const errors: ImportRowError[] = [];
    const rejectedRows = new Set<number>();
    let total = 0;
    let accepted = 0;
    let status: 'completed' | 'failed' = 'completed';
    const record = (e: ImportRowError) => {
      // A file-level problem (not CSV any more, too long) is reported but is not a rejected data row.
      if (e.field !== '(file)') rejectedRows.add(e.row);
      if (errors.length < MAX_IMPORT_ERRORS) errors.push(e);
    };

    // Rows wait in `batch` until BATCH_ROWS are collected; row-level problems found while reading wait with them,
    // so the report lists errors in row order.
    let batch: { row: number; entry: Record<string, unknown> }[] = [];
    let batchErrors: ImportRowError[] = [];
    const flush = async () => {
      const found = [...batchErrors];
      if (batch.length > 0) {
        const result = await this.storeBatch(
          actor.workspaceId,
          kind,
          batch.map((b) => b.entry),
          outcomeEvent,
        );
        accepted += result.accepted;
        for (const e of result.errors) {
          found.push({ row: batch[e.index]?.row ?? 0, field: columnOf(kind, e.field), rule: e.rule });
        }
      }
      found.sort((a, b) => a.row - b.row).forEach(record);
      batch = [];
      batchErrors = [];
    };

    try {
      try {
        for (;;) {
          const next = await rows.next();
          if (next.done) break;
          if (total === MAX_IMPORT_ROWS) {
            batchErrors.push({ row: total + 1, field: '(file)', rule: `max_rows_${MAX_IMPORT_ROWS}` });
            status = 'failed';
            break;
          }
          total++;
          const cells = next.value;
          if (cells.length !== header.fields.length) {
            batchErrors.push({ row: total, field: '(row)', rule: 'column_count' });
            continue;
          }
          const entry = rowToEntry(kind, header, cells);
          if (kind === 'experiment' && experimentKey !== undefined) entry.experimentKey = experimentKey;
          batch.push({ row: total, entry });
          if (batch.length >= BATCH_ROWS) await flush();
        }
      } catch (e) {
        if (!(e instanceof CsvError)) throw e;
        // Not CSV any more: keep what was read before, report where it broke.
        batchErrors.push({ row: total + 1, field: '(file)', rule: csvRule(e) });
        status = 'failed';
      }
      await flush();
    } catch (e) {
      await this.imports.finishJob(
        job.id,
        { status: 'failed', total, accepted, rejected: rejectedRows.size, errors },
        this.clock.now(),
      );
      throw e;
    } finally {
      parser.destroy();
      body.resume();
    }

    const finished = await this.imports.finishJob(
      job.id,
      { status, total, accepted, rejected: rejectedRows.size, errors },
      this.clock.now(),
    );
    return toImportJob(finished);
  }

  async get(actor: Actor, id: string): Promise<ImportJob> {
    const job = await this.imports.findJob(actor.workspaceId, id);
    if (!job) throw DomainError.notFound('Import', id);
    return toImportJob(job);
  }

  private async storeBatch(
    workspaceId: string,
    kind: ImportKind,
    entries: unknown[],
    outcomeEvent: string,
  ): Promise<BatchResult> {
    const now = this.clock.now();
    if (kind === 'customers') {
      const { patches, rejected } = prepareCustomers(entries);
      await this.customers.upsert(workspaceId, patches, now);
      return { accepted: entries.length - new Set(rejected.map((r) => r.index)).size, errors: rejected };
    }
    if (kind === 'orders') {
      const experiments = await this.events.findExperiments(workspaceId, experimentKeysOf(entries));
      const { rows, repeatedInBatch, rejected } = prepareEvents(entries, experiments, now);
      await this.events.ensureCustomers(workspaceId, [...new Set(rows.map((r) => r.externalId))], now);
      await this.events.insertEvents(workspaceId, rows, now);
      return { accepted: rows.length + repeatedInBatch, errors: rejected };
    }
    return this.storeAssignments(workspaceId, entries, outcomeEvent, now);
  }

  /**
   * Assignments first, then the outcomes of the rows whose assignment stands: an outcome is only evidence for
   * the variant the customer is actually in.
   */
  private async storeAssignments(
    workspaceId: string,
    entries: unknown[],
    outcomeEvent: string,
    now: Date,
  ): Promise<BatchResult> {
    const { valid, rejected } = validateRows(entries, ExperimentImportRowSchema);
    const latest = now.getTime() + MAX_FUTURE_SKEW_MS;
    const experiments = await this.events.findExperiments(workspaceId, [
      ...new Set(valid.map((v) => v.value.experimentKey)),
    ]);
    const rows: (AssignmentImportRow & { index: number; outcome: EventRow | null })[] = [];
    for (const { index, value } of valid) {
      const experiment = experiments.get(value.experimentKey);
      const variantId = experiment?.variants.get(value.variantKey);
      // Kept as sent: an outcome at assignedAt must not fall before it by a lost microsecond.
      const assignedAt = value.assignedAt ?? now.toISOString();
      const outcomeAt = value.outcomeAt ?? assignedAt;
      if (!experiment) rejected.push({ index, field: 'experimentKey', rule: 'unknown_experiment' });
      else if (!variantId) rejected.push({ index, field: 'variantKey', rule: 'unknown_variant' });
      else if (value.outcome !== undefined && Date.parse(outcomeAt) > latest) {
        rejected.push({
          index,
          field: value.outcomeAt === undefined ? 'assignedAt' : 'outcomeAt',
          rule: 'not_in_future',
        });
      } else
        rows.push({
          index,
          externalId: value.customerId,
          experimentId: experiment.id,
          variantId,
          assignedAt,
          // 0 means "did not convert" / "spent nothing": no event, so proportion metrics do not count it.
          outcome:
            value.outcome === undefined || value.outcome === 0
              ? null
              : {
                  clientEventId: outcomeEventId(value.experimentKey, value.customerId, outcomeEvent),
                  type: 'conversion',
                  name: outcomeEvent,
                  externalId: value.customerId,
                  experimentId: experiment.id,
                  variantId,
                  occurredAt: outcomeAt,
                  value: value.outcome,
                  amount: null,
                  currency: null,
                  revenueStream: null,
                  properties: {},
                },
        });
    }
    await this.events.ensureCustomers(workspaceId, [...new Set(rows.map((r) => r.externalId))], now);
    const current = await this.imports.insertAssignments(workspaceId, rows, now);
    let accepted = 0;
    const outcomes = new Map<string, EventRow>();
    for (const r of rows) {
      if (current.get(assignmentKey(r.externalId, r.experimentId)) === r.variantId) {
        accepted++;
        // A customer listed twice keeps the first outcome, as with a clientEventId sent twice.
        if (r.outcome && !outcomes.has(r.outcome.clientEventId))
          outcomes.set(r.outcome.clientEventId, r.outcome);
      } else rejected.push({ index: r.index, field: 'variantKey', rule: 'assigned_to_other_variant' });
    }
    await this.events.insertEvents(workspaceId, [...outcomes.values()], now);
    rejected.sort((a, b) => a.index - b.index);
    return { accepted, errors: rejected };
  }
}

/**
 * The parser's records, then its error if it fails. (A stream's own async iterator may drop records that were
 * parsed just before an error; the report must say exactly which rows were read.) Pauses the parser while
 * enough records wait, so a large upload is read at the pace it is stored.
 */
function recordsInOrder(parser: Parser): AsyncIterator<string[]> {
  const queue: string[][] = [];
  let head = 0;
  let failure: { error: unknown } | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  parser.on('data', (record: string[]) => {
    queue.push(record);
    if (queue.length - head >= 2 * BATCH_ROWS) parser.pause();
    notify();
  });
  parser.on('error', (error: unknown) => {
    failure = { error };
    notify();
  });
  parser.on('end', () => {
    ended = true;
    notify();
  });
  return {
    async next(): Promise<IteratorResult<string[]>> {
      for (;;) {
        if (head < queue.length) {
          const value = queue[head++] as string[];
          if (head > BATCH_ROWS) {
            queue.splice(0, head);
            head = 0;
          }
          if (parser.isPaused() && queue.length - head < BATCH_ROWS) parser.resume();
          return { done: false, value };
        }
        if (failure) throw failure.error;
        if (ended) return { done: true, value: undefined };
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/**
 * Re-importing the same file must not add outcomes twice, so the event id is derived from what identifies the
 * outcome. JSON keeps the parts apart whatever characters customer ids and event names hold.
 */
export function outcomeEventId(experimentKey: string, customerId: string, eventName: string): string {
  return `experiment:${JSON.stringify([experimentKey, customerId, eventName])}`;
}

function csvRule(e: CsvError): string {
  return `csv_${e.code.toLowerCase().replace(/^csv_/, '')}`;
}

export function toImportJob(job: ImportJobRecord): ImportJob {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    fileName: job.fileName,
    total: job.total,
    accepted: job.accepted,
    rejected: job.rejected,
    errors: Array.isArray(job.errors) ? (job.errors as unknown as ImportRowError[]) : [],
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
