import { useEffect, useState, type FormEvent } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import type { MessageChannel, MessageStatus, OutboxMessage } from '@liftlab/contracts';
import { ErrorNotice } from '../components/Notice';
import { formatDateTime } from '../lib/format';
import { sequencesApi, sequenceKeys } from '../sequences/api';
import '../sequences/sequences.css';
import {
  CHANNEL_NAME,
  EMAIL_FRAME_SANDBOX,
  nextAttemptText,
  outboxFiltersFrom,
  sandboxedEmailDocument,
  STATUS_LABEL,
} from '../sequences/outbox';

/** New messages appear as the delivery ticks run; the list refreshes this often while open. */
const POLL_MS = 5000;

export function OutboxPage() {
  const [params, setParams] = useSearchParams();
  const filters = outboxFiltersFrom(params);
  const [customer, setCustomer] = useState(filters.customer ?? '');
  useEffect(() => setCustomer(filters.customer ?? ''), [filters.customer]);
  const sequences = useQuery({
    queryKey: sequenceKeys.list('all'),
    queryFn: () => sequencesApi.list({ limit: 100 }),
  });

  const list = useInfiniteQuery({
    queryKey: sequenceKeys.outbox(JSON.stringify(filters)),
    queryFn: ({ pageParam }) => sequencesApi.outbox({ ...filters, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
  const messages = list.data?.pages.flatMap((p) => p.items) ?? [];
  const now = new Date();

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  function onSearch(event: FormEvent) {
    event.preventDefault();
    setFilter('customer', customer.trim());
  }

  return (
    <section className="page" aria-labelledby="outbox-title">
      <h1 id="outbox-title">Outbox</h1>
      <p className="lead">
        Every message the sequences wrote, newest first. Without an SMTP server configured, e-mails are kept
        here instead of being sent.
      </p>
      <form className="toolbar seq-toolbar" role="search" aria-label="Filter messages" onSubmit={onSearch}>
        <label htmlFor="outbox-channel">Channel</label>
        <select
          id="outbox-channel"
          value={filters.channel ?? ''}
          onChange={(e) => setFilter('channel', e.target.value)}
        >
          <option value="">All</option>
          {(Object.keys(CHANNEL_NAME) as MessageChannel[]).map((c) => (
            <option key={c} value={c}>
              {CHANNEL_NAME[c]}
            </option>
          ))}
        </select>
        <label htmlFor="outbox-status">Status</label>
        <select
          id="outbox-status"
          value={filters.status ?? ''}
          onChange={(e) => setFilter('status', e.target.value)}
        >
          <option value="">All</option>
          {(Object.keys(STATUS_LABEL) as MessageStatus[]).map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        <label htmlFor="outbox-sequence">Sequence</label>
        <select
          id="outbox-sequence"
          value={filters.sequenceId ?? ''}
          onChange={(e) => setFilter('sequence', e.target.value)}
        >
          <option value="">All</option>
          {(sequences.data?.items ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label htmlFor="outbox-customer">Customer</label>
        <input
          id="outbox-customer"
          type="search"
          placeholder="External id"
          value={customer}
          onChange={(e) => setCustomer(e.target.value)}
        />
        <label>
          <input
            type="checkbox"
            checked={filters.outbox === true}
            onChange={(e) => setFilter('outbox', e.target.checked ? 'true' : '')}
          />{' '}
          Kept in the outbox only
        </label>
        <button type="submit" className="button">
          Filter
        </button>
      </form>
      <ErrorNotice error={list.error} />
      {list.isPending ? (
        <p role="status">Loading messages…</p>
      ) : messages.length === 0 ? (
        <p className="empty" data-testid="outbox-empty">
          No message matches. Messages appear when a touch falls due for an enrolled customer.
        </p>
      ) : (
        <table className="table" data-testid="outbox-list">
          <thead>
            <tr>
              <th scope="col">Written</th>
              <th scope="col">Customer</th>
              <th scope="col">Channel</th>
              <th scope="col">Subject / title</th>
              <th scope="col">Sequence</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id} data-testid={`message-${m.externalId}-${m.touchPosition}`}>
                <td>{formatDateTime(m.createdAt)}</td>
                <td className="mono">{m.externalId}</td>
                <td>
                  {CHANNEL_NAME[m.channel]}
                  {m.contentVariant ? <div className="cell-sub">variant {m.contentVariant}</div> : null}
                </td>
                <td>
                  <Link to={`/outbox/${m.id}`}>{m.subject ?? m.recipient ?? '(no subject)'}</Link>
                </td>
                <td>
                  {m.sequenceName}
                  <div className="cell-sub">touch {m.touchPosition + 1}</div>
                </td>
                <td>
                  {STATUS_LABEL[m.status]}
                  {m.outbox ? <div className="cell-sub">in the outbox</div> : null}
                  {m.status === 'pending' && nextAttemptText(m.nextAttemptAt, now) ? (
                    <div className="cell-sub">next try {nextAttemptText(m.nextAttemptAt, now)}</div>
                  ) : null}
                  {m.lastError ? <div className="cell-sub">{m.lastError}</div> : null}
                </td>
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

export function OutboxMessagePage() {
  const { id = '' } = useParams();
  const message = useQuery({
    queryKey: sequenceKeys.outboxMessage(id),
    queryFn: () => sequencesApi.outboxMessage(id),
  });
  if (message.isPending) return <p role="status">Loading message…</p>;
  if (message.error) return <ErrorNotice error={message.error} />;
  return <MessageView message={message.data} />;
}

function MessageView({ message: m }: { message: OutboxMessage }) {
  return (
    <section className="page" aria-labelledby="message-title">
      <p>
        <Link to="/outbox">← Outbox</Link>
      </p>
      <p className="eyebrow">
        {CHANNEL_NAME[m.channel]} · {STATUS_LABEL[m.status]}
        {m.outbox ? ' · kept in the outbox' : ''}
      </p>
      <h1 id="message-title" data-testid="message-subject">
        {m.subject ?? '(no subject)'}
      </h1>
      <dl className="message-meta">
        <dt>To</dt>
        <dd data-testid="message-recipient">{m.recipient ?? '—'}</dd>
        <dt>Customer</dt>
        <dd className="mono">{m.externalId}</dd>
        <dt>Sequence</dt>
        <dd>
          <Link to={`/sequences/${m.sequenceId}`}>{m.sequenceName}</Link>, touch {m.touchPosition + 1}
          {m.contentVariant ? `, variant ${m.contentVariant}` : ''}
        </dd>
        <dt>Message-ID</dt>
        <dd className="mono">{m.providerMessageId ?? '—'}</dd>
        <dt>Written</dt>
        <dd>{formatDateTime(m.createdAt)}</dd>
        <dt>Sent</dt>
        <dd>{formatDateTime(m.sentAt)}</dd>
        <dt>Attempts</dt>
        <dd>
          {m.attempts}
          {m.lastError ? ` (last error: ${m.lastError})` : ''}
        </dd>
        {m.offerCode ? (
          <>
            <dt>Offer code</dt>
            <dd className="mono">
              {m.offerCode}
              {m.offerExpiresAt ? `, expires ${formatDateTime(m.offerExpiresAt)}` : ''}
            </dd>
          </>
        ) : null}
        <dt>Opened / clicked</dt>
        <dd>
          {formatDateTime(m.openedAt)} / {formatDateTime(m.clickedAt)}
        </dd>
      </dl>
      {m.html ? (
        <section className="card" aria-labelledby="html-title">
          <h2 id="html-title">HTML</h2>
          <p className="muted">
            Shown in a sandbox: no scripts and no remote content, so reading it here does not count as an open
            or a click.
          </p>
          <iframe
            className="email-frame"
            title="E-mail HTML"
            sandbox={EMAIL_FRAME_SANDBOX}
            srcDoc={sandboxedEmailDocument(m.html)}
            data-testid="message-html"
          />
        </section>
      ) : null}
      {m.body !== null ? (
        <section className="card" aria-labelledby="text-title">
          <h2 id="text-title">{m.channel === 'email' ? 'Plain text' : 'Body'}</h2>
          <pre className="message-text" data-testid="message-text">
            {m.body}
          </pre>
        </section>
      ) : null}
      {m.payload !== null && m.payload !== undefined ? (
        <section className="card" aria-labelledby="payload-title">
          <h2 id="payload-title">Payload</h2>
          <pre className="mono message-text">{JSON.stringify(m.payload, null, 2)}</pre>
        </section>
      ) : null}
    </section>
  );
}
