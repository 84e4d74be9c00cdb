import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api, queryKeys } from '../api/endpoints';
import { ApiError } from '../api/client';
import type { Campaign } from '../api/types';
import { Field } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { ruleMessage } from '../api/rules';
import { slugify } from '../lib/slug';
import { STATUS_LABEL } from '../experiments/status';
import type { FormErrors } from '../experiments/form';
import {
  campaignField,
  emptyCampaignForm,
  ruleFor,
  fromCampaign,
  toCampaignCreate,
  toCampaignUpdate,
  type CampaignForm,
} from '../campaigns/forms';
import { STREAM_LABEL, STREAMS } from '../campaigns/money';

export function CampaignFormPage() {
  const { id } = useParams();
  const campaign = useQuery({
    queryKey: queryKeys.campaign(id ?? ''),
    queryFn: () => api.getCampaign(id ?? ''),
    enabled: Boolean(id),
  });
  if (id && campaign.isPending) return <p role="status">Loading campaign…</p>;
  if (id && campaign.error) return <ErrorNotice error={campaign.error} />;
  return <CampaignFormView key={id ?? 'new'} current={campaign.data ?? null} />;
}

function CampaignFormView({ current }: { current: Campaign | null }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<CampaignForm>(() =>
    current ? fromCampaign(current) : emptyCampaignForm(),
  );
  const [keyTouched, setKeyTouched] = useState(Boolean(current));
  const [errors, setErrors] = useState<FormErrors>({});
  const experiments = useQuery({
    queryKey: [...queryKeys.experiments, { limit: 100 }],
    queryFn: () => api.listExperiments({ limit: 100 }),
  });
  const chosen = experiments.data?.items.find((e) => e.id === form.experimentId);
  const treatedArms = chosen?.variants.filter((v) => !v.isControl) ?? [];

  const save = useMutation({
    mutationFn: async (): Promise<Campaign> => {
      if (current) {
        const mapped = toCampaignUpdate(form, current);
        if (!mapped.ok) throw new LocalErrors(mapped.errors);
        return api.updateCampaign(current.id, mapped.request);
      }
      const mapped = toCampaignCreate(form);
      if (!mapped.ok) throw new LocalErrors(mapped.errors);
      return api.createCampaign(mapped.request);
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.campaign(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.campaigns });
      void navigate(`/campaigns/${saved.id}`);
    },
    onError: (error) => {
      if (error instanceof LocalErrors) setErrors(error.errors);
      else if (error instanceof ApiError) {
        const mapped: FormErrors = {};
        for (const [path, rule] of Object.entries(error.fieldErrorMap())) {
          const field = campaignField(path);
          mapped[field] ??= ruleFor(field, rule);
        }
        setErrors(mapped);
      }
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    save.mutate();
  }

  const set = <K extends keyof CampaignForm>(k: K, v: CampaignForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const title = current ? `Edit ${current.name}` : 'New campaign';
  return (
    <section className="page" aria-labelledby="campaign-form-title">
      <div className="page__header">
        <div>
          <p className="eyebrow">
            <Link to="/campaigns">Campaigns</Link>
          </p>
          <h1 id="campaign-form-title">{title}</h1>
        </div>
      </div>
      <form className="stack" onSubmit={submit} noValidate>
        <ErrorNotice
          error={save.error instanceof LocalErrors ? null : save.error}
          shownFields={Object.keys(errors)}
        />
        {errors.form ? <Notice tone="info" title={ruleMessage(errors.form)} /> : null}
        <fieldset className="card">
          <legend>Campaign</legend>
          <div className="field-row">
            <Field id="name" label="Name" error={errors.name}>
              {(p) => (
                <input
                  {...p}
                  value={form.name}
                  onChange={(e) => {
                    const name = e.target.value;
                    setForm((f) => ({ ...f, name, key: keyTouched ? f.key : slugify(name) }));
                  }}
                />
              )}
            </Field>
            <Field
              id="key"
              label="Key"
              error={errors.key}
              hint="Used in exports and the API; cannot change later."
            >
              {(p) => (
                <input
                  {...p}
                  className="mono"
                  value={form.key}
                  disabled={Boolean(current)}
                  onChange={(e) => {
                    setKeyTouched(true);
                    set('key', e.target.value);
                  }}
                />
              )}
            </Field>
            <Field
              id="programKey"
              label="Program"
              error={errors.programKey}
              hint="e.g. winback, upsell. Targets and trends are per program."
            >
              {(p) => (
                <input
                  {...p}
                  className="mono"
                  value={form.programKey}
                  onChange={(e) => set('programKey', e.target.value)}
                />
              )}
            </Field>
          </div>
          <div className="field-row">
            <Field id="experimentId" label="Measured by experiment" error={errors.experimentId}>
              {(p) => (
                <select
                  {...p}
                  value={form.experimentId}
                  onChange={(e) => setForm((f) => ({ ...f, experimentId: e.target.value, variantKey: '' }))}
                >
                  <option value="">Choose an experiment…</option>
                  {(experiments.data?.items ?? []).map((e) => (
                    <option key={e.id} value={e.id}>
                      {e.name} ({e.kind === 'holdout' ? 'holdout test' : 'A/B test'},{' '}
                      {STATUS_LABEL[e.status].toLowerCase()})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="variantKey" label="Treated arm" error={errors.variantKey}>
              {(p) => (
                <select {...p} value={form.variantKey} onChange={(e) => set('variantKey', e.target.value)}>
                  <option value="">
                    {treatedArms.length > 1 ? 'Choose the arm…' : 'The only treated arm'}
                  </option>
                  {treatedArms.map((v) => (
                    <option key={v.key} value={v.key}>
                      {v.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              id="startsOn"
              label="Launch date (optional)"
              error={errors.startsOn}
              hint="Defaults to the experiment's start."
            >
              {(p) => (
                <input
                  {...p}
                  type="date"
                  value={form.startsOn}
                  onChange={(e) => set('startsOn', e.target.value)}
                />
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset className="card">
          <legend>Money terms</legend>
          <div className="field-row">
            <Field
              id="horizonMonths"
              label="Horizon (months)"
              error={errors.horizonMonths}
              hint="How long the lift is counted."
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={form.horizonMonths}
                  onChange={(e) => set('horizonMonths', e.target.value)}
                />
              )}
            </Field>
            <Field id="discountPercent" label="Discount rate (% a year)" error={errors.discountPercent}>
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={form.discountPercent}
                  onChange={(e) => set('discountPercent', e.target.value)}
                />
              )}
            </Field>
            <Field
              id="acquisitionCost"
              label="Acquisition cost per customer (optional)"
              error={errors.acquisitionCost}
              hint="Enables LTV : CAC."
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={form.acquisitionCost}
                  onChange={(e) => set('acquisitionCost', e.target.value)}
                />
              )}
            </Field>
          </div>
          <fieldset className="subgroup">
            <legend>Gross margin by revenue stream (%)</legend>
            <div className="field-row">
              {STREAMS.map((s) => (
                <Field key={s} id={`margin-${s}`} label={STREAM_LABEL[s]} error={errors[`margin.${s}`]}>
                  {(p) => (
                    <input
                      {...p}
                      inputMode="decimal"
                      value={form.marginPercent[s]}
                      onChange={(e) => set('marginPercent', { ...form.marginPercent, [s]: e.target.value })}
                    />
                  )}
                </Field>
              ))}
            </div>
          </fieldset>
        </fieldset>
        <p className="muted">Costs are entered on the campaign page once it is created.</p>
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : current ? 'Save changes' : 'Create campaign'}
          </button>
          <Link className="button button--quiet" to={current ? `/campaigns/${current.id}` : '/campaigns'}>
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}

/** Errors found before anything was sent. */
class LocalErrors extends Error {
  constructor(readonly errors: FormErrors) {
    super('The form has errors');
  }
}
