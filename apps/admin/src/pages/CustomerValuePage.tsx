import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ValueSegment } from '@liftlab/contracts';
import { VALUE_SEGMENTS } from '@liftlab/contracts';
import { isApiError } from '../api/client';
import { useSession } from '../auth/session';
import { ErrorNotice, Notice } from '../components/Notice';
import { formatAmount, formatDateTime, formatInt, formatPercent } from '../lib/format';
import { CalibrationChart } from '../customer-value/CalibrationChart';
import { ThresholdsForm } from '../customer-value/ThresholdsForm';
import { clvApi, clvKeys, SEGMENT_HINT, SEGMENT_LABEL } from '../customer-value/api';

/** Predicted CLV: value segments, the fit and its calibration check, thresholds, customers by segment. */
export function CustomerValuePage() {
  const session = useSession();
  const canWrite = session.can('customers.read');
  const queryClient = useQueryClient();
  const summary = useQuery({ queryKey: clvKeys.summary, queryFn: clvApi.summary });
  const fit = useMutation({
    mutationFn: clvApi.fit,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['customer-value'] }),
  });
  const [segment, setSegment] = useState<ValueSegment | ''>('vip_at_risk');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const customers = useQuery({
    queryKey: clvKeys.customers(segment, cursor),
    queryFn: () => clvApi.customers(segment, cursor),
    enabled: canWrite && Boolean(summary.data?.fit),
  });
  const data = summary.data;
  const total = data ? data.segments.reduce((s, x) => s + x.customers, 0) : 0;

  return (
    <section className="page" aria-labelledby="clv-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">Customer value</p>
          <h1 id="clv-title">Predicted CLV and value segments</h1>
          {data?.fit ? (
            <p className="muted" data-testid="clv-fit-info">
              Fitted {formatDateTime(data.fit.fittedAt)} on {formatInt(data.fit.customers)} customers in{' '}
              {(data.fit.durationMs / 1000).toFixed(1)} s · BG/NBD r = {data.fit.params.bgnbd.r.toFixed(3)}, α
              = {data.fit.params.bgnbd.alpha.toFixed(2)} days, a = {data.fit.params.bgnbd.a.toFixed(3)}, b ={' '}
              {data.fit.params.bgnbd.b.toFixed(3)} (log-likelihood {data.fit.logLikelihood.toFixed(1)}) ·
              Gamma-Gamma p = {data.fit.params.gammaGamma.p.toFixed(2)}, q ={' '}
              {data.fit.params.gammaGamma.q.toFixed(2)}, γ = {data.fit.params.gammaGamma.gamma.toFixed(2)} ·
              CLV over {data.fit.horizonMonths} months at {(data.fit.annualDiscountRate * 100).toFixed(1)}% a
              year
            </p>
          ) : null}
        </div>
        {canWrite ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => fit.mutate()}
            disabled={fit.isPending}
            data-testid="clv-fit"
          >
            {fit.isPending ? 'Fitting…' : 'Fit now'}
          </button>
        ) : null}
      </div>
      {fit.error && isApiError(fit.error) && fit.error.status === 412 ? (
        <Notice tone="warning" title="Not enough order history yet">
          <p>{fit.error.detail}</p>
        </Notice>
      ) : (
        <ErrorNotice error={fit.error} />
      )}
      {data?.fit?.note ? <Notice tone="info">{data.fit.note}</Notice> : null}
      {summary.isPending ? <p role="status">Loading…</p> : null}
      <ErrorNotice error={summary.error} />
      {data && !data.fit ? (
        <p data-testid="clv-no-fit">No fit yet: fit the model to predict each customer’s value.</p>
      ) : null}

      {data?.fit ? (
        <section className="card" aria-labelledby="segments-title">
          <h2 id="segments-title">Value segments</h2>
          <p className="muted">
            High value: predicted CLV from {formatAmount(data.fit.thresholds.clv)}; alive: P(alive) from{' '}
            {formatPercent(data.fit.thresholds.alive, 0)}.
          </p>
          <table className="table" data-testid="segments-table">
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col">Customers</th>
                <th scope="col">Share</th>
                <th scope="col">Mean CLV</th>
                <th scope="col">Total CLV</th>
                <th scope="col">Mean P(alive)</th>
              </tr>
            </thead>
            <tbody>
              {data.segments.map((s) => (
                <tr key={s.segment} data-segment={s.segment}>
                  <th scope="row">
                    {SEGMENT_LABEL[s.segment]}
                    <br />
                    <span className="muted">{SEGMENT_HINT[s.segment]}</span>
                  </th>
                  <td>{formatInt(s.customers)}</td>
                  <td>{total > 0 ? formatPercent(s.customers / total) : '—'}</td>
                  <td>{formatAmount(s.meanClv)}</td>
                  <td>{formatAmount(s.totalClv)}</td>
                  <td>{formatPercent(s.meanProbabilityAlive)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {data?.fit ? (
        <section className="card" aria-labelledby="calibration-title">
          <h2 id="calibration-title">How well the model predicts</h2>
          {data.fit.calibration ? (
            <CalibrationChart check={data.fit.calibration} />
          ) : (
            <p>{data.fit.calibrationNote}</p>
          )}
        </section>
      ) : null}

      {data ? (
        <section className="card">
          {/* Not keyed by the settings' version: a remount after the save's refetch would drop "Saved". */}
          <ThresholdsForm settings={data.settings} canWrite={canWrite} />
        </section>
      ) : null}

      {data?.fit && canWrite ? (
        <section className="card" aria-labelledby="value-customers-title">
          <h2 id="value-customers-title">Customers</h2>
          <div className="toolbar">
            <label htmlFor="value-segment">Segment</label>
            <select
              id="value-segment"
              value={segment}
              onChange={(e) => {
                setSegment(e.target.value as ValueSegment | '');
                setCursors([]);
              }}
            >
              <option value="">All</option>
              {VALUE_SEGMENTS.map((s) => (
                <option key={s} value={s}>
                  {SEGMENT_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
          <ErrorNotice error={customers.error} />
          {customers.data ? (
            <table className="table" data-testid="value-customers">
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">Repeat purchase days</th>
                  <th scope="col">Days since last</th>
                  <th scope="col">Mean repeat order</th>
                  <th scope="col">P(alive)</th>
                  <th scope="col">Predicted purchases</th>
                  <th scope="col">Predicted CLV</th>
                </tr>
              </thead>
              <tbody>
                {customers.data.items.map((c) => (
                  <tr key={c.customerId}>
                    <th scope="row">
                      <Link to={`/customers/${encodeURIComponent(c.externalId)}`}>{c.externalId}</Link>
                    </th>
                    <td>{formatInt(c.frequency)}</td>
                    <td>{formatInt(Math.round(c.T - c.recency))}</td>
                    <td>{formatAmount(c.monetary)}</td>
                    <td>{formatPercent(c.probabilityAlive)}</td>
                    <td>{c.predictedPurchases.toFixed(2)}</td>
                    <td>{formatAmount(c.predictedClv)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <div className="toolbar">
            <button
              type="button"
              className="button"
              disabled={cursors.length === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Previous
            </button>
            <button
              type="button"
              className="button"
              disabled={!customers.data?.nextCursor}
              onClick={() =>
                customers.data?.nextCursor && setCursors([...cursors, customers.data.nextCursor])
              }
            >
              Next
            </button>
          </div>
        </section>
      ) : null}
    </section>
  );
}
