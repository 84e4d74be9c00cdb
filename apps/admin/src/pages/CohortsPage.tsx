import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CohortQueryInput } from '@liftlab/contracts';
import { ErrorNotice, Notice } from '../components/Notice';
import { AXIS_TICK, COLOURS } from '../components/charts';
import { formatAmount } from '../lib/format';
import { CohortHeatmap } from '../value-analytics/CohortHeatmap';
import { ValueTabs } from '../value-analytics/ValueTabs';
import { valueApi, valueKeys } from '../value-analytics/api';
import { DIMENSION_LABELS, ltvCurveRows, seriesColour } from '../value-analytics/view';

const DASHES = ['', '6 3', '2 2', '8 3 2 3'];

export function CohortsPage() {
  const [params, setParams] = useSearchParams();
  const dimension = params.get('dimension') ?? 'acquisitionMonth';
  const query: CohortQueryInput = {
    dimension: dimension as CohortQueryInput['dimension'],
    ...(params.get('from') ? { from: params.get('from') as string } : {}),
    ...(params.get('to') ? { to: params.get('to') as string } : {}),
    months: Number(params.get('months') ?? 12),
    activity: (params.get('activity') as 'any' | 'orders' | null) ?? 'any',
    ...(dimension === 'behaviour'
      ? {
          behaviourEvent: params.get('event') ?? 'support_contact',
          behaviourDays: Number(params.get('days') ?? 30),
          ...(params.get('max') ? { behaviourMaxCount: Number(params.get('max')) } : {}),
        }
      : {}),
  };
  const cohorts = useQuery({
    queryKey: valueKeys.cohorts(query),
    queryFn: () => valueApi.cohorts(query),
    placeholderData: (previous) => previous,
  });
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };
  const data = cohorts.data;
  const curveRows = data ? data.rows.slice(0, 8) : [];

  return (
    <section className="page" aria-labelledby="cohorts-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">Customer value</p>
          <h1 id="cohorts-title">Cohort explorer</h1>
          {data ? (
            <p className="muted">
              Customers acquired {data.from} to {data.to}; months since acquisition; complete months only.
            </p>
          ) : null}
        </div>
      </div>
      <ValueTabs />
      <div className="toolbar">
        <label className="label" htmlFor="cohort-dimension">
          Group by
        </label>
        <select id="cohort-dimension" value={dimension} onChange={(e) => set({ dimension: e.target.value })}>
          {Object.entries(DIMENSION_LABELS).map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
        <label className="label" htmlFor="cohort-from">
          From
        </label>
        <input
          id="cohort-from"
          type="month"
          value={params.get('from') ?? ''}
          onChange={(e) => set({ from: e.target.value })}
        />
        <label className="label" htmlFor="cohort-to">
          To
        </label>
        <input
          id="cohort-to"
          type="month"
          value={params.get('to') ?? ''}
          onChange={(e) => set({ to: e.target.value })}
        />
        <label className="label" htmlFor="cohort-activity">
          Active means
        </label>
        <select
          id="cohort-activity"
          value={query.activity}
          onChange={(e) => set({ activity: e.target.value })}
        >
          <option value="any">any order or activity</option>
          <option value="orders">an order</option>
        </select>
        {dimension === 'behaviour' ? (
          <>
            <label className="label" htmlFor="cohort-event">
              Event
            </label>
            <input
              id="cohort-event"
              defaultValue={query.behaviourEvent}
              onBlur={(e) => set({ event: e.target.value })}
            />
            <label className="label" htmlFor="cohort-days">
              within days
            </label>
            <input
              id="cohort-days"
              type="number"
              min={1}
              max={365}
              defaultValue={String(query.behaviourDays)}
              onBlur={(e) => set({ days: e.target.value })}
            />
            <label className="label" htmlFor="cohort-max">
              at most (times)
            </label>
            <input
              id="cohort-max"
              type="number"
              min={1}
              defaultValue={params.get('max') ?? ''}
              onBlur={(e) => set({ max: e.target.value })}
            />
          </>
        ) : null}
      </div>
      <ErrorNotice error={cohorts.error} />
      {cohorts.isLoading ? (
        <p className="loading" role="status">
          Loading…
        </p>
      ) : null}
      {data && data.rows.length === 0 ? (
        <Notice tone="info" title="No customers acquired in this period">
          Customers need an acquisition date to appear in cohorts.
        </Notice>
      ) : null}
      {data && data.rows.length > 0 ? (
        <>
          <h2>Retention by month since acquisition</h2>
          <CohortHeatmap rows={data.rows} total={data.total} />
          <h2>Cumulative revenue per customer</h2>
          <div className="chart" style={{ height: 320 }}>
            <ResponsiveContainer>
              <LineChart data={ltvCurveRows(curveRows)} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
                <CartesianGrid stroke={COLOURS.grid} />
                <XAxis dataKey="month" tick={AXIS_TICK} tickFormatter={(m: number) => `M${m}`} />
                <YAxis tick={AXIS_TICK} tickFormatter={(v: number) => formatAmount(v)} />
                <Tooltip
                  formatter={(v) => formatAmount(Number(v))}
                  labelFormatter={(m) => `Month ${String(m)}`}
                />
                <Legend />
                {curveRows.map((r, i) => (
                  <Line
                    key={r.cohort}
                    dataKey={r.cohort}
                    stroke={seriesColour(i)}
                    strokeDasharray={DASHES[i % DASHES.length]}
                    strokeWidth={2}
                    dot={{ r: 3 }}
                    connectNulls={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
          {data.rows.length > curveRows.length ? (
            <p className="muted">
              The curves show the first {curveRows.length} cohorts; the table shows all.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
