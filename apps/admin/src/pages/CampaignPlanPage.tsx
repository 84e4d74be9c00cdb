import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { api } from '../api/endpoints';
import { ApiError } from '../api/client';
import type { CampaignPlan, CampaignPlanRequest, RevenueStream } from '../api/types';
import { Field, GroupError } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { AXIS_TICK, COLOURS } from '../components/charts';
import { formatAmount, formatPercent, formatSignedPercent } from '../lib/format';
import type { FormErrors } from '../experiments/form';
import { CostLineForm } from '../campaigns/CostLineForm';
import {
  costLineTotal,
  defaultPlanForm,
  emptyCostForm,
  ruleFor,
  planField,
  toPlanRequest,
  type PlanForm,
} from '../campaigns/forms';
import { CATEGORY_LABEL, STREAM_LABEL, STREAMS } from '../campaigns/money';
import { readPlan, type LiftBar } from '../campaigns/plan';

type TextKey = {
  [K in keyof PlanForm]: PlanForm[K] extends string ? K : never;
}[keyof PlanForm];

export function CampaignPlanPage() {
  const [form, setForm] = useState<PlanForm>(defaultPlanForm);
  const [errors, setErrors] = useState<FormErrors>({});
  const [request, setRequest] = useState<CampaignPlanRequest | null>(() => {
    const mapped = toPlanRequest(defaultPlanForm());
    return mapped.ok ? mapped.request : null;
  });
  const [addingCost, setAddingCost] = useState(false);
  const plan = useQuery({
    queryKey: ['plan', request],
    queryFn: () => api.planCampaign(request as CampaignPlanRequest),
    enabled: request !== null,
    retry: false,
  });
  const serverErrors: FormErrors = {};
  if (plan.error instanceof ApiError) {
    for (const [path, rule] of Object.entries(plan.error.fieldErrorMap())) {
      const field = planField(path);
      serverErrors[field] ??= ruleFor(field, rule);
    }
  }
  const shown = { ...serverErrors, ...errors };

  function submit(event: FormEvent) {
    event.preventDefault();
    const mapped = toPlanRequest(form);
    if (!mapped.ok) {
      setErrors(mapped.errors);
      return;
    }
    setErrors({});
    setRequest(mapped.request);
  }

  const text = (key: TextKey, label: string, hint?: string) => (
    <Field id={`plan-${key}`} label={label} error={shown[key]} hint={hint}>
      {(p) => (
        <input
          {...p}
          inputMode="decimal"
          value={form[key]}
          onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
        />
      )}
    </Field>
  );

  return (
    <section className="page" aria-labelledby="plan-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">
            <Link to="/campaigns">Campaigns</Link>
          </p>
          <h1 id="plan-title">Plan a campaign</h1>
          <p className="muted">
            Before launch: what the campaign returns at an assumed lift, the lift it needs to pay back, and
            whether the holdout test can tell that lift from no effect at all.
          </p>
        </div>
      </div>
      <div className="form-layout">
        <form className="stack" onSubmit={submit} noValidate aria-label="Plan inputs">
          <fieldset className="card">
            <legend>Audience and test</legend>
            <div className="field-row">
              {text('audienceSize', 'Customers in the test', 'Holdout included.')}
              {text('holdoutPercent', 'Holdout share (%)')}
              {text(
                'dailyTraffic',
                'Eligible customers per day (optional)',
                'Turns audience sizes into days.',
              )}
            </div>
            <div className="field-row">
              {text('alphaPercent', 'False-positive rate α (%)')}
              {text('powerPercent', 'Power (%)')}
            </div>
          </fieldset>
          <fieldset className="card">
            <legend>Metric and assumed lift</legend>
            <div className="field">
              <span className="label" id="plan-metric-label">
                Revenue is measured as
              </span>
              <div className="segmented" role="radiogroup" aria-labelledby="plan-metric-label">
                <label>
                  <input
                    type="radio"
                    name="plan-metric"
                    checked={form.metricType === 'mean'}
                    onChange={() => setForm((f) => ({ ...f, metricType: 'mean' }))}
                  />
                  Revenue per customer
                </label>
                <label>
                  <input
                    type="radio"
                    name="plan-metric"
                    checked={form.metricType === 'proportion'}
                    onChange={() => setForm((f) => ({ ...f, metricType: 'proportion' }))}
                  />
                  Conversions × value
                </label>
              </div>
            </div>
            <div className="field-row">
              {form.metricType === 'mean' ? (
                <>
                  {text('baselineMean', 'Revenue per customer per month')}
                  {text('standardDeviation', 'Its standard deviation')}
                </>
              ) : (
                <>
                  {text('baselineRatePercent', 'Monthly conversion rate (%)')}
                  {text('valuePerConversion', 'Revenue per conversion')}
                </>
              )}
              {text('assumedLiftPercent', 'Assumed lift (%)')}
            </div>
            <div className="field-row">
              <Field id="plan-stream" label="Revenue stream" error={shown.stream}>
                {(p) => (
                  <select
                    {...p}
                    value={form.stream}
                    onChange={(e) => setForm((f) => ({ ...f, stream: e.target.value as RevenueStream }))}
                  >
                    {STREAMS.map((s) => (
                      <option key={s} value={s}>
                        {STREAM_LABEL[s]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {text('grossMarginPercent', 'Gross margin (%)')}
              {text('horizonMonths', 'Horizon (months)')}
              {text('discountPercent', 'Discount rate (% a year)')}
            </div>
          </fieldset>
          <fieldset className="card">
            <legend>Costs</legend>
            <GroupError id="plan-costs-error" error={shown.costs} />
            {form.costs.length > 0 ? (
              <ul className="plain cost-list">
                {form.costs.map((c, i) => (
                  <li key={`${c.label}-${i}`}>
                    <span>
                      <strong>{CATEGORY_LABEL[c.category]}</strong> · {c.label} ·{' '}
                      {formatAmount(costLineTotal(c))}
                    </span>
                    <button
                      type="button"
                      className="button button--small button--quiet"
                      onClick={() => setForm((f) => ({ ...f, costs: f.costs.filter((_, j) => j !== i) }))}
                    >
                      Remove <span className="visually-hidden">{c.label}</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
            {addingCost ? (
              <CostLineForm
                idPrefix="plan-cost"
                title="Add a planned cost"
                initial={emptyCostForm('media')}
                submitLabel="Add cost"
                onSubmit={(line) => {
                  setForm((f) => ({ ...f, costs: [...f.costs, line] }));
                  setAddingCost(false);
                  return Promise.resolve();
                }}
                onCancel={() => setAddingCost(false)}
              />
            ) : (
              <button type="button" className="button" onClick={() => setAddingCost(true)}>
                Add a planned cost
              </button>
            )}
          </fieldset>
          <div className="actions">
            <button type="submit" className="button button--primary">
              Work out the plan
            </button>
          </div>
        </form>
        <aside className="form-layout__aside">
          <ErrorNotice error={plan.error} shownFields={Object.keys(serverErrors)} />
          {plan.isFetching && !plan.data ? <p role="status">Working out the plan…</p> : null}
          {plan.data && request ? <PlanResult plan={plan.data} request={request} /> : null}
        </aside>
      </div>
    </section>
  );
}

function PlanResult({ plan, request }: { plan: CampaignPlan; request: CampaignPlanRequest }) {
  const reading = readPlan(plan, request);
  return (
    <section
      className="card power"
      aria-labelledby="plan-result-title"
      aria-live="polite"
      data-testid="plan-result"
    >
      <h2 id="plan-result-title">What-if return</h2>
      <dl className="stats">
        <div>
          <dt>ROI at {formatSignedPercent(request.assumedLift)}</dt>
          <dd data-testid="plan-roi">{formatSignedPercent(plan.whatIf.roi)}</dd>
        </div>
        <div>
          <dt>Net return</dt>
          <dd>{formatAmount(plan.whatIf.netPv)}</dd>
        </div>
        <div>
          <dt>Payback</dt>
          <dd>
            {plan.whatIf.paybackMonth === null ? 'Not within horizon' : `Month ${plan.whatIf.paybackMonth}`}
          </dd>
        </div>
      </dl>
      <p className="muted">
        {formatAmount(plan.whatIf.incrementalMarginPv)} of discounted margin from{' '}
        {plan.treatedCustomers.toLocaleString('en-GB')} treated customers against{' '}
        {formatAmount(plan.whatIf.costsPv)} of discounted costs.
      </p>
      <h2>Can the test prove it?</h2>
      <LiftChart bars={reading.bars} />
      <Notice tone={reading.canProve ? 'success' : 'warning'} title={reading.headline}>
        <p data-testid="plan-comparison">{reading.comparison}</p>
        {reading.proposals.length > 0 ? (
          <>
            <p>To prove payback:</p>
            <ul data-testid="plan-proposals">
              {reading.proposals.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </>
        ) : null}
      </Notice>
    </section>
  );
}

function LiftChart({ bars }: { bars: LiftBar[] }) {
  const data = bars.map((b) => ({
    ...b,
    plotted: b.value ?? 0,
    text: b.value === null ? 'not reachable' : formatSignedPercent(b.value, 2),
  }));
  const colour: Record<LiftBar['key'], string> = {
    assumed: COLOURS.sky,
    breakEven: COLOURS.orange,
    mde: COLOURS.blue,
  };
  return (
    <figure
      className="chart"
      aria-label="Assumed lift, break-even lift and the smallest lift the test detects"
    >
      <ResponsiveContainer width="100%" height={170}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 80, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={COLOURS.grid} horizontal={false} />
          <XAxis type="number" tick={AXIS_TICK} tickFormatter={(v: number) => formatPercent(v, 1)} />
          <YAxis type="category" dataKey="label" tick={AXIS_TICK} width={170} />
          <Bar dataKey="plotted" isAnimationActive={false}>
            {data.map((d) => (
              <Cell
                key={d.key}
                fill={colour[d.key]}
                stroke={COLOURS.ink}
                strokeDasharray={d.key === 'mde' ? '4 2' : undefined}
              />
            ))}
            <LabelList dataKey="text" position="right" fill={COLOURS.ink} fontSize={12} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted">
        When the break-even lift is smaller than the smallest detectable lift, a campaign that just pays back
        looks the same as one that does nothing.
      </figcaption>
    </figure>
  );
}
