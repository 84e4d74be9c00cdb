import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SegmentFinderQueryInput } from '@liftlab/contracts';
import { api, queryKeys } from '../api/endpoints';
import { ErrorNotice, Notice } from '../components/Notice';
import { AXIS_TICK, COLOURS, IntervalBar, IntervalKey } from '../components/charts';
import { formatInt, formatPercent, formatPValue } from '../lib/format';
import { ValueTabs } from '../value-analytics/ValueTabs';
import { valueApi, valueKeys } from '../value-analytics/api';
import { forestDomain } from '../value-analytics/view';

const DIMENSIONS: Record<string, string> = {
  segment: 'Segment',
  acquisitionChannel: 'Acquisition channel',
  acquisitionCohort: 'Acquisition cohort',
  plan: 'Plan',
  country: 'Country',
};

export function SegmentFinderPage() {
  const [params, setParams] = useSearchParams();
  const experimentId = params.get('experiment') ?? '';
  const dimension = params.get('dimension') ?? 'segment';
  const experiments = useQuery({
    queryKey: queryKeys.experiments,
    queryFn: () => api.listExperiments({ limit: 200 }),
  });
  const query: SegmentFinderQueryInput = { dimension: dimension as SegmentFinderQueryInput['dimension'] };
  const result = useQuery({
    queryKey: valueKeys.segmentFinder(experimentId, query),
    queryFn: () => valueApi.segmentFinder(experimentId, query),
    enabled: experimentId !== '',
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const data = result.data;
  const domain = data ? forestDomain(data.segments.map((s) => s.ci)) : ([-1, 1] as [number, number]);
  const pct = data?.difference === 'relative' || data?.metric.kind === 'proportion';
  const show = (v: number | null) => (v === null ? '—' : pct ? formatPercent(v, 1) : v.toFixed(3));

  return (
    <section className="page" aria-labelledby="segments-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">Customer value</p>
          <h1 id="segments-title">Segment finder</h1>
          <p className="muted">Which segments respond to a campaign, so the next one targets them.</p>
        </div>
      </div>
      <ValueTabs />
      <div className="toolbar">
        <label className="label" htmlFor="seg-experiment">
          Experiment
        </label>
        <select id="seg-experiment" value={experimentId} onChange={(e) => set('experiment', e.target.value)}>
          <option value="">Choose…</option>
          {(experiments.data?.items ?? []).map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
        <label className="label" htmlFor="seg-dimension">
          Segments by
        </label>
        <select id="seg-dimension" value={dimension} onChange={(e) => set('dimension', e.target.value)}>
          {Object.entries(DIMENSIONS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={result.error} />
      {data ? (
        <>
          <p>
            {data.metric.name}: {data.treatmentVariant} vs {data.controlVariant},{' '}
            {data.difference === 'relative' ? 'relative' : 'absolute'} lift with{' '}
            {formatPercent(1 - data.alpha, 0)} intervals.
          </p>
          <table className="table" data-testid="segment-forest">
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col">Control / treated</th>
                <th scope="col">Lift</th>
                <th scope="col">Interval</th>
                <th scope="col">p</th>
              </tr>
            </thead>
            <tbody>
              {data.segments.map((s) => {
                const tone =
                  s.ci[0] !== null && s.ci[0] > 0
                    ? 'good'
                    : s.ci[1] !== null && s.ci[1] < 0
                      ? 'bad'
                      : 'neutral';
                return (
                  <tr key={s.segment}>
                    <th scope="row">{s.segment}</th>
                    <td>
                      {formatInt(s.controlN)} / {formatInt(s.treatmentN)}
                    </td>
                    <td>{show(s.estimate)}</td>
                    <td>
                      <IntervalBar
                        estimate={s.estimate}
                        lower={s.ci[0]}
                        upper={s.ci[1]}
                        domain={domain}
                        tone={tone}
                        label={`${s.segment}: ${show(s.estimate)} (${show(s.ci[0])} to ${show(s.ci[1])})`}
                      />
                    </td>
                    <td>{formatPValue(s.adjustedPValue)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <IntervalKey />
          {data.heterogeneity ? (
            <p data-testid="heterogeneity">
              Heterogeneity: Cochran’s Q = {data.heterogeneity.q.toFixed(2)} on {data.heterogeneity.dof}{' '}
              degrees of freedom, p = {formatPValue(data.heterogeneity.pValue)}, I² ={' '}
              {formatPercent(data.heterogeneity.iSquared, 0)}.{' '}
              {data.heterogeneity.pValue < data.alpha
                ? 'The lift differs between segments.'
                : 'No clear difference between segments (the test has little power with few segments).'}
            </p>
          ) : null}
          {data.qini ? (
            <>
              <h2>Qini curve: targeting the best segments first</h2>
              <div className="chart" style={{ height: 280 }}>
                <ResponsiveContainer>
                  <LineChart
                    data={data.qini.points.map((p, i, all) => ({
                      x: p.targetedFraction,
                      qini: p.incrementalConversions,
                      random: p.targetedFraction * (all[all.length - 1]?.incrementalConversions ?? 0),
                    }))}
                    margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
                  >
                    <CartesianGrid stroke={COLOURS.grid} />
                    <XAxis
                      dataKey="x"
                      type="number"
                      domain={[0, 1]}
                      tick={AXIS_TICK}
                      tickFormatter={(v: number) => formatPercent(v, 0)}
                    />
                    <YAxis tick={AXIS_TICK} />
                    <Tooltip />
                    <Line
                      dataKey="qini"
                      name="Qini"
                      stroke={COLOURS.blue}
                      strokeWidth={2}
                      isAnimationActive={false}
                    />
                    <Line
                      dataKey="random"
                      name="Random targeting"
                      stroke={COLOURS.grey}
                      strokeDasharray="5 4"
                      dot={false}
                      isAnimationActive={false}
                    />
                  </LineChart>
                </ResponsiveContainer>
              </div>
              <p className="muted">
                Qini coefficient {data.qini.qiniCoefficient.toFixed(1)}; uplift in the top{' '}
                {formatPercent(data.qini.upliftAtK.k, 0)} of customers:{' '}
                {formatPercent(data.qini.upliftAtK.uplift)}. Segments are ranked on the same data they are
                evaluated on, so the curve flatters the ranking.
              </p>
            </>
          ) : (
            <Notice tone="info" title="No Qini curve">
              {data.qiniUnavailable === 'proportion_metrics_only'
                ? 'The Qini curve counts conversions; choose an experiment whose metric is a proportion.'
                : 'No segment has customers in both arms.'}
            </Notice>
          )}
        </>
      ) : experimentId === '' ? (
        <Notice tone="info" title="Choose an experiment" />
      ) : null}
    </section>
  );
}
