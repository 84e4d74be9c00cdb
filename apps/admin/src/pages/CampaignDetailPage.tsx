import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api, queryKeys } from '../api/endpoints';
import { ApiError, isApiError } from '../api/client';
import type { Campaign, CampaignRoi, CostLine, CostLineInput, RoiBreakdown } from '../api/types';
import { useSession } from '../auth/session';
import { Field } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { IntervalBar } from '../components/charts';
import {
  formatAmount,
  formatDate,
  formatDateTime,
  formatInt,
  formatPercent,
  formatSignedPercent,
} from '../lib/format';
import { CostLineForm } from '../campaigns/CostLineForm';
import { PaybackChart, WaterfallChart } from '../campaigns/RoiCharts';
import { emptyCostForm, fromCostLine } from '../campaigns/forms';
import {
  CATEGORY_LABEL,
  STREAM_LABEL,
  VERDICT_VIEW,
  describeCostLine,
  paybackCurve,
  roiIntervalWords,
  waterfallSteps,
} from '../campaigns/money';
import { parseNumber, type FormErrors } from '../experiments/form';
import { VerdictBadge } from '../campaigns/VerdictBadge';
import { IncrementalLtvSection } from '../customer-value/IncrementalLtvSection';

export function CampaignDetailPage() {
  const { id = '' } = useParams();
  const campaign = useQuery({ queryKey: queryKeys.campaign(id), queryFn: () => api.getCampaign(id) });
  if (campaign.isPending) return <p role="status">Loading campaign…</p>;
  if (campaign.error) return <ErrorNotice error={campaign.error} />;
  return <CampaignDetail campaign={campaign.data} />;
}

function CampaignDetail({ campaign }: { campaign: Campaign }) {
  const session = useSession();
  const canWrite = session.can('campaigns.write');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [by, setBy] = useState<'' | 'segment' | 'cohort'>('');
  const roi = useQuery({
    queryKey: queryKeys.campaignRoi(campaign.id, by),
    queryFn: () => api.campaignRoi(campaign.id, by || undefined),
    placeholderData: (previous) => previous,
  });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.deleteCampaign(campaign.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.campaigns });
      void navigate('/campaigns');
    },
  });
  const notMeasurable = isApiError(roi.error) && roi.error.status === 412 ? roi.error : null;

  return (
    <section className="page" aria-labelledby="campaign-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">
            <Link to="/campaigns">Campaigns</Link> › program {campaign.programKey}
          </p>
          <h1 id="campaign-title">{campaign.name}</h1>
          <p className="muted">
            Measured by{' '}
            <Link to={`/experiments/${campaign.experimentId}/results`}>{campaign.experimentKey}</Link>
            {campaign.variantKey ? ` (arm ${campaign.variantKey})` : ''} · launched{' '}
            {formatDate(campaign.launchDate)} · {campaign.horizonMonths}-month horizon · discounted at{' '}
            {formatPercent(campaign.annualDiscountRate)} a year
          </p>
        </div>
        <div className="page__actions">
          {canWrite ? (
            <>
              <Link className="button" to={`/campaigns/${campaign.id}/edit`}>
                Edit terms
              </Link>
              <button type="button" className="button button--danger" onClick={() => setConfirmDelete(true)}>
                Delete
              </button>
            </>
          ) : null}
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </div>

      {confirmDelete ? (
        <div className="card confirm" role="alertdialog" aria-labelledby="delete-title">
          <h2 id="delete-title">Delete this campaign?</h2>
          <p>Its cost ledger goes with it. The experiment and its results stay.</p>
          <ErrorNotice error={remove.error} />
          <div className="actions">
            <button type="button" className="button button--danger" onClick={() => remove.mutate()}>
              Confirm delete
            </button>
            <button type="button" className="button button--quiet" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}

      {roi.isPending ? <p role="status">Computing the return…</p> : null}
      {notMeasurable ? (
        <Notice tone="info" title="No return to show yet">
          <p data-testid="roi-missing">{notMeasurable.detail}</p>
          {notMeasurable.fieldError('costs') && canWrite ? (
            <p>Add the campaign’s costs to the ledger below.</p>
          ) : null}
        </Notice>
      ) : (
        <ErrorNotice error={roi.error} />
      )}
      {roi.data && !notMeasurable ? <RoiPanels roi={roi.data} campaign={campaign} /> : null}

      <CostLedger campaign={campaign} canWrite={canWrite} />

      {roi.data && !notMeasurable ? (
        <section className="card" aria-labelledby="breakdown-title">
          <div className="card__header">
            <h2 id="breakdown-title">Return by customer group</h2>
            <div className="toolbar">
              <label htmlFor="roi-by">Break down by</label>
              <select id="roi-by" value={by} onChange={(e) => setBy(e.target.value as typeof by)}>
                <option value="">No breakdown</option>
                <option value="segment">Segment</option>
                <option value="cohort">Acquisition cohort</option>
              </select>
            </div>
          </div>
          {by && roi.data.breakdown ? (
            <Breakdown breakdown={roi.data.breakdown} level={roi.data.confidenceLevel} />
          ) : null}
          {by && !roi.data.breakdown ? <p role="status">Loading the breakdown…</p> : null}
          {!by ? <p className="muted">See which segments or cohorts pay for the campaign.</p> : null}
        </section>
      ) : null}

      {roi.data && !notMeasurable ? <Benchmark roi={roi.data} canWrite={canWrite} /> : null}
      <IncrementalLtvSection campaignId={campaign.id} />
    </section>
  );
}

