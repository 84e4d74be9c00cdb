import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, queryKeys, type TransitionBody } from '../api/endpoints';
import { ApiError } from '../api/client';
import type { Experiment, ExperimentExposures } from '../api/types';
import { useSession } from '../auth/session';
import { Field } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { StatusBadge } from '../components/StatusBadge';
import {
  ACTION_CONFIRM,
  ACTION_LABEL,
  availableActions,
  canEdit,
  type TransitionAction,
} from '../experiments/status';
import { armColour, exposureRows, srmExplanation, type ExposureRow } from '../experiments/exposure';
import { fractionToPercent, OPERATOR_LABEL, toRampRequest, type FormErrors } from '../experiments/form';
import { formatDateTime, formatInt, formatPercent, pStatement } from '../lib/format';

/** Live counts refresh this often while the experiment runs. */
export const EXPOSURE_POLL_MS = 3000;

export function ExperimentDetailPage() {
  const { id = '' } = useParams();
  const experiment = useQuery({ queryKey: queryKeys.experiment(id), queryFn: () => api.getExperiment(id) });
  if (experiment.isPending) return <p role="status">Loading experiment…</p>;
  if (experiment.error) return <ErrorNotice error={experiment.error} />;
  return <ExperimentDetail experiment={experiment.data} />;
}

