import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import type { SequenceCreate, SequenceUpdate, SequenceView, TouchChannel } from '@liftlab/contracts';
import { api, queryKeys } from '../api/endpoints';
import { ApiError } from '../api/client';
import { Field, GroupError } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import type { FormErrors } from '../experiments/form';
import { slugify } from '../lib/slug';
import { sequencesApi, sequenceKeys } from '../sequences/api';
import { AudiencePreviewPanel } from '../sequences/AudiencePreviewPanel';
import { ConditionRows, SequenceStatusBadge, useDebounced } from '../sequences/components';
import {
  addTouch,
  CHANNEL_LABEL,
  CHANNELS,
  emptySequenceForm,
  EXIT_EVENT_TYPES,
  fromSequence,
  mapServerErrors,
  moveTouch,
  removeTouch,
  toCreateRequest,
  toPreviewRequest,
  toUpdateRequest,
  type AudienceForm,
  type SequenceForm,
  type TouchForm,
} from '../sequences/form';
import { fieldMessages } from '../sequences/messages';
import { NewOffer } from '../sequences/NewOffer';
import { TouchEditor } from '../sequences/TouchEditor';

export function SequenceBuilderPage() {
  const { id } = useParams();
  const existing = useQuery({
    queryKey: sequenceKeys.one(id ?? ''),
    queryFn: () => sequencesApi.get(id ?? ''),
    enabled: Boolean(id),
  });
  if (id && existing.isPending) return <p role="status">Loading sequence…</p>;
  if (id && existing.error) return <ErrorNotice error={existing.error} />;
  return <SequenceBuilder key={id ?? 'new'} sequence={existing.data} />;
}

