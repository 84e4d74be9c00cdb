import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { EnrollmentRun, SequenceView } from '@liftlab/contracts';
import { useSession } from '../auth/session';
import { ErrorNotice, Notice } from '../components/Notice';
import { formatDateTime, formatInt } from '../lib/format';
import { sequencesApi, sequenceKeys } from '../sequences/api';
import { SequenceStatusBadge } from '../sequences/components';
import { actionsFor, CHANNEL_LABEL, type SequenceAction } from '../sequences/form';
import { exclusionRows } from '../sequences/preview';

/** Enrollment counts move while the sequence runs (audience runs, exits); they refresh this often. */
const POLL_MS = 5000;

const ACTION_LABEL: Record<SequenceAction, string> = { launch: 'Launch', pause: 'Pause', resume: 'Resume' };

export function SequenceDetailPage() {
  const { id = '' } = useParams();
  const sequence = useQuery({
    queryKey: sequenceKeys.one(id),
    queryFn: () => sequencesApi.get(id),
    refetchInterval: (q) => (q.state.data?.status === 'running' ? POLL_MS : false),
  });
  if (sequence.isPending) return <p role="status">Loading sequence…</p>;
  if (sequence.error) return <ErrorNotice error={sequence.error} />;
  return <SequenceDetail sequence={sequence.data} />;
}

