import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LtvCacQueryInput } from '@liftlab/contracts';
import { isApiError } from '../api/client';
import { useSession } from '../auth/session';
import { can } from '../auth/permissions';
import { Field } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { AXIS_TICK, COLOURS } from '../components/charts';
import { formatAmount, formatInt } from '../lib/format';
import { ValueTabs } from '../value-analytics/ValueTabs';
import { valueApi, valueKeys } from '../value-analytics/api';

function fieldError(error: unknown, path: string): string | undefined {
  return isApiError(error) ? error.fieldErrors.find((e) => e.path === path)?.rule : undefined;
}

export function LtvCacPage() {
  const { role } = useSession();
  const client = useQueryClient();
  const [query, setQuery] = useState<LtvCacQueryInput>({ horizonMonths: 12, grossMargin: 1 });
  const ltv = useQuery({ queryKey: valueKeys.ltvCac(query), queryFn: () => valueApi.ltvCac(query) });
  const spend = useQuery({ queryKey: valueKeys.spend, queryFn: () => valueApi.listSpend() });
  const [entry, setEntry] = useState({ channel: '', month: '', amount: '' });
  const [csv, setCsv] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: ['value'] });
  const create = useMutation({
    mutationFn: () =>
      valueApi.createSpend({ channel: entry.channel, month: entry.month, amount: Number(entry.amount) }),
    onSuccess: () => {
      setEntry({ channel: '', month: '', amount: '' });
      void refresh();
    },
  });
  const upload = useMutation({
    mutationFn: () => valueApi.importSpend(csv),
    onSuccess: () => void refresh(),
  });
  const remove = useMutation({
    mutationFn: (id: string) => valueApi.deleteSpend(id),
    onSuccess: () => void refresh(),
  });
  const canEdit = can(role, 'campaigns.write');
  const channels = ltv.data?.channels ?? [];

  return (
    <section className="page" aria-labelledby="ltv-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">Customer value</p>
          <h1 id="ltv-title">LTV:CAC and payback by acquisition channel</h1>
          {ltv.data ? (
            <p className="muted">
              Customers acquired {ltv.data.from} to {ltv.data.to}. CAC = channel spend ÷ customers acquired;
              LTV = cumulative margin per customer after up to {ltv.data.horizonMonths} months (observed).
            </p>
          ) : null}
        </div>
      </div>
      <ValueTabs />
      <div className="toolbar">
        <label className="label" htmlFor="ltv-horizon">
          Horizon (months)
        </label>
        <input
          id="ltv-horizon"
          type="number"
          min={1}
          max={36}
          value={String(query.horizonMonths)}
          onChange={(e) => setQuery({ ...query, horizonMonths: Number(e.target.value) })}
        />
        <label className="label" htmlFor="ltv-margin">
          Gross margin
        </label>
        <input
          id="ltv-margin"
          type="number"
          min={0}
          max={1}
          step={0.05}
          value={String(query.grossMargin)}
          onChange={(e) => setQuery({ ...query, grossMargin: Number(e.target.value) })}
        />
      </div>
      <ErrorNotice error={ltv.error} />
      {channels.length > 0 ? (
        <>
          <table className="table" data-testid="ltv-cac-table">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Customers</th>
                <th scope="col">Spend</th>
                <th scope="col">CAC</th>
                <th scope="col">LTV</th>
                <th scope="col">LTV:CAC</th>
                <th scope="col">Payback</th>
                {ltv.data?.clvFit ? <th scope="col">Predicted CLV : CAC</th> : null}
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">{c.channel}</th>
                  <td>{formatInt(c.customers)}</td>
                  <td>{formatAmount(c.spend)}</td>
                  <td>{c.cac === null ? '—' : formatAmount(c.cac)}</td>
                  <td>
                    {formatAmount(c.ltv)} <span className="muted">({c.ltvMonths} mo)</span>
                  </td>
                  <td>{c.ltvToCac === null ? '—' : `${c.ltvToCac.toFixed(2)}×`}</td>
                  <td>{c.paybackMonths === null ? 'not yet' : `${c.paybackMonths} mo`}</td>
                  {ltv.data?.clvFit ? (
                    <td>
                      {c.predictedClv === null ? '—' : formatAmount(c.predictedClv)}
                      <span className="cell-sub">
                        {c.predictedClvToCac === null
                          ? ''
                          : `${c.predictedClvToCac.toFixed(2)}× CAC in margin`}
                      </span>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="chart" style={{ height: 280 }}>
            <ResponsiveContainer>
              <BarChart data={channels} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
                <CartesianGrid stroke={COLOURS.grid} />
                <XAxis dataKey="channel" tick={AXIS_TICK} />
                <YAxis tick={AXIS_TICK} tickFormatter={(v: number) => formatAmount(v)} />
                <Tooltip formatter={(v) => formatAmount(Number(v))} />
                <Legend />
                <Bar dataKey="cac" name="CAC" fill={COLOURS.vermillion} isAnimationActive={false} />
                <Bar dataKey="ltv" name="LTV (observed)" fill={COLOURS.blue} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </>
      ) : ltv.data ? (
        <Notice tone="info" title="No acquisition data in this period" />
      ) : null}

      <h2>Channel spend</h2>
      {canEdit ? (
        <form
          className="field-row"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            create.mutate();
          }}
          data-testid="spend-form"
        >
          <Field id="spend-channel" label="Channel" error={fieldError(create.error, 'channel')}>
            {(p) => (
              <input
                {...p}
                value={entry.channel}
                onChange={(e) => setEntry({ ...entry, channel: e.target.value })}
              />
            )}
          </Field>
          <Field id="spend-month" label="Month" error={fieldError(create.error, 'month')}>
            {(p) => (
              <input
                {...p}
                type="month"
                value={entry.month}
                onChange={(e) => setEntry({ ...entry, month: e.target.value })}
              />
            )}
          </Field>
          <Field id="spend-amount" label="Amount" error={fieldError(create.error, 'amount')}>
            {(p) => (
              <input
                {...p}
                type="number"
                min={0}
                step="0.01"
                value={entry.amount}
                onChange={(e) => setEntry({ ...entry, amount: e.target.value })}
              />
            )}
          </Field>
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            Add spend
          </button>
        </form>
      ) : null}
      {create.error && !fieldError(create.error, 'channel') ? <ErrorNotice error={create.error} /> : null}
      {canEdit ? (
        <details>
          <summary>Import a CSV (channel, month, amount, note)</summary>
          <textarea
            aria-label="Spend CSV"
            rows={5}
            value={csv}
            onChange={(e) => setCsv(e.target.value)}
            placeholder={'channel,month,amount\nsearch,2025-01,3000'}
          />
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label="Spend CSV file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void f.text().then(setCsv);
            }}
          />
          <button
            type="button"
            className="button"
            onClick={() => upload.mutate()}
            disabled={!csv || upload.isPending}
          >
            Import
          </button>
          <ErrorNotice error={upload.error} />
          {upload.data ? (
            <Notice tone="success" title={`${upload.data.created} added, ${upload.data.updated} replaced`} />
          ) : null}
        </details>
      ) : null}
      <table className="table table--compact" data-testid="spend-table">
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Channel</th>
            <th scope="col">Amount</th>
            <th scope="col">Note</th>
            {canEdit ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {(spend.data?.items ?? []).map((s) => (
            <tr key={s.id}>
              <td>{s.month}</td>
              <td>{s.channel}</td>
              <td>{formatAmount(s.amount)}</td>
              <td>{s.note}</td>
              {canEdit ? (
                <td>
                  <button
                    type="button"
                    className="button button--small button--quiet"
                    onClick={() => remove.mutate(s.id)}
                  >
                    Delete
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
