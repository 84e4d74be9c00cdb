import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { LiftEstimate, SequenceResults } from '@liftlab/contracts';
import { useSession } from '../auth/session';
import { IntervalBar, IntervalKey } from '../components/charts';
import { ErrorNotice, Notice } from '../components/Notice';
import {
  formatAmount,
  formatDateTime,
  formatInt,
  formatPercent,
  formatSigned,
  pStatement,
} from '../lib/format';
import { sequencesApi, sequenceKeys } from '../sequences/api';
import '../sequences/sequences.css';
import { FunnelChart, ReactivationChart } from '../sequences/ResultsCharts';
import {
  FUNNEL_LABEL,
  FUNNEL_STEPS,
  funnelRows,
  intervalDomain,
  liftTone,
  reactivationSentence,
} from '../sequences/results';

export function SequenceResultsPage() {
  const { id = '' } = useParams();
  const results = useQuery({ queryKey: sequenceKeys.results(id), queryFn: () => sequencesApi.results(id) });
  if (results.isPending) return <p role="status">Computing results…</p>;
  if (results.error) return <ErrorNotice error={results.error} />;
  return <Results results={results.data} />;
}

function rate(x: number | null): string {
  return x === null ? '—' : formatPercent(x);
}

function LiftRow({
  label,
  lift,
  format,
  testId,
}: {
  label: string;
  lift: LiftEstimate | null;
  format: (n: number) => string;
  testId: string;
}) {
  if (!lift) {
    return (
      <tr>
        <th scope="row">{label}</th>
        <td colSpan={4}>Not measurable yet</td>
      </tr>
    );
  }
  const interval = `${format(lift.ci[0])} to ${format(lift.ci[1])}`;
  return (
    <tr data-testid={testId}>
      <th scope="row">{label}</th>
      <td className="num">{format(lift.estimate)}</td>
      <td>{interval}</td>
      <td>
        <IntervalBar
          estimate={lift.estimate}
          lower={lift.ci[0]}
          upper={lift.ci[1]}
          domain={intervalDomain(lift)}
          tone={liftTone(lift)}
          label={`${label}: ${format(lift.estimate)}, interval ${interval}`}
        />
      </td>
      <td>{pStatement(lift.pValue)}</td>
    </tr>
  );
}