function ExperimentDetail({ experiment }: { experiment: Experiment }) {
  const session = useSession();
  const [pending, setPending] = useState<TransitionAction | null>(null);
  const actions = availableActions(experiment.status, session.role);
  const exposures = useQuery({
    queryKey: queryKeys.exposures(experiment.id),
    queryFn: () => api.exposures(experiment.id),
    refetchInterval: experiment.status === 'running' ? EXPOSURE_POLL_MS : false,
    refetchIntervalInBackground: false,
    enabled: experiment.status !== 'draft',
  });
  const variants = [...experiment.variants].sort((a, b) => a.position - b.position);

  return (
    <section className="page" aria-labelledby="experiment-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">{experiment.kind === 'holdout' ? 'Holdout test' : 'A/B test'}</p>
          <h1 id="experiment-title">{experiment.name}</h1>
          <p className="muted mono">{experiment.key}</p>
        </div>
        <div className="page__actions">
          <StatusBadge status={experiment.status} />
          {experiment.status !== 'draft' && session.can('results.read') ? (
            <Link className="button" to={`/experiments/${experiment.id}/results`}>
              Results
            </Link>
          ) : null}
          {canEdit(experiment.status, session.role) ? (
            <Link className="button" to={`/experiments/${experiment.id}/edit`}>
              Edit
            </Link>
          ) : null}
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={`button${action === 'start' ? ' button--primary' : ''}${action === 'stop' ? ' button--danger' : ''}`}
              aria-expanded={pending === action}
              onClick={() => setPending(pending === action ? null : action)}
            >
              {ACTION_LABEL[action]}
            </button>
          ))}
        </div>
      </div>

      {pending ? (
        <TransitionPanel experiment={experiment} action={pending} onDone={() => setPending(null)} />
      ) : null}

      {experiment.status === 'draft' ? (
        <Notice tone="info" title="Not started yet.">
          <p>Exposure counts appear here once the experiment runs and events arrive.</p>
        </Notice>
      ) : (
        <ExposurePanel
          report={exposures.data}
          error={exposures.error}
          loading={exposures.isPending}
          updatedAt={exposures.dataUpdatedAt}
          live={experiment.status === 'running'}
          variants={variants}
        />
      )}

      <div className="grid-2">
        <section className="card" aria-labelledby="design-title">
          <h2 id="design-title">Design</h2>
          <dl className="facts">
            <dt>Hypothesis</dt>
            <dd>{experiment.hypothesis || <span className="muted">None written.</span>}</dd>
            <dt>Arms</dt>
            <dd>
              <ul className="plain">
                {variants.map((v) => (
                  <li key={v.key}>
                    {v.name} <span className="muted mono">{v.key}</span> — {formatPercent(v.weight)}
                    {v.isControl ? ' (control)' : ''}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>Coverage</dt>
            <dd>{formatPercent(experiment.coverage)}</dd>
            <dt>Namespace</dt>
            <dd>
              {experiment.namespace
                ? `${experiment.namespace.key} [${formatPercent(experiment.namespace.start)}, ${formatPercent(experiment.namespace.end)})`
                : 'None'}
            </dd>
            <dt>Targeting</dt>
            <dd>
              {experiment.targeting.length === 0 ? (
                'Every customer'
              ) : (
                <ul className="plain">
                  {experiment.targeting.map((r, i) => (
                    <li key={i}>
                      {r.type === 'segment'
                        ? `segment ${OPERATOR_LABEL[r.operator]} ${r.segments.join(', ')}`
                        : `${r.attribute} ${OPERATOR_LABEL[r.operator]} ${
                            Array.isArray(r.value) ? r.value.join(', ') : (r.value ?? '')
                          }`}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="analysis-title">
          <h2 id="analysis-title">Analysis</h2>
          <dl className="facts">
            <dt>Metrics</dt>
            <dd>
              {experiment.metrics.length === 0 ? (
                <span className="muted">None</span>
              ) : (
                <ul className="plain">
                  {experiment.metrics.map((m) => (
                    <li key={m.metricId}>
                      <span className="mono">{m.metricKey}</span> ({m.role})
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Engine</dt>
            <dd>{experiment.engine}</dd>
            <dt>Started</dt>
            <dd>{formatDateTime(experiment.startedAt)}</dd>
            <dt>Stopped</dt>
            <dd>{formatDateTime(experiment.stoppedAt)}</dd>
            <dt>Concluded</dt>
            <dd>{formatDateTime(experiment.concludedAt)}</dd>
          </dl>
        </section>
      </div>
    </section>
  );
}

function ExposurePanel({
  report,
  error,
  loading,
  updatedAt,
  live,
  variants,
}: {
  report: ExperimentExposures | undefined;
  error: unknown;
  loading: boolean;
  updatedAt: number;
  live: boolean;
  variants: Experiment['variants'];
}) {
  const rows = report ? exposureRows(report, variants) : [];
  return (
    <section className="card" aria-labelledby="exposure-title" data-testid="exposures">
      <div className="card__header">
        <h2 id="exposure-title">Exposures</h2>
        <p className="muted" aria-live="off">
          {live ? <span className="live-dot" aria-hidden="true" /> : null}
          {live ? 'Live, refreshed every few seconds' : 'Final counts'}
          {updatedAt ? ` · updated ${new Date(updatedAt).toLocaleTimeString('en-GB')}` : ''}
        </p>
      </div>
      <ErrorNotice error={error} />
      {loading ? <p role="status">Loading exposure counts…</p> : null}
      {report?.srm?.flagged ? (
        <Notice tone="warning" title="Sample ratio mismatch">
          <p data-testid="srm-warning">
            {srmExplanation(rows)} (χ² = {report.srm.chiSquare.toFixed(1)}, {pStatement(report.srm.pValue)};
            flagged below {report.srm.threshold})
          </p>
        </Notice>
      ) : null}
      {report ? (
        <>
          <dl className="stats">
            <div>
              <dt>Exposed customers</dt>
              <dd data-testid="total-exposed">{formatInt(report.totalExposedCustomers)}</dd>
            </div>
            <div>
              <dt>Exposure events</dt>
              <dd>{formatInt(report.totalExposures)}</dd>
            </div>
            <div>
              <dt>Split check</dt>
              <dd>
                {report.srm === null
                  ? 'Waiting for data'
                  : report.srm.flagged
                    ? 'Mismatch'
                    : `OK (${pStatement(report.srm.pValue)})`}
              </dd>
            </div>
          </dl>
          <ExposureTable rows={rows} />
          {report.totalExposedCustomers > 0 ? <ExposureChart rows={rows} /> : null}
        </>
      ) : null}
    </section>
  );
}

function ExposureTable({ rows }: { rows: ExposureRow[] }) {
  return (
    <table className="table" data-testid="exposure-table">
      <caption className="visually-hidden">Exposures per variant</caption>
      <thead>
        <tr>
          <th scope="col">Arm</th>
          <th scope="col" className="num">
            Planned
          </th>
          <th scope="col" className="num">
            Assigned
          </th>
          <th scope="col" className="num">
            Exposed customers
          </th>
          <th scope="col" className="num">
            Observed share
          </th>
          <th scope="col" className="num">
            Exposure events
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={r.key} data-variant={r.key}>
            <th scope="row">
              <span className="swatch" style={{ background: armColour(i) }} aria-hidden="true" />
              {r.name}
              {r.isControl ? <span className="muted"> (control)</span> : null}
            </th>
            <td className="num">{formatPercent(r.plannedShare)}</td>
            <td className="num">{formatInt(r.assigned)}</td>
            <td className="num" data-testid={`exposed-${r.key}`}>
              {formatInt(r.exposedCustomers)}
            </td>
            <td className="num">{formatPercent(r.observedShare)}</td>
            <td className="num">{formatInt(r.exposures)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExposureChart({ rows }: { rows: ExposureRow[] }) {
  const data = rows.map((r) => ({
    name: r.name,
    Observed: r.exposedCustomers,
    Expected: Math.round(r.expectedCustomers),
  }));
  return (
    <figure className="chart" aria-label="Exposed customers per arm compared with the planned split">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#d0d4da" vertical={false} />
          <XAxis dataKey="name" tick={{ fill: '#1f2933' }} />
          <YAxis allowDecimals={false} tick={{ fill: '#1f2933' }} />
          <Tooltip />
          <Bar dataKey="Observed" isAnimationActive={false}>
            {rows.map((r, i) => (
              <Cell key={r.key} fill={armColour(i)} />
            ))}
          </Bar>
          <Bar
            dataKey="Expected"
            fill="#ffffff"
            stroke="#555"
            strokeDasharray="4 2"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted">
        Filled bars: exposed customers. Dashed bars: what the planned split predicts for the same total.
      </figcaption>
    </figure>
  );
}

function TransitionPanel({
  experiment,
  action,
  onDone,
}: {
  experiment: Experiment;
  action: TransitionAction;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [coverage, setCoverage] = useState(fractionToPercent(experiment.coverage));
  const [weights, setWeights] = useState<Record<string, string>>(() =>
    Object.fromEntries(experiment.variants.map((v) => [v.key, fractionToPercent(v.weight)])),
  );
  const [reason, setReason] = useState('');
  const [decision, setDecision] = useState<'ship' | 'rollback' | 'inconclusive'>('inconclusive');
  const [winner, setWinner] = useState(experiment.variants.find((v) => !v.isControl)?.key ?? '');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});

  const mutation = useMutation({
    mutationFn: (body: TransitionBody[typeof action]) => api.transition(experiment.id, action, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.experiment(experiment.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.experiments });
      onDone();
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(error.fieldErrorMap());
    },
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    if (action === 'ramp') {
      const mapped = toRampRequest(experiment, coverage, weights);
      if (!mapped.ok) {
        setErrors(mapped.errors);
        return;
      }
      mutation.mutate(mapped.request);
    } else if (action === 'stop') {
      mutation.mutate(reason.trim() ? { reason: reason.trim() } : {});
    } else if (action === 'conclude') {
      mutation.mutate({
        decision,
        ...(decision === 'ship' ? { winnerVariantKey: winner } : {}),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      });
    } else {
      mutation.mutate({});
    }
  }

  return (
    <form className="card confirm" onSubmit={onSubmit} aria-labelledby="confirm-title" noValidate>
      <h2 id="confirm-title">{ACTION_LABEL[action]} experiment</h2>
      <p>{ACTION_CONFIRM[action]}</p>
      <ErrorNotice error={mutation.error} shownFields={Object.keys(errors)} />
      {action === 'ramp' ? (
        <div className="field-row">
          <Field id="ramp-coverage" label="Coverage (%)" error={errors.coverage}>
            {(p) => (
              <input
                {...p}
                inputMode="decimal"
                value={coverage}
                onChange={(e) => setCoverage(e.target.value)}
              />
            )}
          </Field>
          {experiment.variants.map((v) => (
            <Field
              key={v.key}
              id={`ramp-weight-${v.key}`}
              label={`${v.name} weight (%)`}
              error={
                errors[`weights.${v.key}`] ?? (errors.weights && v.isControl ? errors.weights : undefined)
              }
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={weights[v.key] ?? ''}
                  onChange={(e) => setWeights((w) => ({ ...w, [v.key]: e.target.value }))}
                />
              )}
            </Field>
          ))}
        </div>
      ) : null}
      {action === 'stop' ? (
        <Field id="stop-reason" label="Reason (optional)" error={errors.reason}>
          {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      ) : null}
      {action === 'conclude' ? (
        <>
          <div className="field-row">
            <Field id="conclude-decision" label="Decision" error={errors.decision}>
              {(p) => (
                <select
                  {...p}
                  value={decision}
                  onChange={(e) => setDecision(e.target.value as typeof decision)}
                >
                  <option value="ship">Ship a variant</option>
                  <option value="rollback">Roll back</option>
                  <option value="inconclusive">Inconclusive</option>
                </select>
              )}
            </Field>
            {decision === 'ship' ? (
              <Field id="conclude-winner" label="Winning variant" error={errors.winnerVariantKey}>
                {(p) => (
                  <select {...p} value={winner} onChange={(e) => setWinner(e.target.value)}>
                    {experiment.variants.map((v) => (
                      <option key={v.key} value={v.key}>
                        {v.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
          </div>
          <Field id="conclude-notes" label="Notes" error={errors.notes}>
            {(p) => <textarea {...p} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />}
          </Field>
        </>
      ) : null}
      <div className="actions">
        <button
          type="submit"
          className={`button ${action === 'stop' ? 'button--danger' : 'button--primary'}`}
          disabled={mutation.isPending}
        >
          {mutation.isPending ? 'Working…' : `Confirm ${ACTION_LABEL[action].toLowerCase()}`}
        </button>
        <button type="button" className="button button--quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
