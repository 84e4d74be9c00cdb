import { ruleMessage } from '../api/rules';
import type { ImportJob } from '../api/types';

/** An import is over once it is no longer running (completed or failed). */
export function isFinished(job: Pick<ImportJob, 'status'>): boolean {
  return job.status !== 'running';
}

export interface ImportErrorRow {
  /** Data row number as a spreadsheet shows it below the header (1 = first data row). */
  row: number;
  field: string;
  message: string;
}

/** Rejected rows as the report table shows them: the rule code in words. */
export function importErrorRows(job: Pick<ImportJob, 'errors'>): ImportErrorRow[] {
  return job.errors.map((e) => ({ row: e.row, field: e.field, message: ruleMessage(e.rule) }));
}