function Results({ results: r }: { results: SequenceResults }) {
  const session = useSession();
  const rows = funnelRows(r.funnel);
  const re = r.reactivation;
  const level = formatPercent(1 - r.alpha, 0);
  const points = (x: number) => `${formatSigned(x * 100, 1)} pts`;
  return (
    <section className="page" aria-labelledby="results-title">
      <p>
        <Link to={`/sequences/${r.sequenceId}`}>← {r.name}</Link>
      </p>
      <div className="page__header">
        <div>
          <p className="eyebrow">Sequence results</p>
          <h1 id="results-title">{r.name}</h1>
          <p className="muted">
            Both arms measured from enrollment over {r.measurementDays} days; computed{' '}
            {formatDateTime(r.computedAt)}.
          </p>
        </div>
      </div>

      <section className="card" aria-labelledby="reactivation-title">
        <h2 id="reactivation-title">Reactivation: treated vs holdout</h2>
        <p className="lead" data-testid="reactivation-sentence">
          {reactivationSentence(r)}
        </p>
        <dl className="stats">
          <div>
            <dt>Treated enrolled</dt>
            <dd>{formatInt(r.enrollments.treated)}</dd>
          </div>
          <div>
            <dt>Holdout enrolled</dt>
            <dd>{formatInt(r.enrollments.holdout)}</dd>
          </div>
          <div>
            <dt>Still in their window</dt>
            <dd>{formatInt(r.enrollments.inWindow)}</dd>
          </div>
        </dl>
        <div className="grid-2">
          {re.treated.n + re.holdout.n > 0 ? (
            <ReactivationChart reactivation={re} />
          ) : (
            <p className="empty">
              The chart appears once enrollments have finished their measurement window.
            </p>
          )}
          <div>
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">Arm</th>
                  <th scope="col">Measured</th>
                  <th scope="col">Reactivated</th>
                  <th scope="col">Rate</th>
                  <th scope="col">Revenue per customer</th>
                </tr>
              </thead>
              <tbody>
                {(['treated', 'holdout'] as const).map((arm) => (
                  <tr key={arm} data-testid={`arm-${arm}`}>
                    <th scope="row">{arm === 'treated' ? 'Treated' : 'Holdout'}</th>
                    <td className="num">{formatInt(re[arm].n)}</td>
                    <td className="num">{formatInt(re[arm].reactivated)}</td>
                    <td className="num">{rate(re[arm].rate)}</td>
                    <td className="num">{formatAmount(re[arm].revenuePerCustomer)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <table className="table" data-testid="lift-table">
          <caption className="visually-hidden">Incremental effect with {level} intervals</caption>
          <thead>
            <tr>
              <th scope="col">Effect</th>
              <th scope="col">Estimate</th>
              <th scope="col">{level} interval</th>
              <th scope="col">Interval</th>
              <th scope="col">p-value</th>
            </tr>
          </thead>
          <tbody>
            <LiftRow
              label="Reactivation lift"
              lift={re.absoluteLift}
              format={points}
              testId="lift-absolute"
            />
            <LiftRow
              label="Relative lift"
              lift={re.relativeLift}
              format={(x) => `${formatSigned(x * 100, 1)}%`}
              testId="lift-relative"
            />
            <LiftRow
              label="Incremental reactivated customers"
              lift={re.incrementalReactivated}
              format={(x) => formatSigned(x, 0)}
              testId="lift-customers"
            />
            <LiftRow
              label="Incremental revenue"
              lift={re.incrementalRevenue}
              format={(x) => (x < 0 ? `−${formatAmount(-x)}` : `+${formatAmount(x)}`)}
              testId="lift-revenue"
            />
          </tbody>
        </table>
        <IntervalKey />
      </section>

      <section className="card" aria-labelledby="funnel-title">
        <h2 id="funnel-title">Funnel per touch</h2>
        {rows.length === 0 ? (
          <p className="empty">No touch yet.</p>
        ) : (
          <>
            <FunnelChart rows={rows} />
            <table className="table" data-testid="funnel-table">
              <thead>
                <tr>
                  <th scope="col">Touch</th>
                  <th scope="col">Reached</th>
                  {FUNNEL_STEPS.map((s) => (
                    <th scope="col" key={s}>
                      {FUNNEL_LABEL[s]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.flatMap((row) => [
                  <tr key={row.touchId}>
                    <th scope="row">{row.label}</th>
                    <td className="num">{rate(row.reach)}</td>
                    {FUNNEL_STEPS.map((s) => (
                      <td className="num" key={s}>
                        {formatInt(row.counts[s])}
                        {s !== 'sent' && row.rates[s] !== null ? (
                          <div className="cell-sub">{rate(row.rates[s])}</div>
                        ) : null}
                      </td>
                    ))}
                  </tr>,
                  ...row.variants.map((v) => (
                    <tr key={`${row.touchId}-${v.variant}`} className="row--muted">
                      <th scope="row" className="cell-sub">
                        variant {v.variant}
                      </th>
                      <td />
                      {FUNNEL_STEPS.map((s) => (
                        <td className="num" key={s}>
                          {formatInt(v.counts[s])}
                          {s !== 'sent' && v.rates[s] !== null ? (
                            <div className="cell-sub">{rate(v.rates[s])}</div>
                          ) : null}
                        </td>
                      ))}
                    </tr>
                  )),
                ])}
              </tbody>
            </table>
            <p className="muted">
              Reached: messages written for the touch per treated enrollment. Rates are of messages sent.
            </p>
          </>
        )}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="spend-title">
          <h2 id="spend-title">Spend and campaign</h2>
          {r.campaign ? (
            <>
              <p>
                Measured in campaign <strong>{r.campaign.name}</strong>
                {r.campaign.verdict ? ` (verdict: ${r.campaign.verdict})` : ''}.
              </p>
              {session.can('campaigns.read') ? (
                <p>
                  <Link className="button" to={`/campaigns/${r.campaign.id}`} data-testid="campaign-link">
                    Open the campaign and its ROI
                  </Link>
                </p>
              ) : null}
            </>
          ) : (
            <Notice tone="info" title="No campaign wraps this sequence yet.">
              <p>
                Create a campaign on its holdout experiment to record costs and see the discounted ROI.
                {r.experimentId && session.can('campaigns.write') ? (
                  <>
                    {' '}
                    <Link to="/campaigns/new">New campaign</Link>
                  </>
                ) : null}
              </p>
            </Notice>
          )}
          <dl className="facts">
            <dt>Total spend</dt>
            <dd>{formatAmount(r.spend.total)}</dd>
            <dt>Per reactivated customer</dt>
            <dd>{formatAmount(r.spend.perReactivated)}</dd>
            <dt>Per incremental reactivation</dt>
            <dd>{formatAmount(r.spend.perIncrementalReactivated)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="offers-title">
          <h2 id="offers-title">Offer adoption</h2>
          {r.offers.length === 0 ? (
            <p className="empty">No touch carries an offer.</p>
          ) : (
            <table className="table table--compact" data-testid="offer-table">
              <thead>
                <tr>
                  <th scope="col">Offer</th>
                  <th scope="col">Offered</th>
                  <th scope="col">Redeemed</th>
                  <th scope="col">Adoption</th>
                </tr>
              </thead>
              <tbody>
                {r.offers.map((o) => (
                  <tr key={o.offerId}>
                    <th scope="row">
                      {o.name} <span className="cell-sub mono">{o.key}</span>
                    </th>
                    <td className="num">{formatInt(o.offered)}</td>
                    <td className="num">{formatInt(o.redeemed)}</td>
                    <td className="num">{rate(o.adoption)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="survey-title">
        <h2 id="survey-title">Survey reasons</h2>
        {r.surveys.length === 0 || r.surveys.every((s) => s.responses === 0) ? (
          <p className="empty">No survey answer from this sequence’s customers yet.</p>
        ) : (
          r.surveys.map((s) => (
            <div key={s.surveyId}>
              <h3>
                {s.title} <span className="muted">({formatInt(s.responses)} responses)</span>
              </h3>
              {s.questions.map((q) => (
                <div key={q.id}>
                  <p>
                    <strong>{q.prompt}</strong>{' '}
                    <span className="muted">{formatInt(q.answered)} answered</span>
                  </p>
                  {q.options ? (
                    <table className="table table--compact">
                      <tbody>
                        {[...q.options]
                          .sort((a, b) => b.count - a.count)
                          .map((o) => (
                            <tr key={o.id}>
                              <th scope="row">{o.label}</th>
                              <td className="num">{formatInt(o.count)}</td>
                              <td className="num">{formatPercent(o.share)}</td>
                            </tr>
                          ))}
                      </tbody>
                    </table>
                  ) : null}
                  {q.textAnswers && q.textAnswers.length > 0 ? (
                    <ul>
                      {q.textAnswers.slice(0, 10).map((t, i) => (
                        <li key={i}>“{t.text}”</li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              ))}
            </div>
          ))
        )}
      </section>
    </section>
  );
}