function RoiPanels({ roi, campaign }: { roi: CampaignRoi; campaign: Campaign }) {
  const p = roi.projected;
  const view = VERDICT_VIEW[p.verdict];
  const steps = waterfallSteps(roi);
  const curve = paybackCurve(roi, campaign.costs);
  const roiDomain: [number, number] = [
    Math.min(0, p.roi.lower, roi.benchmark.targetRoi ?? 0) - 0.1 * Math.abs(p.roi.upper - p.roi.lower || 1),
    Math.max(0, p.roi.upper, roi.benchmark.targetRoi ?? 0) + 0.1 * Math.abs(p.roi.upper - p.roi.lower || 1),
  ];
  return (
    <>
      <section
        className={`card verdict-card verdict-card--${view.tone}`}
        aria-labelledby="verdict-title"
        data-testid="roi-verdict"
      >
        <div className="card__header">
          <h2 id="verdict-title">Return on investment</h2>
          <p className="muted">
            From the results of {formatDateTime(roi.snapshot.computedAt)} · {formatInt(roi.treatedCustomers)}{' '}
            treated, {formatInt(roi.holdoutCustomers)} in the holdout · {roi.observedMonths} of{' '}
            {roi.horizonMonths} months observed
          </p>
        </div>
        <div className="verdict-card__body">
          <div>
            <VerdictBadge verdict={p.verdict} testId="roi-verdict-label" />
            <p className="headline-number" data-testid="roi-estimate">
              {formatSignedPercent(p.roi.estimate)}
            </p>
            <p className="muted">ROI, discounted, lift carried to the end of the horizon</p>
          </div>
          <div className="verdict-card__interval">
            <IntervalBar
              estimate={p.roi.estimate}
              lower={p.roi.lower}
              upper={p.roi.upper}
              domain={roiDomain}
              tone={p.roi.lower > 0 ? 'good' : p.roi.upper < 0 ? 'bad' : 'neutral'}
              label={`ROI ${formatSignedPercent(p.roi.estimate)}, interval ${formatSignedPercent(p.roi.lower)} to ${formatSignedPercent(p.roi.upper)}; the dashed line is break-even`}
              width={320}
              height={30}
            />
            <p data-testid="roi-interval">
              {roiIntervalWords(p.roi, roi.confidenceLevel, (x) => formatSignedPercent(x))}
            </p>
            <p data-testid="roi-reason">
              <strong>{view.meaning}</strong> {p.reason}
            </p>
          </div>
        </div>
        {roi.srmFlagged ? (
          <Notice tone="error" title="The experiment’s split does not match its plan">
            <p>Fix the assignment before reading any return: the comparison with the holdout is not fair.</p>
          </Notice>
        ) : null}
        <dl className="stats">
          <div>
            <dt>Incremental margin</dt>
            <dd data-testid="roi-margin">{formatAmount(p.incrementalMarginPv.estimate)}</dd>
          </div>
          <div>
            <dt>Costs</dt>
            <dd data-testid="roi-costs">{formatAmount(roi.costs.pv)}</dd>
          </div>
          <div>
            <dt>Net return</dt>
            <dd data-testid="roi-net">{formatAmount(p.netPv.estimate)}</dd>
          </div>
          <div>
            <dt>Payback</dt>
            <dd data-testid="roi-payback">
              {p.paybackMonth === null ? 'Not within horizon' : `Month ${p.paybackMonth}`}
            </dd>
          </div>
          <div>
            <dt>Break-even</dt>
            <dd>
              {formatAmount(roi.breakEvenMarginPerCustomerPerMonth)}
              <span className="cell-sub">margin per treated customer per month</span>
            </dd>
          </div>
          {roi.ltvToCac ? (
            <div>
              <dt>LTV : CAC</dt>
              <dd>{roi.ltvToCac.ratio === null ? '—' : `${roi.ltvToCac.ratio.toFixed(1)} : 1`}</dd>
            </div>
          ) : null}
        </dl>
        <p className="muted">
          Observed months only (no projection): ROI {formatSignedPercent(roi.observed.roi.estimate)} (
          {formatSignedPercent(roi.observed.roi.lower)} to {formatSignedPercent(roi.observed.roi.upper)}),{' '}
          {VERDICT_VIEW[roi.observed.verdict].label.toLowerCase()}. Amounts are present values in the
          workspace currency; intervals at {formatPercent(roi.confidenceLevel)}.
        </p>
      </section>

      <div className="grid-2 grid-2--charts">
        <section className="card" aria-labelledby="waterfall-title">
          <h2 id="waterfall-title">Where the return comes from</h2>
          <WaterfallChart steps={steps} />
          <table className="table table--compact" data-testid="waterfall-table">
            <caption className="visually-hidden">The waterfall as numbers</caption>
            <tbody>
              {steps.map((s) => (
                <tr key={s.key} className={s.kind === 'net' ? 'row--total' : undefined}>
                  <th scope="row">{s.label}</th>
                  <td className="num">{formatAmount(s.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="payback-title">
          <h2 id="payback-title">Payback</h2>
          <PaybackChart curve={curve} paybackMonth={p.paybackMonth} />
          <p className="muted">
            Lift per treated customer per month:{' '}
            {roi.streams
              .map(
                (s) =>
                  `${STREAM_LABEL[s.stream]} ${formatAmount(s.monthly[0]?.estimate ?? 0)} (margin ${formatPercent(s.grossMargin, 0)})`,
              )
              .join('; ')}
            . Months after the last observed one carry its lift forward.
          </p>
        </section>
      </div>
    </>
  );
}

function CostLedger({ campaign, canWrite }: { campaign: Campaign; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.campaign(campaign.id) });
  const remove = useMutation({
    mutationFn: (costId: string) => api.removeCost(campaign.id, costId),
    onSuccess: refresh,
  });
  const total = campaign.costs.reduce((s, c) => s + c.total, 0);

  async function add(line: CostLineInput) {
    await api.addCost(campaign.id, line);
    await refresh();
    setFormKey((k) => k + 1);
    setAdding(false);
  }
  async function replace(costId: string, line: CostLineInput) {
    await api.replaceCost(campaign.id, costId, line);
    await refresh();
    setEditing(null);
  }

  return (
    <section className="card" aria-labelledby="ledger-title" data-testid="cost-ledger">
      <div className="card__header">
        <h2 id="ledger-title">Cost ledger</h2>
        {canWrite && !adding ? (
          <button type="button" className="button button--primary" onClick={() => setAdding(true)}>
            Add cost
          </button>
        ) : null}
      </div>
      <ErrorNotice error={remove.error} />
      {campaign.costs.length === 0 ? (
        <p className="empty">
          No costs recorded yet. A return can only be shown once the campaign’s costs are known.
        </p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Costs charged to the campaign</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Label</th>
              <th scope="col">How it is charged</th>
              <th scope="col" className="num">
                Total
              </th>
              {canWrite ? (
                <th scope="col" className="no-print">
                  Actions
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {campaign.costs.map((line: CostLine) =>
              editing === line.id ? (
                <tr key={line.id}>
                  <td colSpan={canWrite ? 5 : 4}>
                    <CostLineForm
                      idPrefix={`edit-${line.id}`}
                      title={`Edit ${line.label}`}
                      initial={fromCostLine(line)}
                      submitLabel="Save cost"
                      onSubmit={(l) => replace(line.id, l)}
                      onCancel={() => setEditing(null)}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={line.id} data-testid={`cost-${line.label}`}>
                  <td>{CATEGORY_LABEL[line.category]}</td>
                  <td>{line.label}</td>
                  <td>{describeCostLine(line, formatAmount)}</td>
                  <td className="num">{formatAmount(line.total)}</td>
                  {canWrite ? (
                    <td className="actions no-print">
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => setEditing(line.id)}
                      >
                        Edit <span className="visually-hidden">{line.label}</span>
                      </button>
                      <button
                        type="button"
                        className="button button--small button--danger"
                        onClick={() => remove.mutate(line.id)}
                        disabled={remove.isPending}
                      >
                        Remove <span className="visually-hidden">{line.label}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              ),
            )}
          </tbody>
          <tfoot>
            <tr className="row--total">
              <th scope="row" colSpan={3}>
                Total, before discounting
              </th>
              <td className="num" data-testid="ledger-total">
                {formatAmount(total)}
              </td>
              {canWrite ? <td className="no-print" /> : null}
            </tr>
          </tfoot>
        </table>
      )}
      {canWrite && adding ? (
        <div className="subcard">
          <h3>Add a cost</h3>
          <CostLineForm
            key={formKey}
            idPrefix="new-cost"
            title="Add a cost"
            initial={emptyCostForm('media')}
            submitLabel="Add to ledger"
            onSubmit={add}
            onCancel={() => setAdding(false)}
          />
        </div>
      ) : null}
    </section>
  );
}

function Breakdown({ breakdown, level }: { breakdown: RoiBreakdown; level: number }) {
  const values = breakdown.rows.flatMap((r) => [r.roi.lower, r.roi.upper]);
  const domain: [number, number] = [Math.min(0, ...values), Math.max(0, ...values)];
  const pad = (domain[1] - domain[0]) * 0.08 || 1;
  return (
    <>
      <Notice tone="warning" title="Many comparisons">
        <p>{breakdown.note}</p>
      </Notice>
      <table className="table" data-testid="roi-breakdown">
        <caption className="visually-hidden">ROI by {breakdown.by}</caption>
        <thead>
          <tr>
            <th scope="col">{breakdown.by === 'segment' ? 'Segment' : 'Cohort'}</th>
            <th scope="col" className="num">
              Treated
            </th>
            <th scope="col" className="num">
              Holdout
            </th>
            <th scope="col" className="num">
              Costs
            </th>
            <th scope="col" className="num">
              Margin
            </th>
            <th scope="col" className="num">
              ROI
            </th>
            <th scope="col">Interval ({formatPercent(level)})</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {breakdown.rows.map((r) => (
            <tr key={r.value} className={r.value === 'all customers' ? 'row--total' : undefined}>
              <th scope="row">{r.value}</th>
              <td className="num">{formatInt(r.treatedCustomers)}</td>
              <td className="num">{formatInt(r.holdoutCustomers)}</td>
              <td className="num">{formatAmount(r.costsPv)}</td>
              <td className="num">{formatAmount(r.incrementalMarginPv.estimate)}</td>
              <td className="num">{formatSignedPercent(r.roi.estimate)}</td>
              <td>
                <IntervalBar
                  estimate={r.roi.estimate}
                  lower={r.roi.lower}
                  upper={r.roi.upper}
                  domain={[domain[0] - pad, domain[1] + pad]}
                  tone={r.roi.lower > 0 ? 'good' : r.roi.upper < 0 ? 'bad' : 'neutral'}
                  label={`${r.value}: ROI ${formatSignedPercent(r.roi.estimate)}, ${formatSignedPercent(r.roi.lower)} to ${formatSignedPercent(r.roi.upper)}`}
                />
              </td>
              <td>
                <VerdictBadge verdict={r.verdict} small />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Benchmark({ roi, canWrite }: { roi: CampaignRoi; canWrite: boolean }) {
  const b = roi.benchmark;
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [target, setTarget] = useState(
    b.targetRoi === null ? '' : String(Math.round(b.targetRoi * 1000) / 10),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const program = useQuery({
    queryKey: queryKeys.programTargets(b.programKey),
    queryFn: () => api.programTargets(b.programKey),
  });
  const trend = program.data?.trend ?? [];
  const save = useMutation({
    // PUT replaces the program's targets: keep its sector reference as it is.
    mutationFn: async (targetRoi: number | null) => {
      const current = await api.programTargets(b.programKey);
      return api.setProgramTargets(b.programKey, {
        targetRoi,
        sectorReferenceRoi: current.sectorReferenceRoi,
        sectorReferenceSource: current.sectorReferenceSource,
      });
    },
    onSuccess: () => {
      setEditing(false);
      void queryClient.invalidateQueries({ queryKey: queryKeys.campaigns });
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(error.fieldErrorMap());
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const text = target.trim();
    if (text === '') return save.mutate(null);
    const n = parseNumber(text);
    if (Number.isNaN(n)) return setErrors({ targetRoi: 'type_number' });
    save.mutate(n / 100);
  }
  const versus = {
    above: 'above the target',
    below: 'below the target',
    inconclusive: 'not distinguishable from the target',
  };
  const prev = { better: 'better than', worse: 'worse than', inconclusive: 'not distinguishable from' };
  return (
    <section className="card" aria-labelledby="benchmark-title">
      <div className="card__header">
        <h2 id="benchmark-title">Against the program</h2>
        {canWrite && !editing ? (
          <button type="button" className="button button--small" onClick={() => setEditing(true)}>
            Set target ROI
          </button>
        ) : null}
      </div>
      <dl className="facts">
        <dt>Program</dt>
        <dd>
          {b.programKey}
          {b.quarter ? `, launched in ${b.quarter}` : ''}
        </dd>
        <dt>Target ROI</dt>
        <dd>
          {b.targetRoi === null ? 'None set' : formatSignedPercent(b.targetRoi)}
          {b.vsTarget ? ` — this campaign is ${versus[b.vsTarget]}` : ''}
        </dd>
        <dt>Previous quarter</dt>
        <dd>
          {b.previousQuarterRoi === null
            ? 'No measured campaigns in the program the quarter before'
            : `${formatSignedPercent(b.previousQuarterRoi)} pooled${b.vsPreviousQuarter ? ` — this campaign is ${prev[b.vsPreviousQuarter]} it` : ''}`}
        </dd>
        {b.sectorReferenceRoi !== null ? (
          <>
            <dt>Sector reference</dt>
            <dd>
              {formatSignedPercent(b.sectorReferenceRoi)}
              {program.data?.sectorReferenceSource ? ` (${program.data.sectorReferenceSource})` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {trend.length > 0 ? (
        <table className="table" aria-label={`${b.programKey} ROI by launch quarter`}>
          <caption>The program's pooled ROI by launch quarter</caption>
          <thead>
            <tr>
              <th scope="col">Quarter</th>
              <th scope="col">Campaigns</th>
              <th scope="col">Pooled ROI</th>
              <th scope="col">Against the target</th>
            </tr>
          </thead>
          <tbody>
            {trend.map((q) => (
              <tr key={q.quarter}>
                <th scope="row">{q.quarter}</th>
                <td>{q.campaigns}</td>
                <td>{q.pooledRoi === null ? 'Not measurable' : formatSignedPercent(q.pooledRoi)}</td>
                <td>
                  {q.pooledRoi === null || b.targetRoi === null
                    ? '—'
                    : q.pooledRoi >= b.targetRoi
                      ? 'At or above'
                      : 'Below'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing ? (
        <form className="field-row" onSubmit={submit} noValidate>
          <Field
            id="target-roi"
            label="Target ROI (%)"
            error={errors.targetRoi}
            hint="Leave empty to remove the target."
          >
            {(p) => (
              <input {...p} inputMode="decimal" value={target} onChange={(e) => setTarget(e.target.value)} />
            )}
          </Field>
          <div className="field--button actions">
            <button type="submit" className="button button--primary" disabled={save.isPending}>
              Save target
            </button>
            <button type="button" className="button button--quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
