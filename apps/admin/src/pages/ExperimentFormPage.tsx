import { useEffect, useMemo, useState, type Dispatch, type FormEvent, type SetStateAction } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api, queryKeys } from '../api/endpoints';
import { ApiError } from '../api/client';
import type {
  Experiment,
  ExperimentCreate,
  ExperimentUpdate,
  MetricRole,
  TargetingOperator,
} from '../api/types';
import { Field, GroupError } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { StatusBadge } from '../components/StatusBadge';
import {
  emptyForm,
  fromExperiment,
  mapServerErrors,
  OPERATOR_LABEL,
  operatorTakesValue,
  parseNumber,
  TARGETING_ATTRIBUTES,
  toCreateRequest,
  toUpdateRequest,
  variantsOf,
  type ExperimentForm,
  type FormErrors,
  type VariantForm,
} from '../experiments/form';
import { armWeightsOf } from '../experiments/power';
import { PowerPanel } from '../experiments/PowerPanel';
import { canEdit, isLocked } from '../experiments/status';
import { useSession } from '../auth/session';
import { slugify } from '../lib/slug';

const OPERATORS = Object.keys(OPERATOR_LABEL) as TargetingOperator[];
const METRIC_ROLES: MetricRole[] = ['primary', 'secondary', 'guardrail'];

export function ExperimentFormPage() {
  const { id } = useParams();
  const existing = useQuery({
    queryKey: queryKeys.experiment(id ?? ''),
    queryFn: () => api.getExperiment(id ?? ''),
    enabled: Boolean(id),
  });
  if (id && existing.isPending) return <p role="status">Loading experiment…</p>;
  if (id && existing.error) return <ErrorNotice error={existing.error} />;
  return <ExperimentEditor key={id ?? 'new'} experiment={existing.data} />;
}

