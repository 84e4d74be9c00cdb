import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { SequenceStatus } from '@liftlab/contracts';
import { useSession } from '../auth/session';
import { ErrorNotice } from '../components/Notice';
import { formatDate, formatInt } from '../lib/format';
import { sequencesApi, sequenceKeys } from '../sequences/api';
import { SequenceStatusBadge } from '../sequences/components';
import { CHANNEL_LABEL, SEQUENCE_STATUS_LABEL } from '../sequences/form';

const STATUSES = Object.keys(SEQUENCE_STATUS_LABEL) as SequenceStatus[];

export function SequencesPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status = raw && (STATUSES as string[]).includes(raw) ? (raw as SequenceStatus) : undefined;
  const list = useInfiniteQuery({
    queryKey: sequenceKeys.list(status ?? 'all'),
    queryFn: ({ pageParam }) => sequencesApi.list({ status, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const sequences = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section className="page" aria-labelledby="sequences-title">
      <div className="page__header">
        <h1 id="sequences-title">Sequences</h1>
        {session.can('sequences.write') ? (
          <Link className="button button--primary" to="/sequences/new">
            New sequence
          </Link>
        ) : null}
      </div>
      <p className="lead">
        Win-back cadences for dormant customers. Every sequence keeps a random holdout that is never
        contacted, so its results show what it really changed.
      </p>
      <div className="toolbar seq-toolbar">
        <label htmlFor="sequence-status">Status</label>
        <select
          id="sequence-status"
          value={status ?? ''}
          onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}
        >
          <option value="">All</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {SEQUENCE_STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={list.error} />
      {list.isPending ? (
        <p role="status">Loading sequences…</p>
      ) : sequences.length === 0 ? (
        <p className="empty">No sequence yet.</p>
      ) : (
        <table className="table" data-testid="sequence-list">
          <thead>
            <tr>
              <th scope="col">Sequence</th>
              <th scope="col">Status</th>
              <th scope="col">Touches</th>
              <th scope="col">Holdout</th>
              <th scope="col">Enrolled (treated / holdout)</th>
              <th scope="col">Launched</th>
            </tr>
          </thead>
          <tbody>
            {sequences.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/sequences/${s.id}`}>{s.name}</Link>
                  <div className="cell-sub mono">{s.key}</div>
                </td>
                <td>
                  <SequenceStatusBadge status={s.status} />
                </td>
                <td>
                  {[...s.touches]
                    .sort((a, b) => a.position - b.position)
                    .map((t) => `day ${t.delayDays} ${CHANNEL_LABEL[t.channel].toLowerCase()}`)
                    .join(', ')}
                </td>
                <td>{s.holdoutPercent}%</td>
                <td>
                  {formatInt(s.enrollments.treated)} / {formatInt(s.enrollments.holdout)}
                </td>
                <td>{formatDate(s.launchedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </section>
  );
}
