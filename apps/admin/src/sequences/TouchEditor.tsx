import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Offer, TemplatePreview, TouchChannel } from '@liftlab/contracts';
import { isApiError } from '../api/client';
import { Field, GroupError } from '../components/Field';
import type { FormErrors } from '../experiments/form';
import { sequencesApi, sequenceKeys } from './api';
import { ConditionRows, useDebounced } from './components';
import {
  addVariant,
  CHANNEL_FIELDS,
  CHANNEL_LABEL,
  CHANNELS,
  removeVariant,
  setSplit,
  TEMPLATE_FIELDS,
  type ContentForm,
  type TouchForm,
} from './form';
import { fieldMessage, sequenceRuleMessage } from './messages';
import { renderProblems, templatePreviewRequest, type RenderProblem } from './preview';

const FIELD_LABEL: Record<keyof ContentForm, string> = {
  subject: 'Subject',
  text: 'Text body',
  html: 'HTML body (optional)',
  title: 'Title',
  body: 'Body',
  ctaUrl: 'Button link (optional)',
  url: 'Webhook URL',
  owner: 'Owner (person or team)',
  instructions: 'Instructions',
  dueInDays: 'Due after (days)',
};

const MULTILINE: ReadonlySet<keyof ContentForm> = new Set(['text', 'html', 'body', 'instructions']);

const LIQUID_HINT =
  'Texts are Liquid templates: {{ customer.externalId }}, {{ customer.traits.first_name }}, {{ offer.code }}, ' +
  '{{ offer.expiresAt | date: "%d %b" }}, {{ links.unsubscribe }}, {{ links.survey }}, {{ "https://…" | click }}.';

interface TouchEditorProps {
  index: number;
  count: number;
  touch: TouchForm;
  errors: FormErrors;
  offers: Offer[];
  /** External id of the customer the templates are previewed on. */
  previewCustomer: string;
  /** After launch the number and channels of touches are fixed (sent messages point at them). */
  structureLocked: boolean;
  onChange: (touch: TouchForm) => void;
  onMove: (direction: -1 | 1) => void;
  onRemove: () => void;
}

