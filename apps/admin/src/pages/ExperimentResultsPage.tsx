import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, queryKeys } from '../api/endpoints';
import { isApiError } from '../api/client';
import type { CumulativeResults, ExperimentResults } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorNotice, Notice } from '../components/Notice';
import { AXIS_TICK, COLOURS, IntervalBar, IntervalKey } from '../components/charts';
import { formatDate, formatDateTime, formatInt, formatPercent, formatPValue } from '../lib/format';
import {
  COMPARISON_LABEL,
  ROLE_LABEL,
  comparisonRows,
  cumulativePoints,
  formatLift,
  formatMetricValue,
  intervalDomain,
  srmSentence,
  verdictBanner,
  type ComparisonRow,
  type RowContext,
} from '../results/results';
import { dimensionLabel } from '../results/dimensions';

export function ExperimentResultsPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const dimension = params.get('dimension') ?? '';
  const session = useSession();
  const queryClient = useQueryClient();
  const experiment = useQuery({ queryKey: queryKeys.experiment(id), queryFn: () => api.getExperiment(id) });
  const results = useQuery({
    queryKey: queryKeys.results(id, dimension),
    queryFn: () => api.results(id, dimension || undefined),
    placeholderData: (previous) => previous,
  });
  const refresh = useMutation({
    mutationFn: () => api.refreshResults(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.resultsOf(id) }),
  });
  const noResults = isApiError(results.error) && results.error.status === 404;
  const title = experiment.data?.name ?? results.data?.experimentName ?? 'Experiment';

  return (
    <section className="page" aria-labelledby="results-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">
            <Link to={`/experiments/${id}`}>Experiment</Link> › Results
          </p>
          <h1 id="results-title">{title}</h1>
          {results.data ? (
            <p className="muted" data-testid="results-freshness">
              Data until {formatDateTime(results.data.dataUntil)} · computed{' '}
              {formatDateTime(results.data.computedAt)} (
              {results.data.trigger === 'manual' ? 'on request' : 'on schedule'}) ·{' '}
              {formatInt(results.data.units)} customers · {engineWords(results.data)}
            </p>
          ) : null}
        </div>
        <div className="page__actions">
          {session.can('results.refresh') ? (
            <button
              type="button"
              className="button"
              onClick={() => refresh.mutate()}
              disabled={refresh.isPending}
            >
              {refresh.isPending ? 'Computing…' : 'Refresh results'}
            </button>
          ) : null}
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </div>
      <ErrorNotice error={refresh.error} />
      {results.isPending ? <p role="status">Loading results…</p> : null}
      {noResults ? (
        <Notice tone="info" title="No results yet.">
          <p>
            Results are computed on a schedule once the experiment runs
            {session.can('results.refresh') ? ', or now with Refresh results' : ''}.
          </p>
        </Notice>
      ) : (
        <ErrorNotice error={results.error} />
      )}
      {results.data ? (
        <Results
          results={results.data}
          dimension={dimension}
          onDimension={(d) => setParams(d ? { dimension: d } : {}, { replace: true })}
          experimentId={id}
        />
      ) : null}
    </section>
  );
}

function engineWords(r: ExperimentResults): string {
  if (r.engine === 'bayesian')
    return `Bayesian analysis, decisions at ${formatPercent(1 - r.alpha)} chance to win`;
  const engine = r.engine === 'sequential' ? 'sequential (always valid)' : 'fixed-horizon';
  const correction = r.correction === 'holm' ? 'Holm' : 'Benjamini–Hochberg';
  return `${engine} analysis, α = ${r.alpha}, ${correction} correction`;
}

