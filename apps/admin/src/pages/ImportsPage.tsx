import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, queryKeys } from '../api/endpoints';
import type { ImportJob, ImportKind } from '../api/types';
import { Field } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { formatInt } from '../lib/format';
import { importErrorRows, isFinished } from '../lib/imports';

const KINDS: Array<{ kind: ImportKind; label: string; columns: string; note: string }> = [
  {
    kind: 'customers',
    label: 'Customers',
    columns:
      'externalId (required), segment, acquisitionDate (YYYY-MM-DD), acquisitionChannel, plan, country, timezone, trait.<name>',
    note: 'Customers are matched by externalId; empty cells leave the stored value unchanged.',
  },
  {
    kind: 'orders',
    label: 'Orders',
    columns:
      'orderId, customerId, amount, currency, occurredAt (all required), revenueStream, experimentKey + variantKey',
    note: 'orderId makes re-importing the same file harmless.',
  },
  {
    kind: 'experiment',
    label: 'Experiment assignments',
    columns: 'customerId, experimentKey, variantKey (required), assignedAt',
    note: 'For holdout lists kept in another tool; a customer already in another variant is rejected.',
  },
];

export function ImportsPage() {
  const [kind, setKind] = useState<ImportKind>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const upload = useMutation({ mutationFn: (f: File) => api.uploadImport(kind, f) });
  const started = upload.data;
  const job = useQuery({
    queryKey: queryKeys.import(started?.id ?? ''),
    queryFn: () => api.getImport(started?.id ?? ''),
    enabled: Boolean(started && !isFinished(started)),
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data) ? false : 1000),
  });
  const report: ImportJob | undefined = job.data ?? started;
  const selected = KINDS.find((k) => k.kind === kind);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setFileError('required');
      return;
    }
    if (!/\.csv$/i.test(file.name) && file.type !== 'text/csv') {
      setFileError('csv_file');
      return;
    }
    setFileError(undefined);
    upload.mutate(file);
  }

  return (
    <section className="page" aria-labelledby="imports-title">
      <h1 id="imports-title">Imports</h1>
      <form className="card stack" onSubmit={onSubmit} noValidate>
        <Field id="import-kind" label="What are you importing?">
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <p className="muted">
          CSV with a header line, comma separated, UTF-8. Columns: <code>{selected?.columns}</code>.{' '}
          {selected?.note} Column names ignore case, spaces, “-” and “_”.
        </p>
        <Field id="import-file" label="CSV file" error={fileError}>
          {(p) => (
            <input
              {...p}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={upload.isPending}>
            {upload.isPending ? 'Uploading…' : 'Upload'}
          </button>
        </div>
      </form>
      <ErrorNotice error={upload.error ?? job.error} />
      {report ? <ImportResult report={report} /> : null}
    </section>
  );
}

function ImportResult({ report }: { report: ImportJob }) {
  const rows = importErrorRows(report);
  const finished = isFinished(report);
  return (
    <section className="card" aria-labelledby="import-result-title" aria-live="polite">
      <h2 id="import-result-title">Result</h2>
      {!finished ? <p role="status">Importing… ({report.status})</p> : null}
      {report.status === 'failed' ? (
        <Notice tone="error" title="The import stopped before the end of the file." />
      ) : null}
      {report.status === 'completed' && report.rejected === 0 ? (
        <Notice tone="success" title="Every row was accepted." />
      ) : null}
      {finished && report.rejected > 0 ? (
        <Notice
          tone="warning"
          title={`${formatInt(report.rejected)} ${report.rejected === 1 ? 'row was' : 'rows were'} rejected.`}
        >
          <p>Correct the rejected rows in the file and upload it again; accepted rows are not duplicated.</p>
        </Notice>
      ) : null}
      <dl className="stats">
        <div>
          <dt>Rows</dt>
          <dd data-testid="import-total">{formatInt(report.total)}</dd>
        </div>
        <div>
          <dt>Accepted</dt>
          <dd data-testid="import-accepted">{formatInt(report.accepted)}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd data-testid="import-rejected">{formatInt(report.rejected)}</dd>
        </div>
      </dl>
      {rows.length > 0 ? (
        <table className="table table--compact" data-testid="import-errors">
          <caption>Rejected rows{rows.length < report.rejected ? ` (first ${rows.length})` : ''}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Field</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td className="num">{r.row}</td>
                <td className="mono">{r.field || '—'}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