function SequenceBuilder({ sequence }: { sequence: SequenceView | undefined }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const status = sequence?.status ?? 'draft';
  const launched = status !== 'draft';
  const [form, setForm] = useState<SequenceForm>(() =>
    sequence ? fromSequence(sequence) : emptySequenceForm(),
  );
  const [keyTouched, setKeyTouched] = useState(Boolean(sequence));
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [focusRequest, setFocusRequest] = useState(0);
  const [previewCustomer, setPreviewCustomer] = useState('');
  const [newChannel, setNewChannel] = useState<TouchChannel>('email');
  const [createdOffer, setCreatedOffer] = useState<string | null>(null);

  const offers = useQuery({ queryKey: sequenceKeys.offers, queryFn: sequencesApi.offers });

  // Audience counts follow the rules as they are typed (debounced; only valid rules are sent).
  const previewMapped = useMemo(
    () => toPreviewRequest(form),
    // The preview depends on these three parts only; touches changing must not re-count the audience.
    [form.audience, form.holdoutPercent, form.maxEnrollmentsPerRun],
  );
  const previewKey = useDebounced(previewMapped.ok ? JSON.stringify(previewMapped.request) : null, 400);
  const audience = useQuery({
    queryKey: sequenceKeys.audiencePreview(previewKey ?? ''),
    queryFn: ({ signal }) => sequencesApi.audiencePreview(JSON.parse(previewKey ?? '{}'), signal),
    enabled: previewKey !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });

  // The first customer the audience would enroll is a real one to preview the templates on.
  const firstSample = audience.data?.sample[0]?.externalId;
  useEffect(() => {
    if (!previewCustomer && firstSample) setPreviewCustomer(firstSample);
  }, [firstSample, previewCustomer]);
  const customerSearch = useDebounced(previewCustomer.trim(), 300);
  const customers = useQuery({
    queryKey: queryKeys.customers(`picker:${customerSearch}`),
    queryFn: () => api.searchCustomers({ search: customerSearch || undefined, limit: 10 }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const customerOptions = useMemo(() => {
    const ids = new Set<string>();
    for (const c of audience.data?.sample ?? []) ids.add(c.externalId);
    for (const c of customers.data?.items ?? []) ids.add(c.externalId);
    return [...ids].slice(0, 20);
  }, [audience.data, customers.data]);

  const localErrors = useMemo<FormErrors>(() => {
    if (!attempted) return {};
    const mapped = sequence ? toUpdateRequest(form, status) : toCreateRequest(form);
    return mapped.ok ? {} : mapped.errors;
  }, [attempted, form, sequence, status]);
  // Audience mistakes show as soon as they are typed: they are what stops the live counts.
  const errors = useMemo(
    () => ({ ...serverErrors, ...(previewMapped.ok ? {} : previewMapped.errors), ...localErrors }),
    [serverErrors, previewMapped, localErrors],
  );

  const save = useMutation({
    mutationFn: (request: SequenceCreate | SequenceUpdate) =>
      sequence
        ? sequencesApi.update(sequence.id, request as SequenceUpdate)
        : sequencesApi.create(request as SequenceCreate),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: sequenceKeys.all });
      queryClient.setQueryData(sequenceKeys.one(saved.id), saved);
      navigate(`/sequences/${saved.id}`);
    },
    onError: (error) => {
      if (error instanceof ApiError) {
        setServerErrors(mapServerErrors(error.fieldErrorMap()));
        setFocusRequest((n) => n + 1);
      }
    },
  });

  useEffect(() => {
    if (focusRequest === 0) return;
    const first = Object.keys(errors)[0];
    if (!first) return;
    const el = document.getElementById(first) ?? document.querySelector(`[data-field-error="${first}"]`);
    if (el instanceof HTMLElement) el.focus();
    // Only a new submit moves focus, not every keystroke that changes the errors.
  }, [focusRequest]);

  const change = (next: (f: SequenceForm) => SequenceForm) => {
    if (save.error) save.reset();
    setServerErrors({});
    setForm(next);
  };
  const update = (patch: Partial<SequenceForm>) => change((f) => ({ ...f, ...patch }));
  const updateAudience = (patch: Partial<AudienceForm>) =>
    change((f) => ({ ...f, audience: { ...f.audience, ...patch } }));
  const setTouches = (touches: (t: TouchForm[]) => TouchForm[]) =>
    change((f) => ({ ...f, touches: touches(f.touches) }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    setServerErrors({});
    const mapped = sequence ? toUpdateRequest(form, status) : toCreateRequest(form);
    if (!mapped.ok) {
      setFocusRequest((n) => n + 1);
      return;
    }
    save.mutate(mapped.request);
  }

  const shown = fieldMessages(errors);
  const err = (path: string) => shown[path];
  const shownFields = Object.keys(errors);
  const a = form.audience;

  return (
    <section className="page" aria-labelledby="builder-title">
      <div className="page__header">
        <h1 id="builder-title">{sequence ? `Edit ${sequence.name}` : 'New sequence'}</h1>
        {sequence ? <SequenceStatusBadge status={sequence.status} /> : null}
      </div>
      {launched ? (
        <Notice tone="info" title="This sequence has been launched.">
          <p>
            The holdout share and the number and channels of touches are fixed; content, days, conditions and
            offers can still change and apply to messages not yet written.
          </p>
        </Notice>
      ) : null}
      {save.error instanceof ApiError ? <ErrorNotice error={save.error} shownFields={shownFields} /> : null}
      {attempted && Object.keys(localErrors).length > 0 && !(save.error instanceof ApiError) ? (
        <Notice tone="error" title="Some fields need attention." />
      ) : null}

      <div className="form-layout">
        <form className="stack" onSubmit={onSubmit} noValidate aria-labelledby="builder-title">
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
              hint="Names the holdout experiment (seq-<key>); cannot change."
            >
              {(p) => (
                <input
                  {...p}
                  className="mono"
                  value={form.key}
                  disabled={Boolean(sequence)}
                  onChange={(e) => {
                    setKeyTouched(true);
                    update({ key: e.target.value });
                  }}
                />
              )}
            </Field>
          </fieldset>

          <fieldset className="card">
            <legend>Audience</legend>
            <div className="field-row">
              <Field
                id="audience.minDaysInactive"
                label="Inactive for at least (days)"
                error={err('audience.minDaysInactive')}
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    value={a.minDaysInactive}
                    onChange={(e) => updateAudience({ minDaysInactive: e.target.value })}
                  />
                )}
              </Field>
              <Field
                id="audience.maxDaysInactive"
                label="and at most (days)"
                error={err('audience.maxDaysInactive')}
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    value={a.maxDaysInactive}
                    onChange={(e) => updateAudience({ maxDaysInactive: e.target.value })}
                  />
                )}
              </Field>
              <Field
                id="audience.minPriorSpend"
                label="Prior spend at least"
                error={err('audience.minPriorSpend')}
                hint="All-time order amounts."
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="decimal"
                    value={a.minPriorSpend}
                    onChange={(e) => updateAudience({ minPriorSpend: e.target.value })}
                  />
                )}
              </Field>
            </div>
            <p className="field__hint">
              Days since the last order, activity or conversion event; customers who were never active are not
              dormant and never match.
            </p>
            <Field
              id="audience.segments"
              label="Segments"
              error={err('audience.segments')}
              hint="Comma-separated; empty means any segment."
            >
              {(p) => (
                <input
                  {...p}
                  value={a.segments}
                  onChange={(e) => updateAudience({ segments: e.target.value })}
                />
              )}
            </Field>
            <ConditionRows
              prefix="audience.conditions"
              rules={a.conditions}
              errors={shown}
              legend="Trait filters"
              emptyText="No further filter. Add one on a customer field or traits.<name> (all must hold)."
              onChange={(conditions) => updateAudience({ conditions })}
            />
            <div className="field-row">
              <Field
                id="audience.excludeContactedWithinDays"
                label="Leave out customers contacted in the last (days)"
                error={err('audience.excludeContactedWithinDays')}
                hint="By any sequence; 0 turns it off. Suppressed and unsubscribed customers are always left out."
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    value={a.excludeContactedWithinDays}
                    onChange={(e) => updateAudience({ excludeContactedWithinDays: e.target.value })}
                  />
                )}
              </Field>
              <div className="field field--check">
                <label>
                  <input
                    type="checkbox"
                    checked={a.excludeGlobalHoldout}
                    onChange={(e) => updateAudience({ excludeGlobalHoldout: e.target.checked })}
                  />
                  Leave out the global holdout
                </label>
              </div>
            </div>
          </fieldset>

          <fieldset className="card">
            <legend>Enrollment and measurement</legend>
            <div className="field-row">
              <Field
                id="holdoutPercent"
                label="Holdout share (%)"
                error={err('holdoutPercent')}
                hint="Assigned at random, recorded, never contacted: the comparison that proves the lift."
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="decimal"
                    value={form.holdoutPercent}
                    disabled={launched}
                    onChange={(e) => update({ holdoutPercent: e.target.value })}
                  />
                )}
              </Field>
              <Field
                id="maxEnrollmentsPerRun"
                label="Cap per audience run"
                error={err('maxEnrollmentsPerRun')}
                hint="Highest prior spend first; empty for no cap."
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    value={form.maxEnrollmentsPerRun}
                    onChange={(e) => update({ maxEnrollmentsPerRun: e.target.value })}
                  />
                )}
              </Field>
            </div>
            <div className="field-row">
              <Field
                id="reentryDays"
                label="Re-entry after (days)"
                error={err('reentryDays')}
                hint="A customer is enrolled at most once in this period."
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    value={form.reentryDays}
                    onChange={(e) => update({ reentryDays: e.target.value })}
                  />
                )}
              </Field>
              <Field
                id="measurementDays"
                label="Measure over (days)"
                error={err('measurementDays')}
                hint="Both arms are measured from enrollment over this window."
              >
                {(p) => (
                  <input
                    {...p}
                    inputMode="numeric"
                    value={form.measurementDays}
                    onChange={(e) => update({ measurementDays: e.target.value })}
                  />
                )}
              </Field>
            </div>
            <fieldset className="subgroup">
              <legend>Exit on (reactivation)</legend>
              <div className="segmented">
                {EXIT_EVENT_TYPES.map((t) => (
                  <label key={t}>
                    <input
                      type="checkbox"
                      checked={form.exitEventTypes.includes(t)}
                      onChange={(e) =>
                        update({
                          exitEventTypes: e.target.checked
                            ? [...form.exitEventTypes, t]
                            : form.exitEventTypes.filter((x) => x !== t),
                        })
                      }
                    />
                    {t}
                  </label>
                ))}
              </div>
              <GroupError id="exitEventTypes" error={err('exitEventTypes')} />
              <p className="field__hint">
                An event of these types after enrollment exits the customer before the next touch.
              </p>
            </fieldset>
          </fieldset>

          <fieldset className="card">
            <legend>Touches</legend>
            <Field
              id="preview-customer"
              label="Preview on customer"
              hint="External id of a real customer; the templates below are rendered for them as they would be sent."
            >
              {(p) => (
                <input
                  {...p}
                  className="mono"
                  list="preview-customers"
                  value={previewCustomer}
                  onChange={(e) => setPreviewCustomer(e.target.value)}
                />
              )}
            </Field>
            <datalist id="preview-customers">
              {customerOptions.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <NewOffer onCreated={(offer) => setCreatedOffer(offer.key)} />
            {createdOffer ? (
              <p className="muted" role="status">
                Offer <span className="mono">{createdOffer}</span> created; pick it on a touch.
              </p>
            ) : null}
            <GroupError id="touches" error={err('touches')} />
            <ol className="touch-list">
              {form.touches.map((touch, i) => (
                <TouchEditor
                  key={touch.uid}
                  index={i}
                  count={form.touches.length}
                  touch={touch}
                  errors={shown}
                  offers={offers.data?.items ?? []}
                  previewCustomer={previewCustomer}
                  structureLocked={launched}
                  onChange={(t) => setTouches((ts) => ts.map((x, j) => (j === i ? t : x)))}
                  onMove={(direction) => setTouches((ts) => moveTouch(ts, i, direction))}
                  onRemove={() => setTouches((ts) => removeTouch(ts, i))}
                />
              ))}
            </ol>
            {launched ? null : (
              <div className="field-row">
                <Field id="new-touch-channel" label="Channel of the next touch">
                  {(p) => (
                    <select
                      {...p}
                      value={newChannel}
                      onChange={(e) => setNewChannel(e.target.value as TouchChannel)}
                    >
                      {CHANNELS.map((c) => (
                        <option key={c} value={c}>
                          {CHANNEL_LABEL[c]}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <div className="field field--button">
                  <button
                    type="button"
                    className="button"
                    onClick={() => setTouches((ts) => addTouch(ts, newChannel))}
                  >
                    Add touch
                  </button>
                </div>
              </div>
            )}
          </fieldset>

          <div className="actions">
            <button type="submit" className="button button--primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : sequence ? 'Save changes' : 'Save draft'}
            </button>
            <Link className="button button--quiet" to={sequence ? `/sequences/${sequence.id}` : '/sequences'}>
              Cancel
            </Link>
          </div>
        </form>

        <aside className="form-layout__aside">
          <AudiencePreviewPanel
            preview={audience.data}
            loading={audience.isFetching}
            stale={audience.isPlaceholderData}
            error={audience.error}
            blocked={!previewMapped.ok}
            onPickCustomer={setPreviewCustomer}
          />
        </aside>
      </div>
    </section>
  );
}
