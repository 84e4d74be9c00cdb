import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, queryKeys } from '../api/endpoints';
import { useSession } from '../auth/session';
import { ErrorNotice } from '../components/Notice';
import { VerdictBadge } from '../campaigns/VerdictBadge';
import { formatAmount, formatDate } from '../lib/format';

export function CampaignsPage() {
  const session = useSession();
  const list = useInfiniteQuery({
    queryKey: queryKeys.campaigns,
    queryFn: ({ pageParam }) => api.listCampaigns({ cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const campaigns = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="page" aria-labelledby="campaigns-title">
      <div className="page__header">
        <div>
          <h1 id="campaigns-title">Campaigns</h1>
          <p className="muted">Each campaign ties a holdout test to its costs and proves what it returns.</p>
        </div>
        <div className="page__actions">
          <Link className="button" to="/campaigns/plan">
            Plan a campaign
          </Link>
          {session.can('campaigns.write') ? (
            <Link className="button button--primary" to="/campaigns/new">
              New campaign
            </Link>
          ) : null}
        </div>
      </div>
      <ErrorNotice error={list.error} />
      {list.isPending ? (
        <p role="status">Loading campaigns…</p>
      ) : campaigns.length === 0 ? (
        <p className="empty">
          No campaigns yet.
          {session.can('campaigns.write') ? (
            <>
              {' '}
              <Link to="/campaigns/new">Create one</Link> on a running holdout test to see its return.
            </>
          ) : null}
        </p>
      ) : (
        <table className="table" data-testid="campaign-list">
          <caption className="visually-hidden">Campaigns</caption>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Program</th>
              <th scope="col">Experiment</th>
              <th scope="col">Launched</th>
              <th scope="col" className="num">
                Costs
              </th>
              <th scope="col">Last verdict</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                  <div className="muted mono">{c.key}</div>
                </th>
                <td>{c.programKey}</td>
                <td className="mono">{c.experimentKey}</td>
                <td>{formatDate(c.launchDate)}</td>
                <td className="num">{formatAmount(c.costs.reduce((s, l) => s + l.total, 0))}</td>
                <td>
                  {c.lastVerdict ? (
                    <VerdictBadge verdict={c.lastVerdict} small />
                  ) : (
                    <span className="muted">Not evaluated yet</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage ? (
        <button type="button" className="button" onClick={() => void list.fetchNextPage()}>
          Show more
        </button>
      ) : null}
    </section>
  );
}
