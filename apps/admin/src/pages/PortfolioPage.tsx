import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { api, portfolioExportUrl, queryKeys } from '../api/endpoints';
import { isApiError } from '../api/client';
import type { Portfolio, PortfolioCampaign } from '../api/types';
import { ErrorNotice, Notice } from '../components/Notice';
import { AXIS_TICK, ChartPatterns, COLOURS, IntervalBar } from '../components/charts';
import { RecommendationBadge, VerdictBadge } from '../campaigns/VerdictBadge';
import { VERDICT_VIEW } from '../campaigns/money';
import { formatAmount, formatDate, formatDateTime, formatSignedPercent } from '../lib/format';
import {
  actionLists,
  distributionBars,
  headline,
  periodWords,
  quarterOptions,
  trendLines,
} from '../reports/portfolio';
import type { RoiVerdict } from '../api/types';

const VERDICT_ORDER: RoiVerdict[] = ['proven', 'incremental_not_profitable', 'unproven', 'blocked_by_srm'];

export function PortfolioPage() {
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const options = useMemo(() => quarterOptions(new Date()), []);
  const period = from && to ? { from, to } : {};
  const portfolio = useQuery({
    queryKey: queryKeys.portfolio(from, to),
    queryFn: () => api.portfolio(period),
    placeholderData: (previous) => previous,
  });
  const selected = options.find((o) => o.from === from && o.to === to);
  const shownPeriod = portfolio.data?.period;

  return (
    <section className="page portfolio" aria-labelledby="portfolio-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">Executive portfolio</p>
          <h1 id="portfolio-title">Campaign portfolio</h1>
          {shownPeriod ? (
            <p className="muted" data-testid="portfolio-period">
              Campaigns launched {periodWords(shownPeriod)}, compared with{' '}
              {portfolio.data ? periodWords(portfolio.data.previousPeriod) : ''}
            </p>
          ) : null}
        </div>
        <div className="page__actions">
          <label htmlFor="portfolio-period" className="label">
            Period
          </label>
          <select
            id="portfolio-period"
            value={selected ? `${selected.from}/${selected.to}` : from || to ? 'custom' : ''}
            onChange={(e) => {
              const [f, t] = e.target.value.split('/');
              setParams(f && t ? { from: f, to: t } : {}, { replace: true });
            }}
          >
            <option value="">This quarter</option>
            {options.map((o) => (
              <option key={o.from} value={`${o.from}/${o.to}`}>
                {o.label}
              </option>
            ))}
            {!selected && (from || to) ? <option value="custom">{`${from} – ${to}`}</option> : null}
          </select>
          <a
            className="button"
            href={portfolioExportUrl(shownPeriod ?? {}, 'csv')}
            download
            data-testid="portfolio-csv"
          >
            Download CSV
          </a>
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </div>
      <ErrorNotice error={portfolio.error} />
      {portfolio.isPending ? <p role="status">Loading the portfolio…</p> : null}
      {portfolio.data ? <PortfolioBody p={portfolio.data} /> : null}
      <GlobalHoldoutCard />
    </section>
  );
}

