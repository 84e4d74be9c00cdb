import { useQuery } from '@tanstack/react-query';
import { isApiError } from '../api/client';
import { ErrorNotice } from '../components/Notice';
import { formatAmount, formatInt, formatSignedPercent } from '../lib/format';
import { clvApi, clvKeys } from './api';

type Interval = { estimate: number; lower: number; upper: number };

function Roi({
  label,
  roi,
  testId,
  note,
}: {
  label: string;
  roi: Interval | null;
  testId: string;
  note?: string;
}) {
  return (
    <div className="stat" data-testid={testId}>
      <p className="eyebrow">{label}</p>
      <p className="headline-number">{roi ? formatSignedPercent(roi.estimate) : '—'}</p>
      <p className="muted">
        {roi
          ? `95% interval ${formatSignedPercent(roi.lower)} to ${formatSignedPercent(roi.upper)}`
          : (note ?? 'not available')}
      </p>
    </div>
  );
}

/**
 * The campaign's incremental LTV: treated minus control predicted CLV and revenue to date, and the projected
 * ROI they give beside the observed one. Self-contained: it fetches its own data and explains when it cannot.
 */
export function IncrementalLtvSection({ campaignId }: { campaignId: string }) {
  const ltv = useQuery({
    queryKey: clvKeys.incrementalLtv(campaignId),
    queryFn: () => clvApi.incrementalLtv(campaignId),
    retry: false,
  });
  const unavailable =
    isApiError(ltv.error) && (ltv.error.status === 412 || ltv.error.status === 403) ? ltv.error : null;
  return (
    <section className="card" aria-labelledby="incremental-ltv-title" data-testid="incremental-ltv">
      <h2 id="incremental-ltv-title">Incremental lifetime value</h2>
      {ltv.isPending ? <p role="status">Computing the incremental LTV…</p> : null}
      {unavailable ? <p data-testid="incremental-ltv-missing">{unavailable.detail}</p> : null}
      {ltv.error && !unavailable ? <ErrorNotice error={ltv.error} /> : null}
      {ltv.data ? (
        <>
          <p className="muted">
            Predicted CLV from the fit of {ltv.data.fittedAt.slice(0, 10)} over the {ltv.data.remainingMonths}{' '}
            months left of the {ltv.data.horizonMonths}-month horizon, discounted to launch at{' '}
            {(ltv.data.annualDiscountRate * 100).toFixed(1)}% a year, plus revenue since assignment;{' '}
            {formatInt(ltv.data.treated.customers)} treated vs {formatInt(ltv.data.control.customers)} in the
            control.
          </p>
          <div className="stats-row" style={{ display: 'flex', gap: '2rem', flexWrap: 'wrap' }}>
            <Roi label="Projected ROI (predicted CLV)" roi={ltv.data.projectedRoi} testId="projected-roi" />
            <Roi
              label="Observed ROI (results so far)"
              roi={ltv.data.observedRoi}
              testId="observed-roi"
              note={ltv.data.observedRoiNote ?? undefined}
            />
          </div>
          <table className="table">
            <caption>Per customer, treated minus control, with 95% Welch intervals</caption>
            <thead>
              <tr>
                <th scope="col">Value</th>
                <th scope="col">Treated</th>
                <th scope="col">Control</th>
                <th scope="col">Difference</th>
                <th scope="col">95% interval</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  [
                    'Predicted CLV',
                    ltv.data.treated.predictedClv,
                    ltv.data.control.predictedClv,
                    ltv.data.predictedClv,
                  ],
                  [
                    'Revenue to date',
                    ltv.data.treated.observedRevenue,
                    ltv.data.control.observedRevenue,
                    ltv.data.observedRevenue,
                  ],
                  ['Both', ltv.data.treated.total, ltv.data.control.total, ltv.data.total],
                ] as const
              ).map(([label, t, c, d]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{formatAmount(t)}</td>
                  <td>{formatAmount(c)}</td>
                  <td>{formatAmount(d.estimate)}</td>
                  <td>
                    {formatAmount(d.lower)} to {formatAmount(d.upper)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            Projected incremental margin {formatAmount(ltv.data.projectedIncrementalMargin.estimate)} (gross
            margin {(ltv.data.grossMargin * 100).toFixed(0)}%) against costs of{' '}
            {formatAmount(ltv.data.costsPv)}.
          </p>
        </>
      ) : null}
    </section>
  );
}
