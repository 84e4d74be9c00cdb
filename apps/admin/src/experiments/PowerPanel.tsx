import { useEffect, useMemo, useState } from 'react';
import { Field } from '../components/Field';
import { formatDuration, formatInt, formatPercent } from '../lib/format';
import { defaultPowerForm, planPower, type PowerForm } from './power';
import { ruleMessage } from '../api/rules';

interface PowerPanelProps {
  /** Traffic weights, control first. */
  armWeights: number[];
  /** Names of the arms in the same order. */
  armNames: string[];
  /** Share of eligible customers who enter (coverage × namespace range). */
  enrollmentShare: number;
  /** Pre-selects the always-valid plan when the experiment is analysed sequentially. */
  sequentialEngine: boolean;
}

/**
 * Sample size and duration for the minimum detectable effect, for the split the form describes, compared with an
 * even split. Recomputed on every keystroke: the calculation takes microseconds.
 */
export function PowerPanel({ armWeights, armNames, enrollmentShare, sequentialEngine }: PowerPanelProps) {
  const [form, setForm] = useState<PowerForm>(() => defaultPowerForm(sequentialEngine));
  useEffect(() => {
    setForm((f) => ({ ...f, sequential: sequentialEngine }));
  }, [sequentialEngine]);
  const outcome = useMemo(
    () => planPower(form, armWeights, enrollmentShare),
    [form, armWeights, enrollmentShare],
  );
  const errors = outcome.ok ? {} : outcome.errors;
  const set = <K extends keyof PowerForm>(key: K, value: PowerForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  return (
    <section className="card power" aria-labelledby="power-title">
      <h2 id="power-title">Power calculator</h2>
      <p className="muted">
        How many customers, and how many days, until a real lift of this size would show up as significant.
      </p>
      <fieldset className="power__inputs">
        <legend className="visually-hidden">Plan inputs</legend>
        <div className="field">
          <span className="label" id="power-metric-label">
            Primary metric
          </span>
          <div className="segmented" role="radiogroup" aria-labelledby="power-metric-label">
            <label>
              <input
                type="radio"
                name="power-metric"
                checked={form.metricType === 'proportion'}
                onChange={() => set('metricType', 'proportion')}
              />
              Conversion rate
            </label>
            <label>
              <input
                type="radio"
                name="power-metric"
                checked={form.metricType === 'mean'}
                onChange={() => set('metricType', 'mean')}
              />
              Mean (revenue, orders)
            </label>
          </div>
        </div>
        {form.metricType === 'proportion' ? (
          <Field
            id="power-baseline-rate"
            label="Baseline conversion (%)"
            error={errors.baselineRatePercent}
            hint="Rate in the holdout, e.g. 5 for 5%."
          >
            {(p) => (
              <input
                {...p}
                inputMode="decimal"
                value={form.baselineRatePercent}
                onChange={(e) => set('baselineRatePercent', e.target.value)}
              />
            )}
          </Field>
        ) : (
          <div className="field-row">
            <Field id="power-baseline-mean" label="Baseline mean" error={errors.baselineMean}>
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={form.baselineMean}
                  onChange={(e) => set('baselineMean', e.target.value)}
                />
              )}
            </Field>
            <Field id="power-sd" label="Standard deviation" error={errors.standardDeviation}>
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={form.standardDeviation}
                  onChange={(e) => set('standardDeviation', e.target.value)}
                />
              )}
            </Field>
          </div>
        )}
        <Field
          id="power-lift"
          label="Minimum detectable lift (%)"
          error={errors.liftPercent}
          hint="Relative to the baseline: 5 means +5%."
        >
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              value={form.liftPercent}
              onChange={(e) => set('liftPercent', e.target.value)}
            />
          )}
        </Field>
        <Field
          id="power-daily"
          label="Eligible customers per day"
          error={errors.dailyTraffic}
          hint={`${formatPercent(enrollmentShare, 0)} of them enter (coverage).`}
        >
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={form.dailyTraffic}
              onChange={(e) => set('dailyTraffic', e.target.value)}
            />
          )}
        </Field>
        <div className="field-row">
          <Field id="power-alpha" label="False-positive rate" error={errors.alpha}>
            {(p) => (
              <select {...p} value={form.alpha} onChange={(e) => set('alpha', e.target.value)}>
                <option value="0.01">1%</option>
                <option value="0.05">5%</option>
                <option value="0.1">10%</option>
              </select>
            )}
          </Field>
          <Field id="power-power" label="Power" error={errors.power}>
            {(p) => (
              <select {...p} value={form.power} onChange={(e) => set('power', e.target.value)}>
                <option value="0.8">80%</option>
                <option value="0.9">90%</option>
                <option value="0.95">95%</option>
              </select>
            )}
          </Field>
        </div>
        <div className="field-row">
          <Field id="power-alternative" label="Test">
            {(p) => (
              <select
                {...p}
                value={form.alternative}
                onChange={(e) => set('alternative', e.target.value as PowerForm['alternative'])}
              >
                <option value="two-sided">Two-sided</option>
                <option value="greater">One-sided (increase)</option>
              </select>
            )}
          </Field>
          <div className="field field--check">
            <label>
              <input
                type="checkbox"
                checked={form.sequential}
                onChange={(e) => set('sequential', e.target.checked)}
              />
              Results read at any time (sequential)
            </label>
          </div>
        </div>
        <Field
          id="power-days"
          label="Or: fixed run length (days)"
          error={errors.plannedDays}
          hint="Optional. Shows the smallest lift detectable in that time."
        >
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={form.plannedDays}
              onChange={(e) => set('plannedDays', e.target.value)}
            />
          )}
        </Field>
      </fieldset>

      <div className="power__result" aria-live="polite" data-testid="power-result">
        {outcome.ok ? (
          <>
            <dl className="stats">
              <div>
                <dt>Customers needed</dt>
                <dd data-testid="power-total">{formatInt(outcome.plan.chosen.totalUnits)}</dd>
              </div>
              <div>
                <dt>Duration</dt>
                <dd data-testid="power-duration">
                  {outcome.plan.chosen.durationDays === null
                    ? '—'
                    : formatDuration(outcome.plan.chosen.durationDays)}
                </dd>
              </div>
            </dl>
            <table className="table table--compact">
              <caption className="visually-hidden">Customers needed per arm</caption>
              <thead>
                <tr>
                  <th scope="col">Arm</th>
                  <th scope="col" className="num">
                    Share
                  </th>
                  <th scope="col" className="num">
                    Customers
                  </th>
                </tr>
              </thead>
              <tbody>
                {outcome.plan.chosen.unitsPerArm.map((units, i) => (
                  <tr key={i}>
                    <td>{armNames[i] ?? `Arm ${i + 1}`}</td>
                    <td className="num">{formatPercent(outcome.plan.chosen.weights[i] ?? 0)}</td>
                    <td className="num">{formatInt(units)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="power__summary" data-testid="power-summary">
              {outcome.plan.summary}
            </p>
            {outcome.plan.detectableInPlannedDays ? (
              <p className="muted">
                In {outcome.plan.detectableInPlannedDays.days} days (
                {formatInt(outcome.plan.detectableInPlannedDays.totalUnits)} customers){' '}
                {outcome.plan.detectableInPlannedDays.relativeLift === null
                  ? 'no plausible lift reaches this power.'
                  : `the smallest detectable lift is ${formatPercent(outcome.plan.detectableInPlannedDays.relativeLift)}.`}
              </p>
            ) : null}
          </>
        ) : errors.split ? (
          <p className="muted">{ruleMessage(errors.split)}</p>
        ) : (
          <p className="muted">Fix the highlighted inputs to see the plan.</p>
        )}
      </div>
    </section>
  );
}