function Results({
  results,
  dimension,
  onDimension,
  experimentId,
}: {
  results: ExperimentResults;
  dimension: string;
  onDimension: (d: string) => void;
  experimentId: string;
}) {
  const context: RowContext = { engine: results.engine, alpha: results.alpha };
  const rows = useMemo(
    () => comparisonRows(results.metrics, { engine: results.engine, alpha: results.alpha }),
    [results],
  );
  const names = new Map(results.metrics.flatMap((m) => m.variants.map((v) => [v.key, v.name] as const)));
  const winnerName =
    results.verdict.variantKey === null ? null : (names.get(results.verdict.variantKey) ?? null);
  const banner = verdictBanner(results.verdict, winnerName);
  const breakdown = results.dimensions.find((d) => d.dimension === dimension);
  const otherWarnings = results.warnings.filter((w) => !(results.srm?.flagged && /ratio|split/i.test(w)));

  return (
    <>
      <Notice tone={banner.tone} title={banner.title}>
        <p data-testid="results-verdict">{results.verdict.reason}</p>
        {results.srm?.flagged ? <p data-testid="srm-banner">{srmSentence(results.srm, names)}</p> : null}
      </Notice>
      {otherWarnings.length > 0 ? (
        <Notice tone="warning" title="Read with care">
          <ul>
            {otherWarnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Notice>
      ) : null}

      <section className="card" aria-labelledby="metrics-title">
        <div className="card__header">
          <h2 id="metrics-title">Metrics</h2>
          <p className="muted">
            Each treated arm against {rows[0]?.controlName ?? 'the control'}. Intervals of corrected metrics
            are widened for the number of comparisons.
          </p>
        </div>
        <MetricTable rows={rows} engine={results.engine} withSentences testId="metric-table" />
        <IntervalKey />
      </section>

      <section className="card" aria-labelledby="breakdown-title">
        <div className="card__header">
          <h2 id="breakdown-title">By customer group</h2>
          <div className="toolbar">
            <label htmlFor="dimension">Break down by</label>
            <select id="dimension" value={dimension} onChange={(e) => onDimension(e.target.value)}>
              <option value="">No breakdown</option>
              {results.availableDimensions.map((d) => (
                <option key={d} value={d}>
                  {dimensionLabel(d)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {dimension === '' ? (
          <p className="muted">
            Choose a customer attribute to see the same comparisons for each of its values.
          </p>
        ) : breakdown ? (
          <>
            <Notice tone="warning" title="Many comparisons">
              <p data-testid="breakdown-caveat">{breakdown.caveat}</p>
            </Notice>
            {breakdown.values.map((v) => {
              const groupRows = comparisonRows(v.metrics, context);
              return (
                <div key={v.value} className="breakdown-group" data-testid={`group-${v.value}`}>
                  <h3>
                    {v.value} <span className="muted">· {formatInt(v.n)} customers</span>
                  </h3>
                  <MetricTable rows={groupRows} engine={results.engine} />
                </div>
              );
            })}
          </>
        ) : (
          <p role="status">Loading the breakdown…</p>
        )}
      </section>

      <CumulativeSection
        experimentId={experimentId}
        label={(metricKey, variantKey) =>
          `${results.metrics.find((m) => m.key === metricKey)?.name ?? metricKey} · ${names.get(variantKey) ?? variantKey}`
        }
      />
    </>
  );
}

function verdictTone(row: ComparisonRow): 'good' | 'bad' | 'neutral' {
  return row.verdict === 'better' ? 'good' : row.verdict === 'worse' ? 'bad' : 'neutral';
}

function MetricTable({
  rows,
  engine,
  withSentences = false,
  testId,
}: {
  rows: ComparisonRow[];
  engine: ExperimentResults['engine'];
  withSentences?: boolean;
  testId?: string;
}) {
  // One scale per table and per kind of lift, so bars compare within the table.
  const domains = {
    relative: intervalDomain(rows.filter((r) => r.scale === 'relative')),
    absolute: intervalDomain(rows.filter((r) => r.scale === 'absolute')),
  };
  const bayesian = engine === 'bayesian';
  if (rows.length === 0) return <p className="muted">No comparisons in this snapshot.</p>;
  return (
    <div className="table-scroll">
      <table className="table results-table" data-testid={testId}>
        <caption className="visually-hidden">Lift of each metric against the control</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Arm</th>
            <th scope="col" className="num">
              Control
            </th>
            <th scope="col" className="num">
              Arm
            </th>
            <th scope="col" className="num">
              Lift
            </th>
            <th scope="col">Interval</th>
            <th scope="col" className="num">
              {bayesian ? 'Chance to win' : 'p-value'}
            </th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        {rows.map((r) => {
          const lift = (v: number | null) => formatLift(r.scale, r.kind, v);
          const intervalText =
            r.lift === null
              ? 'no interval yet'
              : `${r.ciLevel === null ? '' : `${formatPercent(r.ciLevel, 1)} interval `}${lift(r.lower)} to ${lift(r.upper)}`;
          return (
            <tbody key={r.id} className="comparison" data-metric={r.metricKey} data-variant={r.variantKey}>
              <tr>
                <th scope="row">
                  {r.metricName}
                  {r.role ? <span className={`tag tag--${r.role}`}>{ROLE_LABEL[r.role]}</span> : null}
                  {r.cuped ? (
                    <span className="tag" title="Adjusted for the pre-period (CUPED)">
                      CUPED
                    </span>
                  ) : null}
                </th>
                <td>{r.variantName}</td>
                <td className="num">
                  {formatMetricValue(r.kind, r.controlMean)}
                  <span className="cell-sub">{formatInt(r.controlN)} cust.</span>
                </td>
                <td className="num">
                  {formatMetricValue(r.kind, r.variantMean)}
                  <span className="cell-sub">{formatInt(r.variantN)} cust.</span>
                </td>
                <td className="num" data-testid={`lift-${r.metricKey}-${r.variantKey}`}>
                  {lift(r.lift)}
                  <span className="cell-sub">
                    {r.lift === null ? '' : `${lift(r.lower)} to ${lift(r.upper)}`}
                  </span>
                </td>
                <td>
                  <IntervalBar
                    estimate={r.lift}
                    lower={r.lower}
                    upper={r.upper}
                    domain={domains[r.scale]}
                    tone={verdictTone(r)}
                    label={`${r.metricName}, ${r.variantName}: lift ${lift(r.lift)}, ${intervalText}`}
                  />
                </td>
                <td className="num">
                  {bayesian
                    ? r.chanceToWin === null
                      ? '—'
                      : formatPercent(r.chanceToWin, 1)
                    : formatPValue(r.pValue)}
                  {!bayesian && r.pAdjusted ? <span className="cell-sub">adjusted</span> : null}
                </td>
                <td>
                  {r.verdict ? (
                    <span className={`verdict verdict--${r.verdict}`}>
                      {verdictSymbol(r.verdict)} {COMPARISON_LABEL[r.verdict]}
                    </span>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
              {withSentences ? (
                <tr className="comparison__words">
                  <td colSpan={8}>
                    <span className="label">What this means: </span>
                    <span data-testid={`words-${r.metricKey}-${r.variantKey}`}>{r.sentence}</span>
                  </td>
                </tr>
              ) : null}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}

function verdictSymbol(v: NonNullable<ComparisonRow['verdict']>): string {
  return v === 'better' ? '▲' : v === 'worse' ? '▼' : v === 'blocked_by_srm' ? '✕' : '●';
}

type SeriesLabel = (metricKey: string, variantKey: string) => string;

function CumulativeSection({ experimentId, label }: { experimentId: string; label: SeriesLabel }) {
  const cumulative = useQuery({
    queryKey: queryKeys.cumulative(experimentId),
    queryFn: () => api.cumulativeResults(experimentId),
  });
  return (
    <section className="card" aria-labelledby="cumulative-title">
      <div className="card__header">
        <h2 id="cumulative-title">Lift over time</h2>
        <p className="muted">By day of entry, counting everyone who entered up to that day.</p>
      </div>
      <ErrorNotice
        error={isApiError(cumulative.error) && cumulative.error.status === 404 ? null : cumulative.error}
      />
      {cumulative.data ? <CumulativeChart data={cumulative.data} label={label} /> : null}
    </section>
  );
}

function CumulativeChart({ data, label }: { data: CumulativeResults; label: SeriesLabel }) {
  const [seriesIndex, setSeriesIndex] = useState(0);
  const [scale, setScale] = useState<'relative' | 'absolute'>('relative');
  const series = data.series[seriesIndex] ?? data.series[0];
  if (!series || series.points.length === 0) {
    return <p className="muted">No daily points yet.</p>;
  }
  const points = cumulativePoints(series, scale);
  const fmt = (v: number) => (scale === 'relative' ? formatPercent(v, 0) : v.toFixed(2));
  const last = points[points.length - 1];
  return (
    <>
      <div className="toolbar">
        <label htmlFor="cumulative-series">Metric</label>
        <select
          id="cumulative-series"
          value={seriesIndex}
          onChange={(e) => setSeriesIndex(Number(e.target.value))}
        >
          {data.series.map((s, i) => (
            <option key={`${s.metricKey}:${s.variantKey}`} value={i}>
              {label(s.metricKey, s.variantKey)}
            </option>
          ))}
        </select>
        <label htmlFor="cumulative-scale">Show</label>
        <select
          id="cumulative-scale"
          value={scale}
          onChange={(e) => setScale(e.target.value as 'relative' | 'absolute')}
        >
          <option value="relative">Relative lift (%)</option>
          <option value="absolute">Difference in metric units</option>
        </select>
      </div>
      <figure
        className="chart"
        aria-label={`Cumulative lift, ${label(series.metricKey, series.variantKey)}, day by day`}
        data-testid="cumulative-chart"
      >
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={points} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke={COLOURS.grid} />
            <XAxis
              dataKey="date"
              tick={AXIS_TICK}
              tickFormatter={(d: string) => formatDate(d)}
              minTickGap={24}
            />
            <YAxis tick={AXIS_TICK} tickFormatter={fmt} width={64} />
            <Tooltip
              formatter={(value, name) => {
                if (Array.isArray(value))
                  return [`${fmt(Number(value[0]))} to ${fmt(Number(value[1]))}`, name];
                return [fmt(Number(value)), name];
              }}
              labelFormatter={(d) => formatDate(String(d))}
            />
            <Legend />
            <ReferenceLine
              y={0}
              stroke={COLOURS.ink}
              strokeDasharray="4 3"
              label={{ value: 'no change', position: 'insideTopLeft', fontSize: 11 }}
            />
            <Area
              type="monotone"
              dataKey="band"
              name="Confidence interval"
              legendType="square"
              stroke={COLOURS.sky}
              strokeDasharray="4 3"
              fill={COLOURS.sky}
              fillOpacity={0.25}
              isAnimationActive={false}
              connectNulls
            />
            <Line
              type="monotone"
              dataKey="estimate"
              name="Cumulative lift"
              legendType="plainline"
              stroke={COLOURS.blue}
              strokeWidth={2.5}
              dot={{ r: 2 }}
              isAnimationActive={false}
              connectNulls
            />
          </ComposedChart>
        </ResponsiveContainer>
        <figcaption className="muted">
          Solid line: lift of everyone who entered up to that day. Shaded band with dashed edges: its
          interval.
          {last?.estimate !== null && last?.estimate !== undefined
            ? ` Latest: ${fmt(last.estimate)}${last.band ? ` (${fmt(last.band[0])} to ${fmt(last.band[1])})` : ''}.`
            : ''}{' '}
          A line that settles means the effect is stable; early swings are usually noise or novelty.
        </figcaption>
      </figure>
    </>
  );
}