function ExperimentEditor({ experiment }: { experiment: Experiment | undefined }) {
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const status = experiment?.status ?? 'draft';
  const [form, setForm] = useState<ExperimentForm>(() =>
    experiment ? fromExperiment(experiment) : emptyForm(),
  );
  const [keyTouched, setKeyTouched] = useState(Boolean(experiment));
  // Local checks run live once the form has been submitted, so a fixed field loses its error as you type;
  // the API's complaints stay until the form changes.
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [focusRequest, setFocusRequest] = useState(0);
  const metrics = useQuery({ queryKey: queryKeys.metrics, queryFn: api.listMetrics });
  const namespaces = useQuery({ queryKey: queryKeys.namespaces, queryFn: api.listNamespaces });
  const localErrors = useMemo<FormErrors>(() => {
    if (!attempted) return {};
    const mapped = experiment ? toUpdateRequest(form, experiment.status) : toCreateRequest(form);
    return mapped.ok ? {} : mapped.errors;
  }, [attempted, form, experiment]);
  const errors = useMemo(() => ({ ...serverErrors, ...localErrors }), [serverErrors, localErrors]);

  const save = useMutation({
    mutationFn: (request: ExperimentCreate | ExperimentUpdate) =>
      experiment
        ? api.updateExperiment(experiment.id, request as ExperimentUpdate)
        : api.createExperiment(request as ExperimentCreate),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.experiments });
      queryClient.setQueryData(queryKeys.experiment(saved.id), saved);
      navigate(`/experiments/${saved.id}`);
    },
    onError: (error) => {
      if (error instanceof ApiError) {
        setServerErrors(mapServerErrors(error.fieldErrorMap(), form.kind));
        setFocusRequest((n) => n + 1);
      }
    },
  });

  // On submit, move focus to the first invalid field so keyboard and screen-reader users land on the problem.
  useEffect(() => {
    if (focusRequest === 0) return;
    const first = Object.keys(errors)[0];
    if (!first) return;
    const el = document.getElementById(first) ?? document.querySelector(`[data-field-error="${first}"]`);
    if (el instanceof HTMLElement) el.focus();
    // Only a new submit moves focus, not every keystroke that changes the errors.
  }, [focusRequest]);

  const variants = useMemo(() => variantsOf(form), [form]);
  const armWeights = useMemo(() => armWeightsOf(variants), [variants]);
  const armNames = useMemo(() => {
    const control = variants.find((v) => v.isControl) ?? variants[0];
    return [control, ...variants.filter((v) => v !== control)].map((v) => v?.name ?? '');
  }, [variants]);
  const enrollmentShare = useMemo(() => {
    const coverage = parseNumber(form.coveragePercent) / 100;
    if (!form.namespaceKey) return coverage;
    const width = (parseNumber(form.namespaceEndPercent) - parseNumber(form.namespaceStartPercent)) / 100;
    return coverage * width;
  }, [form.coveragePercent, form.namespaceKey, form.namespaceStartPercent, form.namespaceEndPercent]);

  if (experiment && !canEdit(experiment.status, session.role)) {
    return (
      <section className="page">
        <h1>{experiment.name}</h1>
        <Notice tone="info" title="This experiment can no longer be edited.">
          <p>
            It is {experiment.status}.{' '}
            <Link to={`/experiments/${experiment.id}`}>Back to the experiment</Link>
          </p>
        </Notice>
      </section>
    );
  }

  const locked = (field: string) => isLocked(field, status);
  const changeForm: Dispatch<SetStateAction<ExperimentForm>> = (next) => {
    if (save.error) save.reset();
    setServerErrors({});
    setForm(next);
  };
  const update = (patch: Partial<ExperimentForm>) => changeForm((f) => ({ ...f, ...patch }));
  const updateVariant = (i: number, patch: Partial<VariantForm>) =>
    changeForm((f) => ({ ...f, variants: f.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)) }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    setServerErrors({});
    const mapped = experiment ? toUpdateRequest(form, experiment.status) : toCreateRequest(form);
    if (!mapped.ok) {
      setFocusRequest((n) => n + 1);
      return;
    }
    save.mutate(mapped.request);
  }

  const err = (path: string) => errors[path];
  const shownFields = Object.keys(errors);

  return (
    <section className="page" aria-labelledby="form-title">
      <div className="page__header">
        <h1 id="form-title">{experiment ? `Edit ${experiment.name}` : 'New experiment'}</h1>
        {experiment ? <StatusBadge status={experiment.status} /> : null}
      </div>
      {status !== 'draft' ? (
        <Notice tone="info" title="This experiment is running.">
          <p>
            Arms, metrics, audience and analysis are locked so the comparison stays fair. Change coverage or
            weights with <strong>Ramp</strong> on the experiment page.
          </p>
        </Notice>
      ) : null}
      {save.error instanceof ApiError ? <ErrorNotice error={save.error} shownFields={shownFields} /> : null}
      {Object.keys(errors).length > 0 && !(save.error instanceof ApiError) ? (
        <Notice tone="error" title="Some fields need attention." />
      ) : null}

      <div className="form-layout">
        <form className="stack" onSubmit={onSubmit} noValidate aria-labelledby="form-title">
          <fieldset className="card">
            <legend>Basics</legend>
            <Field id="name" label="Name" error={err('name')}>
              {(p) => (
                <input
                  {...p}
                  value={form.name}
                  onChange={(e) =>
                    update(
                      keyTouched
                        ? { name: e.target.value }
                        : { name: e.target.value, key: slugify(e.target.value) },
                    )
                  }
                />
              )}
            </Field>
            <Field
              id="key"
              label="Key"
              error={err('key')}
              hint="Used by the SDK and in hashing; lowercase, cannot change after start."
            >
              {(p) => (
                <input
                  {...p}
                  className="mono"
                  value={form.key}
                  disabled={Boolean(experiment)}
                  onChange={(e) => {
                    setKeyTouched(true);
                    update({ key: e.target.value });
                  }}
                />
              )}
            </Field>
            <Field
              id="hypothesis"
              label="Hypothesis"
              error={err('hypothesis')}
              hint="What will change, for whom, and why. Written before the start so the result cannot move the goal."
            >
              {(p) => (
                <textarea
                  {...p}
                  rows={3}
                  value={form.hypothesis}
                  onChange={(e) => update({ hypothesis: e.target.value })}
                />
              )}
            </Field>
          </fieldset>

          <fieldset className="card" disabled={locked('variants')}>
            <legend>Design</legend>
            <div className="field">
              <span className="label" id="kind-label">
                Kind
              </span>
              <div className="segmented" role="radiogroup" aria-labelledby="kind-label">
                <label>
                  <input
                    type="radio"
                    name="kind"
                    value="holdout"
                    checked={form.kind === 'holdout'}
                    onChange={() => update({ kind: 'holdout' })}
                  />
                  Holdout test
                </label>
                <label>
                  <input
                    type="radio"
                    name="kind"
                    value="ab"
                    checked={form.kind === 'ab'}
                    onChange={() => update({ kind: 'ab' })}
                  />
                  A/B test
                </label>
              </div>
              <p className="field__hint">
                {form.kind === 'holdout'
                  ? 'Everyone is treated except a random holdout: measures the campaign’s incremental lift.'
                  : 'Two or more variants compared with a control.'}
              </p>
            </div>
            {form.kind === 'holdout' ? (
              <div className="field-row">
                <Field
                  id="holdoutPercent"
                  label="Holdout share (%)"
                  error={err('holdoutPercent')}
                  hint="Customers kept untreated for comparison."
                >
                  {(p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      value={form.holdoutPercent}
                      onChange={(e) => update({ holdoutPercent: e.target.value })}
                    />
                  )}
                </Field>
                <Field id="treatedName" label="Treated arm name" error={err('variants.1.name')}>
                  {(p) => (
                    <input
                      {...p}
                      value={form.treatedName}
                      onChange={(e) => update({ treatedName: e.target.value })}
                    />
                  )}
                </Field>
              </div>
            ) : (
              <VariantRows form={form} errors={errors} onChange={updateVariant} setForm={changeForm} />
            )}
          </fieldset>

          <fieldset className="card">
            <legend>Audience</legend>
            <Field
              id="coverage"
              label="Coverage (%)"
              error={err('coverage')}
              hint="Share of eligible customers who enter the experiment."
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={form.coveragePercent}
                  disabled={locked('coverage')}
                  onChange={(e) => update({ coveragePercent: e.target.value })}
                />
              )}
            </Field>
            <div className="field-row">
              <Field
                id="namespace.key"
                label="Namespace"
                error={err('namespace.key')}
                hint="Experiments in one namespace never share a customer."
              >
                {(p) => (
                  <select
                    {...p}
                    value={form.namespaceKey}
                    disabled={locked('namespace')}
                    onChange={(e) => update({ namespaceKey: e.target.value })}
                  >
                    <option value="">None</option>
                    {(namespaces.data?.items ?? []).map((n) => (
                      <option key={n.id} value={n.key}>
                        {n.name} ({n.key})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {form.namespaceKey ? (
                <>
                  <Field id="namespace.start" label="Range from (%)" error={err('namespace.start')}>
                    {(p) => (
                      <input
                        {...p}
                        inputMode="decimal"
                        value={form.namespaceStartPercent}
                        disabled={locked('namespace')}
                        onChange={(e) => update({ namespaceStartPercent: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field id="namespace.end" label="to (%)" error={err('namespace.end')}>
                    {(p) => (
                      <input
                        {...p}
                        inputMode="decimal"
                        value={form.namespaceEndPercent}
                        disabled={locked('namespace')}
                        onChange={(e) => update({ namespaceEndPercent: e.target.value })}
                      />
                    )}
                  </Field>
                </>
              ) : null}
            </div>
            <TargetingRows form={form} errors={errors} setForm={changeForm} disabled={locked('targeting')} />
          </fieldset>

          <fieldset className="card" disabled={locked('metrics')}>
            <legend>Metrics</legend>
            <MetricRows
              form={form}
              errors={errors}
              setForm={changeForm}
              options={(metrics.data?.items ?? []).map((m) => ({
                key: m.key,
                label: `${m.name} (${m.kind})`,
              }))}
            />
            <Field
              id="engine"
              label="Analysis"
              error={err('engine')}
              hint="Sequential results stay valid however often you look; fixed-horizon needs the planned sample size."
            >
              {(p) => (
                <select
                  {...p}
                  value={form.engine}
                  disabled={locked('engine')}
                  onChange={(e) => update({ engine: e.target.value as ExperimentForm['engine'] })}
                >
                  <option value="frequentist">Fixed horizon (frequentist)</option>
                  <option value="sequential">Sequential (always valid)</option>
                  <option value="bayesian">Bayesian</option>
                </select>
              )}
            </Field>
          </fieldset>

          <div className="actions">
            <button type="submit" className="button button--primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : experiment ? 'Save changes' : 'Create experiment'}
            </button>
            <Link
              className="button button--quiet"
              to={experiment ? `/experiments/${experiment.id}` : '/experiments'}
            >
              Cancel
            </Link>
          </div>
        </form>

        <aside className="form-layout__aside">
          <PowerPanel
            armWeights={armWeights}
            armNames={armNames}
            enrollmentShare={enrollmentShare}
            sequentialEngine={form.engine === 'sequential'}
          />
        </aside>
      </div>
    </section>
  );
}

interface RowsProps {
  form: ExperimentForm;
  errors: FormErrors;
  setForm: Dispatch<SetStateAction<ExperimentForm>>;
}

function VariantRows({
  form,
  errors,
  onChange,
  setForm,
}: RowsProps & { onChange: (i: number, patch: Partial<VariantForm>) => void }) {
  const evenSplit = () =>
    setForm((f) => {
      const n = f.variants.length;
      const base = Math.floor((100 / n) * 100) / 100;
      return {
        ...f,
        variants: f.variants.map((v, i) => ({
          ...v,
          weightPercent: String(i === n - 1 ? Math.round((100 - base * (n - 1)) * 100) / 100 : base),
        })),
      };
    });
  return (
    <div className="variants">
      <table className="table table--form">
        <caption className="visually-hidden">Variants</caption>
        <thead>
          <tr>
            <th scope="col">Control</th>
            <th scope="col">Key</th>
            <th scope="col">Name</th>
            <th scope="col">Weight (%)</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {form.variants.map((v, i) => (
            <tr key={i}>
              <td>
                <input
                  type="radio"
                  name="control"
                  aria-label={`Variant ${i + 1} is the control`}
                  checked={v.isControl}
                  onChange={() =>
                    setForm((f) => ({
                      ...f,
                      variants: f.variants.map((x, j) => ({ ...x, isControl: j === i })),
                    }))
                  }
                />
              </td>
              <td>
                <CellInput
                  id={`variants.${i}.key`}
                  label={`Variant ${i + 1} key`}
                  error={errors[`variants.${i}.key`]}
                  value={v.key}
                  className="mono"
                  onChange={(key) => onChange(i, { key })}
                />
              </td>
              <td>
                <CellInput
                  id={`variants.${i}.name`}
                  label={`Variant ${i + 1} name`}
                  error={errors[`variants.${i}.name`]}
                  value={v.name}
                  onChange={(name) => onChange(i, { name })}
                />
              </td>
              <td>
                <CellInput
                  id={`variants.${i}.weight`}
                  label={`Variant ${i + 1} weight`}
                  error={errors[`variants.${i}.weight`]}
                  value={v.weightPercent}
                  inputMode="decimal"
                  onChange={(weightPercent) => onChange(i, { weightPercent })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="button button--quiet"
                  aria-label={`Remove variant ${i + 1}`}
                  disabled={form.variants.length <= 2}
                  onClick={() => setForm((f) => ({ ...f, variants: f.variants.filter((_, j) => j !== i) }))}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <GroupError id="variants" error={errors.variants} />
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            setForm((f) => ({
              ...f,
              variants: [
                ...f.variants,
                {
                  key: `variant-${f.variants.length}`,
                  name: `Variant ${f.variants.length}`,
                  weightPercent: '0',
                  isControl: false,
                },
              ],
            }))
          }
        >
          Add variant
        </button>
        <button type="button" className="button" onClick={evenSplit}>
          Split evenly
        </button>
      </div>
    </div>
  );
}

function CellInput({
  id,
  label,
  error,
  value,
  onChange,
  className,
  inputMode,
}: {
  id: string;
  label: string;
  error: string | undefined;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  inputMode?: 'decimal' | 'numeric';
}) {
  return (
    <Field
      id={id}
      label={<span className="visually-hidden">{label}</span>}
      error={error}
      className="field--cell"
    >
      {(p) => (
        <input
          {...p}
          className={className}
          inputMode={inputMode}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

function TargetingRows({ form, errors, setForm, disabled }: RowsProps & { disabled: boolean }) {
  const updateRule = (i: number, patch: Partial<ExperimentForm['targeting'][number]>) =>
    setForm((f) => ({ ...f, targeting: f.targeting.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  return (
    <fieldset className="subgroup" disabled={disabled}>
      <legend>Targeting</legend>
      {form.targeting.length === 0 ? (
        <p className="muted">
          Every customer is eligible. Add a condition to narrow it down (all must hold).
        </p>
      ) : null}
      {form.targeting.map((rule, i) => (
        <div className="rule-row" key={i}>
          <Field id={`targeting.${i}.attribute`} label="Attribute" error={errors[`targeting.${i}.attribute`]}>
            {(p) => (
              <input
                {...p}
                list="targeting-attributes"
                value={rule.attribute}
                onChange={(e) => updateRule(i, { attribute: e.target.value })}
              />
            )}
          </Field>
          <Field id={`targeting.${i}.operator`} label="Condition" error={errors[`targeting.${i}.operator`]}>
            {(p) => (
              <select
                {...p}
                value={rule.operator}
                onChange={(e) => updateRule(i, { operator: e.target.value as TargetingOperator })}
              >
                {OPERATORS.map((op) => (
                  <option key={op} value={op}>
                    {OPERATOR_LABEL[op]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {operatorTakesValue(rule.operator) ? (
            <Field
              id={`targeting.${i}.value`}
              label="Value"
              error={errors[`targeting.${i}.value`]}
              hint={
                rule.operator === 'in' || rule.operator === 'not_in'
                  ? 'Separate values with commas.'
                  : undefined
              }
            >
              {(p) => (
                <input {...p} value={rule.value} onChange={(e) => updateRule(i, { value: e.target.value })} />
              )}
            </Field>
          ) : null}
          <button
            type="button"
            className="button button--quiet"
            aria-label={`Remove condition ${i + 1}`}
            onClick={() => setForm((f) => ({ ...f, targeting: f.targeting.filter((_, j) => j !== i) }))}
          >
            ✕
          </button>
        </div>
      ))}
      <datalist id="targeting-attributes">
        {TARGETING_ATTRIBUTES.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <button
        type="button"
        className="button"
        onClick={() =>
          setForm((f) => ({
            ...f,
            targeting: [...f.targeting, { attribute: 'segment', operator: 'in', value: '' }],
          }))
        }
      >
        Add condition
      </button>
    </fieldset>
  );
}

function MetricRows({
  form,
  errors,
  setForm,
  options,
}: RowsProps & { options: Array<{ key: string; label: string }> }) {
  const updateMetric = (i: number, patch: Partial<ExperimentForm['metrics'][number]>) =>
    setForm((f) => ({ ...f, metrics: f.metrics.map((m, j) => (j === i ? { ...m, ...patch } : m)) }));
  return (
    <div className="subgroup">
      {form.metrics.length === 0 ? (
        <p className="muted">
          No metrics yet. The primary metric decides the result; guardrails catch harm (e.g. unsubscribes).
        </p>
      ) : null}
      {form.metrics.map((m, i) => (
        <div className="rule-row" key={i}>
          <Field id={`metrics.${i}.metricKey`} label="Metric" error={errors[`metrics.${i}.metricKey`]}>
            {(p) => (
              <select
                {...p}
                value={m.metricKey}
                onChange={(e) => updateMetric(i, { metricKey: e.target.value })}
              >
                <option value="">Choose a metric…</option>
                {options.map((o) => (
                  <option key={o.key} value={o.key}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={`metrics.${i}.role`} label="Role" error={errors[`metrics.${i}.role`]}>
            {(p) => (
              <select
                {...p}
                value={m.role}
                onChange={(e) => updateMetric(i, { role: e.target.value as MetricRole })}
              >
                {METRIC_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button
            type="button"
            className="button button--quiet"
            aria-label={`Remove metric ${i + 1}`}
            onClick={() => setForm((f) => ({ ...f, metrics: f.metrics.filter((_, j) => j !== i) }))}
          >
            ✕
          </button>
        </div>
      ))}
      <GroupError id="metrics" error={errors.metrics} />
      <button
        type="button"
        className="button"
        disabled={options.length === 0}
        onClick={() =>
          setForm((f) => ({
            ...f,
            metrics: [
              ...f.metrics,
              { metricKey: '', role: f.metrics.some((x) => x.role === 'primary') ? 'secondary' : 'primary' },
            ],
          }))
        }
      >
        Add metric
      </button>
      {options.length === 0 ? <p className="field__hint">Define metrics first (none exist yet).</p> : null}
    </div>
  );
}
