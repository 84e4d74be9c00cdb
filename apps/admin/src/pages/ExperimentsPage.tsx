import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, queryKeys } from '../api/endpoints';
import type { ExperimentStatus } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorNotice } from '../components/Notice';
import { StatusBadge } from '../components/StatusBadge';
import { formatDate, formatPercent } from '../lib/format';
import { STATUS_LABEL } from '../experiments/status';

const STATUSES: ExperimentStatus[] = ['draft', 'running', 'stopped', 'concluded'];

export function ExperimentsPage() {
  const session = useSession();
  const [status, setStatus] = useState<ExperimentStatus | ''>('');
  const list = useInfiniteQuery({
    queryKey: [...queryKeys.experiments, { status }],
    queryFn: ({ pageParam }) =>
      api.listExperiments({ status: status || undefined, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const experiments = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section className="page" aria-labelledby="experiments-title">
      <div className="page__header">
        <h1 id="experiments-title">Experiments</h1>
        {session.can('experiments.write') ? (
          <Link className="button button--primary" to="/experiments/new">
            New experiment
          </Link>
        ) : null}
      </div>
      <div className="toolbar">
        <label htmlFor="status-filter">Status</label>
        <select
          id="status-filter"
          value={status}
          onChange={(e) => setStatus(e.target.value as ExperimentStatus | '')}
        >
          <option value="">All</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={list.error} />
      {list.isPending ? (
        <p role="status">Loading experiments…</p>
      ) : experiments.length === 0 ? (
        <p className="empty">
          No experiments yet.
          {session.can('experiments.write') ? (
            <>
              {' '}
              <Link to="/experiments/new">Create the first holdout test</Link> to measure a campaign’s lift.
            </>
          ) : null}
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Experiment</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Split</th>
              <th scope="col" className="num">
                Coverage
              </th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/experiments/${e.id}`}>{e.name}</Link>
                  <div className="muted mono">{e.key}</div>
                </td>
                <td>{e.kind === 'holdout' ? 'Holdout' : 'A/B'}</td>
                <td>
                  <StatusBadge status={e.status} />
                </td>
                <td>{e.variants.map((v) => `${v.name} ${formatPercent(v.weight, 0)}`).join(' · ')}</td>
                <td className="num">{formatPercent(e.coverage, 0)}</td>
                <td>{formatDate(e.startedAt)}</td>
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
