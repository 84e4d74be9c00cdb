import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, queryKeys } from '../api/endpoints';
import { ErrorNotice } from '../components/Notice';
import { formatDate, formatDateTime, formatMoney } from '../lib/format';
import type { CustomerEvent } from '../api/types';

const PROFILE_FIELDS = [
  ['segment', 'Segment'],
  ['plan', 'Plan'],
  ['country', 'Country'],
  ['timezone', 'Time zone'],
  ['acquisitionChannel', 'Acquisition channel'],
] as const;

function eventValue(e: CustomerEvent): string {
  if (e.amount !== null) return formatMoney(e.amount, e.currency);
  if (e.value !== null) return String(e.value);
  return '—';
}

export function CustomerDetailPage() {
  const { externalId = '' } = useParams();
  const customer = useQuery({
    queryKey: queryKeys.customer(externalId),
    queryFn: () => api.getCustomer(externalId),
  });
  if (customer.isPending) return <p role="status">Loading customer…</p>;
  if (customer.error) {
    return (
      <section className="page">
        <p>
          <Link to="/customers">← Customers</Link>
        </p>
        <ErrorNotice error={customer.error} />
      </section>
    );
  }
  const c = customer.data;
  const traits = Object.entries(c.traits);
  return (
    <section className="page" aria-labelledby="customer-title">
      <p>
        <Link to="/customers">← Customers</Link>
      </p>
      <h1 id="customer-title">
        Customer <code>{c.externalId}</code>
      </h1>
      <div className="grid-2">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <dl className="facts">
            {PROFILE_FIELDS.map(([key, label]) => (
              <div key={key} className="facts__row">
                <dt>{label}</dt>
                <dd>{c[key] ?? '—'}</dd>
              </div>
            ))}
            <div className="facts__row">
              <dt>Acquired</dt>
              <dd>{formatDate(c.acquisitionDate)}</dd>
            </div>
            {traits.map(([k, v]) => (
              <div key={k} className="facts__row">
                <dt className="mono">traits.{k}</dt>
                <dd>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="card" aria-labelledby="assignments-title">
          <h2 id="assignments-title">Assignments</h2>
          {c.assignments.length === 0 ? (
            <p className="muted">Not in any experiment.</p>
          ) : (
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">Experiment</th>
                  <th scope="col">Variant</th>
                  <th scope="col">Assigned</th>
                </tr>
              </thead>
              <tbody>
                {c.assignments.map((a) => (
                  <tr key={a.experimentId}>
                    <td>
                      <Link to={`/experiments/${a.experimentId}`}>{a.experimentName}</Link>
                      <div className="muted mono">{a.experimentKey}</div>
                    </td>
                    <td>
                      {a.variantName}
                      {a.isControl ? <span className="muted"> (control)</span> : null}
                    </td>
                    <td>{formatDateTime(a.assignedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title">Recent events</h2>
        {c.recentEvents.length === 0 ? (
          <p className="muted">No events received for this customer.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">Experiment / variant</th>
                <th scope="col" className="num">
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {c.recentEvents.map((e) => (
                <tr key={String(e.id)}>
                  <td>{formatDateTime(e.occurredAt)}</td>
                  <td>
                    <span className={`tag tag--${e.type}`}>{e.type}</span>
                  </td>
                  <td>{e.name}</td>
                  <td className="mono">
                    {e.experimentKey ? `${e.experimentKey} / ${e.variantKey ?? ''}` : ''}
                  </td>
                  <td className="num">{eventValue(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