export function TouchEditor({
  index,
  count,
  touch,
  errors,
  offers,
  previewCustomer,
  structureLocked,
  onChange,
  onMove,
  onRemove,
}: TouchEditorProps) {
  const prefix = `touches.${index}`;
  const err = (path: string) => errors[`${prefix}.${path}`];
  const update = (patch: Partial<TouchForm>) => onChange({ ...touch, ...patch });
  const updateContent = (patch: Partial<ContentForm>) =>
    onChange({ ...touch, content: { ...touch.content, ...patch } });

  // The preview runs once typing pauses, and only on content the API would accept.
  const mapped = useMemo(() => templatePreviewRequest(touch, previewCustomer), [touch, previewCustomer]);
  const settled = useDebounced(mapped.ok ? JSON.stringify(mapped.request) : null, 500);
  const preview = useQuery({
    queryKey: sequenceKeys.templatePreview(settled ?? ''),
    queryFn: ({ signal }) => sequencesApi.templatePreview(JSON.parse(settled ?? '{}'), signal),
    enabled: settled !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 30_000,
  });
  const problems = useMemo(() => renderProblems(preview.error), [preview.error]);

  const fieldInputs = (
    content: ContentForm,
    idPrefix: string,
    problemPrefix: string,
    change: (patch: Partial<ContentForm>) => void,
  ) =>
    CHANNEL_FIELDS[touch.channel].map((name) => {
      const id = `${idPrefix}.${name}`;
      const problem = problems[`${problemPrefix}.${name}`];
      return (
        <div key={name}>
          <Field id={id} label={FIELD_LABEL[name]} error={errors[id]}>
            {(p) =>
              MULTILINE.has(name) ? (
                <textarea
                  {...p}
                  className={name === 'html' ? 'mono' : undefined}
                  rows={name === 'html' ? 5 : 4}
                  value={content[name]}
                  onChange={(e) => change({ [name]: e.target.value })}
                />
              ) : (
                <input
                  {...p}
                  inputMode={name === 'dueInDays' ? 'numeric' : undefined}
                  value={content[name]}
                  onChange={(e) => change({ [name]: e.target.value })}
                />
              )
            }
          </Field>
          {problem ? <RenderError id={`${id}-render`} problem={problem} /> : null}
        </div>
      );
    });

  const channelName = CHANNEL_LABEL[touch.channel];
  return (
    <li className="card touch-card" aria-labelledby={`${prefix}-title`} data-testid={`touch-${index}`}>
      <div className="touch-card__header">
        <h3 id={`${prefix}-title`}>
          Touch {index + 1}: {channelName}
        </h3>
        <div className="touch-card__tools">
          <button
            type="button"
            className="button button--small button--quiet"
            aria-label={`Move touch ${index + 1} up`}
            disabled={structureLocked || index === 0}
            onClick={() => onMove(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="button button--small button--quiet"
            aria-label={`Move touch ${index + 1} down`}
            disabled={structureLocked || index === count - 1}
            onClick={() => onMove(1)}
          >
            ↓
          </button>
          {structureLocked ? null : (
            <button
              type="button"
              className="button button--small button--danger"
              aria-label={`Remove touch ${index + 1}`}
              onClick={onRemove}
            >
              Remove
            </button>
          )}
        </div>
      </div>
      <div className="field-row">
        <Field
          id={`${prefix}.delayDays`}
          label="Day"
          error={err('delayDays')}
          hint="Days after enrollment; increases along the sequence."
        >
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={touch.delayDays}
              onChange={(e) => update({ delayDays: e.target.value })}
            />
          )}
        </Field>
        <Field id={`${prefix}.channel`} label="Channel" error={err('channel')}>
          {(p) => (
            <select
              {...p}
              value={touch.channel}
              disabled={structureLocked}
              onChange={(e) => update({ channel: e.target.value as TouchChannel })}
            >
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_LABEL[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={`${prefix}.offerKey`}
          label="Offer"
          error={err('offerKey') ?? (problems.offerKey ? fieldMessage(problems.offerKey.rule) : undefined)}
          hint="Its code and expiry are available to the templates as {{ offer.code }}."
        >
          {(p) => (
            <select {...p} value={touch.offerKey} onChange={(e) => update({ offerKey: e.target.value })}>
              <option value="">No offer</option>
              {offers.map((o) => (
                <option key={o.id} value={o.key}>
                  {o.name} ({o.key})
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      {CHANNEL_FIELDS[touch.channel].some((name) => TEMPLATE_FIELDS.has(name)) ? (
        <p className="field__hint">{LIQUID_HINT}</p>
      ) : null}
      {fieldInputs(touch.content, `${prefix}.content`, 'content', updateContent)}

      <div className="field field--check">
        <label>
          <input
            type="checkbox"
            checked={touch.split}
            onChange={(e) => onChange(setSplit(touch, e.target.checked))}
          />
          A/B split this touch
        </label>
        <p className="field__hint">
          Each enrollment receives one variant, chosen at random by weight; the results show each variant’s
          funnel.
        </p>
      </div>
      {touch.split ? (
        <fieldset className="subgroup">
          <legend>Variants</legend>
          <GroupError id={`${prefix}.content.variants`} error={err('content.variants')} />
          {touch.variants.map((v, j) => {
            const vPrefix = `${prefix}.content.variants.${j}`;
            const changeVariant = (patch: Partial<ContentForm> & { key?: string; weightPercent?: string }) =>
              onChange({
                ...touch,
                variants: touch.variants.map((x, k) => (k === j ? { ...x, ...patch } : x)),
              });
            return (
              <div className="variant-card" key={j}>
                <div className="field-row">
                  <Field
                    id={`${vPrefix}.key`}
                    label={`Variant ${j + 1} key`}
                    error={errors[`${vPrefix}.key`]}
                  >
                    {(p) => (
                      <input
                        {...p}
                        className="mono"
                        value={v.key}
                        onChange={(e) => changeVariant({ key: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field id={`${vPrefix}.weight`} label="Weight (%)" error={errors[`${vPrefix}.weight`]}>
                    {(p) => (
                      <input
                        {...p}
                        inputMode="decimal"
                        value={v.weightPercent}
                        onChange={(e) => changeVariant({ weightPercent: e.target.value })}
                      />
                    )}
                  </Field>
                  <div className="field field--button">
                    <button
                      type="button"
                      className="button button--small button--quiet"
                      aria-label={`Remove variant ${j + 1} of touch ${index + 1}`}
                      disabled={touch.variants.length <= 2}
                      onClick={() => onChange(removeVariant(touch, j))}
                    >
                      ✕
                    </button>
                  </div>
                </div>
                {fieldInputs(v, vPrefix, `content.variants.${j}`, changeVariant)}
              </div>
            );
          })}
          <button type="button" className="button button--small" onClick={() => onChange(addVariant(touch))}>
            Add variant
          </button>
        </fieldset>
      ) : null}

      <ConditionRows
        prefix={`${prefix}.conditions`}
        rules={touch.conditions}
        errors={errors}
        legend="Send only to"
        emptyText="Every enrolled customer receives this touch. Add a condition (e.g. segment is vip) to skip the others."
        onChange={(conditions) => update({ conditions })}
      />

      <TemplatePreviewPanel
        index={index}
        channel={touch.channel}
        customer={previewCustomer}
        waiting={!mapped.ok}
        loading={preview.isFetching}
        data={preview.data}
        stale={preview.isPlaceholderData || Boolean(preview.error)}
        problems={problems}
        error={preview.error}
      />
    </li>
  );
}

function RenderError({ id, problem }: { id: string; problem: RenderProblem }) {
  return (
    <p className="render-error" id={id} role="alert" data-testid="render-error">
      {sequenceRuleMessage(problem.rule)}
      {problem.detail ? (
        <>
          {' '}
          <code>{problem.detail}</code>
        </>
      ) : null}
    </p>
  );
}

function TemplatePreviewPanel({
  index,
  channel,
  customer,
  waiting,
  loading,
  data,
  stale,
  problems,
  error,
}: {
  index: number;
  channel: TouchChannel;
  customer: string;
  waiting: boolean;
  loading: boolean;
  data: TemplatePreview | undefined;
  stale: boolean;
  problems: Record<string, RenderProblem>;
  error: unknown;
}) {
  const customerProblem = problems.customerExternalId;
  const unplaced = isApiError(error) && Object.keys(problems).length === 0 ? error : null;
  return (
    <section
      className="touch-preview"
      aria-label={`Preview of touch ${index + 1}`}
      data-testid={`preview-${index}`}
    >
      <h4>
        Preview{customer.trim() ? ` for ${customer.trim()}` : ''}{' '}
        {loading ? <span className="muted">(updating…)</span> : null}
      </h4>
      {!customer.trim() ? (
        <p className="muted">Choose a customer above to see this touch as they would receive it.</p>
      ) : waiting ? (
        <p className="muted">Fill in the required fields to see the preview.</p>
      ) : null}
      {customerProblem ? (
        <RenderError id={`touches.${index}-customer-render`} problem={customerProblem} />
      ) : null}
      {unplaced ? <p className="render-error">{unplaced.message}</p> : null}
      {data && customer.trim() ? (
        <div className={stale ? 'is-stale' : undefined}>
          {channel === 'email' ? (
            <p className="muted">To: {data.recipient ?? 'no e-mail address on file (the trait “email”)'}</p>
          ) : data.recipient ? (
            <p className="muted">To: {data.recipient}</p>
          ) : null}
          {data.subject !== null ? (
            <p className="touch-preview__subject" data-testid={`preview-subject-${index}`}>
              {data.subject}
            </p>
          ) : null}
          {data.text !== null ? <pre data-testid={`preview-text-${index}`}>{data.text}</pre> : null}
          {channel === 'webhook' && data.payload ? (
            <pre className="mono">{JSON.stringify(data.payload, null, 2)}</pre>
          ) : null}
          {data.offerCode ? <p className="muted">Offer code: {data.offerCode}</p> : null}
          {data.variants.length > 0 ? (
            <ul className="plain">
              {data.variants.map((v) => (
                <li key={v.key}>
                  <strong>Variant {v.key}</strong>: {v.subject ?? v.text}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
