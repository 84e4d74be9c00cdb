import { useEffect, useState, type FormEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, queryKeys } from '../api/endpoints';
import { ErrorNotice } from '../components/Notice';
import { formatDate } from '../lib/format';

export function CustomersPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const [text, setText] = useState(search);
  useEffect(() => setText(search), [search]);

  const list = useInfiniteQuery({
    queryKey: queryKeys.customers(search),
    queryFn: ({ pageParam }) =>
      api.searchCustomers({ search: search || undefined, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const customers = list.data?.pages.flatMap((p) => p.items) ?? [];

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const q = text.trim();
    setParams(q ? { q } : {});
  }

  return (
    <section className="page" aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <form className="toolbar" role="search" onSubmit={onSubmit}>
        <label htmlFor="customer-search">Search</label>
        <input
          id="customer-search"
          type="search"
          placeholder="External id, segment, plan…"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button">
          Search
        </button>
      </form>
      <ErrorNotice error={list.error} />
      {list.isPending ? (
        <p role="status">Searching…</p>
      ) : customers.length === 0 ? (
        <p className="empty">
          {search ? `No customer matches “${search}”.` : 'No customers yet. Import some first.'}
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">External id</th>
              <th scope="col">Segment</th>
              <th scope="col">Plan</th>
              <th scope="col">Country</th>
              <th scope="col">Acquired</th>
            </tr>
          </thead>
          <tbody>
            {customers.map((c) => (
              <tr key={c.externalId}>
                <td>
                  <Link className="mono" to={`/customers/${encodeURIComponent(c.externalId)}`}>
                    {c.externalId}
                  </Link>
                </td>
                <td>{c.segment ?? '—'}</td>
                <td>{c.plan ?? '—'}</td>
                <td>{c.country ?? '—'}</td>
                <td>{formatDate(c.acquisitionDate)}</td>
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
