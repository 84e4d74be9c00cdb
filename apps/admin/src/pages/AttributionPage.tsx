import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AttributionQueryInput } from '@liftlab/contracts';
import { ErrorNotice, Notice } from '../components/Notice';
import { AXIS_TICK, COLOURS } from '../components/charts';
import { formatAmount, formatInt, formatPercent } from '../lib/format';
import { ValueTabs } from '../value-analytics/ValueTabs';
import { valueApi, valueKeys } from '../value-analytics/api';
import { attributionBars, seriesColour } from '../value-analytics/view';

export function AttributionPage() {
  const [query, setQuery] = useState<AttributionQueryInput>({
    lookbackDays: 30,
    positionFirst: 0.4,
    positionLast: 0.4,
    markovOrder: 1,
  });
  const [measure, setMeasure] = useState<'conversions' | 'revenue'>('conversions');
  const result = useQuery({
    queryKey: valueKeys.attribution(query),
    queryFn: () => valueApi.attribution(query),
    placeholderData: (previous) => previous,
  });
  const data = result.data;
  const number = (key: keyof AttributionQueryInput, value: string) =>
    setQuery({ ...query, [key]: value === '' ? undefined : Number(value) });

  return (
    <section className="page" aria-labelledby="attribution-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">Customer value</p>
          <h1 id="attribution-title">Attribution of upsell and cross-sell</h1>
          {data ? (
            <p className="muted">
              Orders {data.from} to {data.to}: {formatInt(data.conversions)} conversions with touches (
              {formatAmount(data.revenue)}), {formatInt(data.unattributedConversions)} without any touch in
              the {data.lookbackDays}-day lookback, {formatInt(data.nullJourneys)} journeys without
              conversion.
            </p>
          ) : null}
        </div>
      </div>
      <ValueTabs />
      <div className="toolbar">
        <label className="label" htmlFor="attr-from">
          From
        </label>
        <input
          id="attr-from"
          type="date"
          onChange={(e) => setQuery({ ...query, from: e.target.value || undefined })}
        />
        <label className="label" htmlFor="attr-to">
          To
        </label>
        <input
          id="attr-to"
          type="date"
          onChange={(e) => setQuery({ ...query, to: e.target.value || undefined })}
        />
        <label className="label" htmlFor="attr-lookback">
          Lookback (days)
        </label>
        <input
          id="attr-lookback"
          type="number"
          min={1}
          max={365}
          value={String(query.lookbackDays ?? '')}
          onChange={(e) => number('lookbackDays', e.target.value)}
        />
        <label className="label" htmlFor="attr-first">
          Position-based first / last
        </label>
        <input
          id="attr-first"
          type="number"
          min={0}
          max={1}
          step={0.05}
          value={String(query.positionFirst ?? '')}
          onChange={(e) => number('positionFirst', e.target.value)}
        />
        <input
          aria-label="Position-based last share"
          type="number"
          min={0}
          max={1}
          step={0.05}
          value={String(query.positionLast ?? '')}
          onChange={(e) => number('positionLast', e.target.value)}
        />
        <label className="label" htmlFor="attr-measure">
          Show
        </label>
        <select
          id="attr-measure"
          value={measure}
          onChange={(e) => setMeasure(e.target.value as typeof measure)}
        >
          <option value="conversions">credited conversions</option>
          <option value="revenue">credited revenue</option>
        </select>
      </div>
      <ErrorNotice error={result.error} />
      {data && data.models.length === 0 ? (
        <Notice tone="info" title="No journeys in this period">
          Touches are sent messages and events with a <code>channel</code> property; conversions are orders of
          the upsell and cross-sell revenue streams.
        </Notice>
      ) : null}
      {data && data.models.length > 0 ? (
        <>
          <div className="chart" style={{ height: 340 }}>
            <ResponsiveContainer>
              <BarChart
                data={attributionBars(data, measure)}
                margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
              >
                <CartesianGrid stroke={COLOURS.grid} />
                <XAxis dataKey="channel" tick={AXIS_TICK} />
                <YAxis tick={AXIS_TICK} />
                <Tooltip
                  formatter={(v) => (measure === 'revenue' ? formatAmount(Number(v)) : Number(v).toFixed(2))}
                />
                <Legend />
                {data.models.map((m, i) => (
                  <Bar
                    key={m.model}
                    dataKey={m.model}
                    name={m.label}
                    fill={seriesColour(i)}
                    isAnimationActive={false}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
          <table className="table" data-testid="attribution-table">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                {data.models.map((m) => (
                  <th scope="col" key={m.model}>
                    {m.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.channels.map((channel) => (
                <tr key={channel}>
                  <th scope="row">{channel}</th>
                  {data.models.map((m) => {
                    const c = m.credits.find((x) => x.channel === channel);
                    return (
                      <td key={m.model}>
                        {c ? c.conversions.toFixed(2) : '—'}
                        <span className="cell-sub">
                          {c ? `${formatPercent(c.share)} · ${formatAmount(c.revenue)}` : ''}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            Markov removal effects (order {data.markov.order}, P(conversion) ={' '}
            {formatPercent(data.markov.conversionProbability)}):{' '}
            {data.markov.removalEffects
              .map((r) => `${r.channel} ${formatPercent(r.removalEffect)}`)
              .join(', ')}
            . Rule-based models split each order’s revenue like its conversion; Markov and Shapley share
            revenue by their conversion shares.
          </p>
        </>
      ) : null}
    </section>
  );
}
