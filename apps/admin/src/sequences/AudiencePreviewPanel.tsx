import type { AudiencePreview } from '@liftlab/contracts';
import { ErrorNotice } from '../components/Notice';
import { formatAmount, formatDateTime, formatInt } from '../lib/format';
import { exclusionRows, totalExcluded } from './preview';

/** Live counts of the audience as a run would see it now: matched, excluded by reason, enrolled, holdout. */
export function AudiencePreviewPanel({
  preview,
  loading,
  stale,
  error,
  blocked,
  onPickCustomer,
}: {
  preview: AudiencePreview | undefined;
  loading: boolean;
  stale: boolean;
  error: unknown;
  /** The rules have an error; the counts wait for a valid audience. */
  blocked: boolean;
  onPickCustomer?: (externalId: string) => void;
}) {
  return (
    <section
      className="card"
      aria-labelledby="audience-preview-title"
      aria-live="polite"
      data-testid="audience-preview"
    >
      <h2 id="audience-preview-title">
        Audience now {loading ? <span className="muted">(counting…)</span> : null}
      </h2>
      {blocked ? <p className="muted">Fix the audience rules to see the counts.</p> : null}
      <ErrorNotice error={error} />
      {preview ? (
        <div className={stale || blocked ? 'is-stale' : undefined}>
          <dl className="audience-counts">
            <dt>Match the rules</dt>
            <dd data-testid="audience-matched">{formatInt(preview.matched)}</dd>
            {exclusionRows(preview).map((row) => (
              <FragmentRow
                key={row.reason}
                label={`− ${row.label}`}
                value={row.count}
                testId={`excluded-${row.reason}`}
              />
            ))}
            <dt className="total">Eligible</dt>
            <dd className="total" data-testid="audience-eligible">
              {formatInt(preview.eligible)}
            </dd>
            <dt>Would enroll now{preview.wouldEnroll < preview.eligible ? ' (after the cap)' : ''}</dt>
            <dd data-testid="audience-would-enroll">{formatInt(preview.wouldEnroll)}</dd>
            <dt className="indent">Treated (contacted)</dt>
            <dd data-testid="audience-treated">{formatInt(preview.expectedTreated)}</dd>
            <dt className="indent">Holdout (never contacted)</dt>
            <dd data-testid="audience-holdout">{formatInt(preview.expectedHoldout)}</dd>
          </dl>
          <p className="muted">
            {formatInt(totalExcluded(preview))} excluded; each customer is counted once, under the first
            reason that applies. As of {formatDateTime(preview.asOf)}.
          </p>
          {preview.sample.length > 0 ? (
            <details>
              <summary>Highest prior spenders first ({preview.sample.length})</summary>
              <table className="table table--compact">
                <thead>
                  <tr>
                    <th scope="col">Customer</th>
                    <th scope="col">Spend</th>
                    <th scope="col">Days inactive</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.sample.map((c) => (
                    <tr key={c.customerId}>
                      <td>
                        {onPickCustomer ? (
                          <button
                            type="button"
                            className="button button--quiet button--small mono"
                            title="Preview the touches on this customer"
                            onClick={() => onPickCustomer(c.externalId)}
                          >
                            {c.externalId}
                          </button>
                        ) : (
                          <span className="mono">{c.externalId}</span>
                        )}
                      </td>
                      <td>{formatAmount(c.priorSpend)}</td>
                      <td>{formatInt(c.daysInactive)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function FragmentRow({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <>
      <dt className="indent">{label}</dt>
      <dd className="indent" data-testid={testId}>
        {formatInt(value)}
      </dd>
    </>
  );
}