function PortfolioBody({ p }: { p: Portfolio }) {
  const lists = actionLists(p);
  const trend = trendLines(p);
  const roiValues = p.campaigns.flatMap((c) => (c.roi ? [c.roi.lower, c.roi.upper] : []));
  const lo = Math.min(0, ...roiValues);
  const hi = Math.max(0, ...roiValues);
  const pad = (hi - lo) * 0.08 || 0.5;
  const domain: [number, number] = [lo - pad, hi + pad];
  return (
    <>
      <p className="lead" data-testid="portfolio-headline">
        {headline(p)}
      </p>
      <dl className="stats stats--cards">
        <div>
          <dt>Proven incremental margin</dt>
          <dd data-testid="proven-margin">{formatAmount(p.totals.provenIncrementalMarginPvShrunk)}</dd>
          <span className="cell-sub">
            after shrinkage; {formatAmount(p.totals.provenIncrementalMarginPv)} as measured
          </span>
        </div>
        <div>
          <dt>Pooled ROI</dt>
          <dd data-testid="pooled-roi">
            {p.totals.pooledRoi === null ? '—' : formatSignedPercent(p.totals.pooledRoi)}
          </dd>
          <span className="cell-sub">all measured campaigns</span>
        </div>
        <div>
          <dt>Costs</dt>
          <dd>{formatAmount(p.totals.costsPv)}</dd>
          <span className="cell-sub">discounted</span>
        </div>
        <div>
          <dt>Measured</dt>
          <dd>
            {p.totals.measurable} / {p.totals.campaigns}
          </dd>
          <span className="cell-sub">campaigns</span>
        </div>
      </dl>
      <ul className="plain verdict-counts" aria-label="Campaigns by verdict">
        {VERDICT_ORDER.map((v) => (
          <li key={v}>
            <VerdictBadge verdict={v} small /> <strong>{p.totals.byVerdict[v] ?? 0}</strong>
          </li>
        ))}
      </ul>

      <div className="grid-2">
        <section className="card card--scale" aria-labelledby="scale-title">
          <h2 id="scale-title">▲ Scale</h2>
          <ActionList
            campaigns={lists.scale}
            empty="No campaign has proven, on-target returns yet."
            testId="scale-list"
          />
        </section>
        <section className="card card--stop" aria-labelledby="stop-title">
          <h2 id="stop-title">■ Stop</h2>
          <ActionList
            campaigns={lists.stop}
            empty="No campaign loses money even at the optimistic end of its interval."
            testId="stop-list"
          />
        </section>
      </div>

      <div className="grid-2">
        <section className="card" aria-labelledby="distribution-title">
          <h2 id="distribution-title">ROI distribution</h2>
          <DistributionChart p={p} />
        </section>
        <section className="card" aria-labelledby="trend-title">
          <h2 id="trend-title">Trend against the previous period</h2>
          <table className="table table--compact" data-testid="trend-table">
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col" className="num">
                  This period
                </th>
                <th scope="col" className="num">
                  Previous
                </th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {trend.map((t) => (
                <tr key={t.label}>
                  <th scope="row">{t.label}</th>
                  <td className="num">{t.current}</td>
                  <td className="num">{t.previous}</td>
                  <td>
                    <span aria-hidden="true">
                      {t.direction === 'up'
                        ? '▲ '
                        : t.direction === 'down'
                          ? '▼ '
                          : t.direction === 'flat'
                            ? '● '
                            : ''}
                    </span>
                    {t.change}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {p.shrinkage.priorMean === null
              ? `Shrinkage needs at least three measured campaigns (this period has ${p.totals.measurable}), so returns are shown as measured.`
              : `Each ROI is pulled toward the portfolio mean (${formatSignedPercent(p.shrinkage.priorMean)}) in proportion to its uncertainty, so lucky estimates do not inflate the total.`}
          </p>
        </section>
      </div>

      <section className="card" aria-labelledby="portfolio-campaigns-title">
        <h2 id="portfolio-campaigns-title">All campaigns in the period</h2>
        {p.campaigns.length === 0 ? (
          <p className="empty">No campaign launched in this period.</p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="portfolio-table">
              <caption className="visually-hidden">Campaigns with their return and recommendation</caption>
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">Launched</th>
                  <th scope="col">Verdict</th>
                  <th scope="col" className="num">
                    ROI
                  </th>
                  <th scope="col">Interval</th>
                  <th scope="col" className="num">
                    Margin
                  </th>
                  <th scope="col" className="num">
                    Costs
                  </th>
                  <th scope="col" className="num">
                    Net
                  </th>
                  <th scope="col">Do</th>
                </tr>
              </thead>
              <tbody>
                {p.campaigns.map((c) => (
                  <tr key={c.id} data-testid={`portfolio-row-${c.key}`}>
                    <th scope="row">
                      <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                      <div className="muted">{c.programKey}</div>
                    </th>
                    <td>{formatDate(c.launchDate)}</td>
                    <td>
                      {c.verdict ? (
                        <VerdictBadge verdict={c.verdict} small />
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="num">
                      {c.roi ? formatSignedPercent(c.roi.estimate) : '—'}
                      {c.shrunkRoi !== null && c.roi && Math.abs(c.shrunkRoi - c.roi.estimate) > 1e-9 ? (
                        <span className="cell-sub">{formatSignedPercent(c.shrunkRoi)} shrunk</span>
                      ) : null}
                    </td>
                    <td>
                      {c.roi ? (
                        <IntervalBar
                          estimate={c.roi.estimate}
                          lower={c.roi.lower}
                          upper={c.roi.upper}
                          domain={domain}
                          tone={c.roi.lower > 0 ? 'good' : c.roi.upper < 0 ? 'bad' : 'neutral'}
                          label={`${c.name}: ROI ${formatSignedPercent(c.roi.estimate)}, ${formatSignedPercent(c.roi.lower)} to ${formatSignedPercent(c.roi.upper)}`}
                          width={150}
                        />
                      ) : (
                        <span className="muted">{c.reason}</span>
                      )}
                    </td>
                    <td className="num">{formatAmount(c.incrementalMarginPv)}</td>
                    <td className="num">{formatAmount(c.costsPv)}</td>
                    <td className="num">{formatAmount(c.netPv)}</td>
                    <td>
                      <RecommendationBadge recommendation={c.recommendation} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted print-only">
          Generated {formatDateTime(p.generatedAt)}. Amounts are present values in the workspace currency.
        </p>
      </section>
    </>
  );
}

function ActionList({
  campaigns,
  empty,
  testId,
}: {
  campaigns: PortfolioCampaign[];
  empty: string;
  testId: string;
}) {
  if (campaigns.length === 0)
    return (
      <p className="muted" data-testid={testId}>
        {empty}
      </p>
    );
  return (
    <ul className="action-list" data-testid={testId}>
      {campaigns.map((c) => (
        <li key={c.id}>
          <Link to={`/campaigns/${c.id}`}>{c.name}</Link>{' '}
          {c.roi ? <span className="mono">ROI {formatSignedPercent(c.roi.estimate)}</span> : null}
          {c.verdict ? <span className="muted"> · {VERDICT_VIEW[c.verdict].label}</span> : null}
          <div className="muted">{c.reason}</div>
        </li>
      ))}
    </ul>
  );
}

function DistributionChart({ p }: { p: Portfolio }) {
  const data = distributionBars(p.distribution);
  const d = p.distribution;
  if (d.count === 0) return <p className="muted">No measured campaign in this period.</p>;
  return (
    <figure
      className="chart"
      aria-label="Number of measured campaigns per ROI band"
      data-testid="roi-distribution"
    >
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 20, right: 8, bottom: 8, left: 16 }}>
          <ChartPatterns id="distribution" />
          <CartesianGrid strokeDasharray="3 3" stroke={COLOURS.grid} vertical={false} />
          <XAxis dataKey="label" tick={AXIS_TICK} interval={0} angle={-25} textAnchor="end" height={56} />
          <YAxis allowDecimals={false} tick={AXIS_TICK} width={32} />
          <Bar dataKey="count" isAnimationActive={false}>
            {data.map((b) => (
              <Cell
                key={b.label}
                fill={b.losing ? 'url(#distribution-hatch)' : COLOURS.green}
                stroke={b.losing ? COLOURS.vermillion : COLOURS.green}
              />
            ))}
            <LabelList dataKey="count" position="top" fill={COLOURS.ink} fontSize={12} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted">
        Hatched bars lose money, solid bars earn it. Median ROI{' '}
        {d.median === null ? '—' : formatSignedPercent(d.median)}, middle half{' '}
        {d.q1 === null || d.q3 === null
          ? '—'
          : `${formatSignedPercent(d.q1)} to ${formatSignedPercent(d.q3)}`}
        , range{' '}
        {d.min === null || d.max === null
          ? '—'
          : `${formatSignedPercent(d.min)} to ${formatSignedPercent(d.max)}`}
        .
      </figcaption>
    </figure>
  );
}

function GlobalHoldoutCard() {
  const report = useQuery({
    queryKey: queryKeys.globalHoldout,
    queryFn: () => api.globalHoldoutReport(),
    retry: false,
  });
  if (isApiError(report.error) && report.error.status === 404) return null;
  if (report.error) return <ErrorNotice error={report.error} />;
  if (!report.data) return null;
  const r = report.data;
  return (
    <section className="card" aria-labelledby="global-holdout-title">
      <h2 id="global-holdout-title">All retention work against the global holdout</h2>
      <Notice tone={r.verdict.status === 'blocked_by_srm' ? 'error' : 'info'}>
        <p>{r.verdict.reason}</p>
      </Notice>
      <ul className="plain">
        {r.metrics.map((m) => {
          const treated = m.variants.find((v) => !v.isControl);
          const effect = treated?.relative ?? null;
          return (
            <li key={m.key}>
              <strong>{m.name}</strong>:{' '}
              {effect
                ? `${formatSignedPercent(effect.estimate)} (${formatSignedPercent(effect.ci[0])} to ${formatSignedPercent(effect.ci[1])})`
                : (m.note ?? 'no comparison yet')}
            </li>
          );
        })}
      </ul>
      <p className="muted">Data until {formatDateTime(r.dataUntil)}.</p>
    </section>
  );
}