function SequenceDetail({ sequence }: { sequence: SequenceView }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const canWrite = session.can('sequences.write');
  const actions = canWrite ? actionsFor(sequence.status) : [];

  // The launch confirmation states what will happen now: the audience counts of the saved rules.
  const preview = useQuery({
    queryKey: [...sequenceKeys.one(sequence.id), 'audience-preview'],
    queryFn: () =>
      sequencesApi.audiencePreview({
        audience: sequence.audience,
        holdoutPercent: sequence.holdoutPercent,
        maxEnrollmentsPerRun: sequence.maxEnrollmentsPerRun,
      }),
    enabled: confirming,
    retry: false,
  });

  const transition = useMutation({
    mutationFn: async (
      action: SequenceAction,
    ): Promise<{ view: SequenceView; run: EnrollmentRun | null }> => {
      if (action === 'launch') {
        const launched = await sequencesApi.launch(sequence.id);
        return { view: launched.sequence, run: launched.run };
      }
      const view = await (action === 'pause'
        ? sequencesApi.pause(sequence.id)
        : sequencesApi.resume(sequence.id));
      return { view, run: null };
    },
    onSuccess: ({ view }) => {
      setConfirming(false);
      queryClient.setQueryData(sequenceKeys.one(view.id), view);
      void queryClient.invalidateQueries({ queryKey: sequenceKeys.all });
    },
  });
  const launchRun = transition.data?.run ?? null;

  const touches = [...sequence.touches].sort((a, b) => a.position - b.position);
  const e = sequence.enrollments;
  return (
    <section className="page" aria-labelledby="sequence-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">Win-back sequence</p>
          <h1 id="sequence-title">{sequence.name}</h1>
          <p className="muted mono">{sequence.key}</p>
        </div>
        <div className="page__actions">
          <SequenceStatusBadge status={sequence.status} />
          {sequence.status !== 'draft' ? (
            <Link className="button" to={`/sequences/${sequence.id}/results`}>
              Results
            </Link>
          ) : null}
          {sequence.status !== 'draft' && session.can('messages.read') ? (
            <Link className="button" to={`/outbox?sequence=${sequence.id}`}>
              Messages
            </Link>
          ) : null}
          {canWrite && sequence.status !== 'archived' ? (
            <Link className="button" to={`/sequences/${sequence.id}/edit`}>
              Edit
            </Link>
          ) : null}
          {actions.map((action) =>
            action === 'launch' ? (
              <button
                key={action}
                type="button"
                className="button button--primary"
                aria-expanded={confirming}
                onClick={() => setConfirming(!confirming)}
              >
                Launch
              </button>
            ) : (
              <button
                key={action}
                type="button"
                className="button"
                disabled={transition.isPending}
                onClick={() => transition.mutate(action)}
              >
                {ACTION_LABEL[action]}
              </button>
            ),
          )}
        </div>
      </div>

      <ErrorNotice error={transition.error} />
      {launchRun ? (
        <Notice tone="success" title="Launched.">
          <p data-testid="launch-result">
            {formatInt(launchRun.enrolled)} customers enrolled: {formatInt(launchRun.treated)} treated,{' '}
            {formatInt(launchRun.holdout)} in the holdout. Touches go out as they fall due, within quiet hours
            and the frequency cap.
          </p>
        </Notice>
      ) : null}

      {confirming ? (
        <section className="card confirm" aria-labelledby="launch-title" data-testid="launch-confirm">
          <h2 id="launch-title">Launch {sequence.name}?</h2>
          <p>
            Launching creates the holdout experiment <span className="mono">seq-{sequence.key}</span>, enrolls
            the audience now and on every later audience run, and starts sending. The holdout share (
            {sequence.holdoutPercent}%) cannot change afterwards.
          </p>
          {preview.isPending ? <p role="status">Counting the audience…</p> : null}
          <ErrorNotice error={preview.error} />
          {preview.data ? (
            <ul data-testid="launch-counts">
              <li>
                <strong>{formatInt(preview.data.wouldEnroll)}</strong> customers enrolled now:{' '}
                {formatInt(preview.data.expectedTreated)} treated, {formatInt(preview.data.expectedHoldout)}{' '}
                in the holdout.
              </li>
              <li>
                {formatInt(preview.data.matched)} match the rules;{' '}
                {exclusionRows(preview.data)
                  .filter((r) => r.count > 0)
                  .map((r) => `${formatInt(r.count)} ${r.label.toLowerCase()}`)
                  .join(', ') || 'none excluded'}
                .
              </li>
            </ul>
          ) : null}
          <div className="actions">
            <button
              type="button"
              className="button button--primary"
              disabled={transition.isPending}
              onClick={() => transition.mutate('launch')}
            >
              {transition.isPending ? 'Launching…' : 'Confirm launch'}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </section>
      ) : null}

      <div className="grid-2">
        <section className="card" aria-labelledby="enrollments-title">
          <h2 id="enrollments-title">Enrollments</h2>
          <dl className="stats" data-testid="enrollment-counts">
            <div>
              <dt>Treated</dt>
              <dd data-testid="enrolled-treated">{formatInt(e.treated)}</dd>
            </div>
            <div>
              <dt>Holdout</dt>
              <dd data-testid="enrolled-holdout">{formatInt(e.holdout)}</dd>
            </div>
            <div>
              <dt>Active</dt>
              <dd>{formatInt(e.active)}</dd>
            </div>
            <div>
              <dt>Exited (reactivated)</dt>
              <dd>{formatInt(e.exited)}</dd>
            </div>
            <div>
              <dt>Completed</dt>
              <dd>{formatInt(e.completed)}</dd>
            </div>
          </dl>
          <dl className="facts">
            <dt>Launched</dt>
            <dd>{formatDateTime(sequence.launchedAt)}</dd>
            <dt>Last audience run</dt>
            <dd>{formatDateTime(sequence.lastAudienceRunAt)}</dd>
            <dt>Holdout experiment</dt>
            <dd>
              {sequence.experimentId ? (
                <Link to={`/experiments/${sequence.experimentId}`} className="mono">
                  {sequence.experimentKey}
                </Link>
              ) : (
                'Created at launch'
              )}
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="rules-title">
          <h2 id="rules-title">Audience and rules</h2>
          <dl className="facts">
            <dt>Inactive for</dt>
            <dd>
              {sequence.audience.minDaysInactive}–{sequence.audience.maxDaysInactive} days
            </dd>
            <dt>Prior spend at least</dt>
            <dd>{sequence.audience.minPriorSpend}</dd>
            <dt>Segments</dt>
            <dd>{sequence.audience.segments.join(', ') || 'Any'}</dd>
            <dt>Filters</dt>
            <dd>{sequence.audience.conditions.length || 'None'}</dd>
            <dt>Leave out contacted in</dt>
            <dd>{sequence.audience.excludeContactedWithinDays} days</dd>
            <dt>Holdout share</dt>
            <dd>{sequence.holdoutPercent}%</dd>
            <dt>Cap per run</dt>
            <dd>{sequence.maxEnrollmentsPerRun ?? 'None'}</dd>
            <dt>Re-entry after</dt>
            <dd>{sequence.reentryDays} days</dd>
            <dt>Exit on</dt>
            <dd>{sequence.exitEventTypes.join(', ') || 'Nothing'}</dd>
            <dt>Measured over</dt>
            <dd>{sequence.measurementDays} days</dd>
          </dl>
        </section>
      </div>

      <section className="card" aria-labelledby="touches-title">
        <h2 id="touches-title">Touches</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Channel</th>
              <th scope="col">Content</th>
              <th scope="col">Offer</th>
              <th scope="col">Conditions</th>
            </tr>
          </thead>
          <tbody>
            {touches.map((t) => {
              const c = t.content;
              const headline = String(c.subject ?? c.title ?? c.url ?? '');
              const variants = Array.isArray(c.variants) ? c.variants.length : 0;
              return (
                <tr key={t.id}>
                  <td>{t.delayDays}</td>
                  <td>{CHANNEL_LABEL[t.channel]}</td>
                  <td>
                    <span className="mono">{headline}</span>
                    {variants > 0 ? <div className="cell-sub">A/B split, {variants} variants</div> : null}
                  </td>
                  <td>{t.offerKey ?? '—'}</td>
                  <td>{t.conditions.length > 0 ? `${t.conditions.length} condition(s)` : 'Everyone'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </section>
  );
}
