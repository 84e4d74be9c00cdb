import {
  AudiencePreviewRequestSchema,
  SequenceCreateSchema,
  SequenceUpdateSchema,
  toFieldErrors,
} from '@liftlab/contracts';
import type {
  ActivityEventType,
  AudiencePreviewRequest,
  AudienceRulesInput,
  SequenceCreate,
  SequenceStatus,
  SequenceUpdate,
  SequenceView,
  TargetingRule,
  TouchChannel,
  TouchInput,
  TouchView,
} from '@liftlab/contracts';
import {
  fractionToPercent,
  parseNumber,
  percentToFraction,
  targetingOf,
  type ExperimentForm,
  type FormErrors,
  type MappingResult,
  type TargetingForm,
} from '../experiments/form';

/**
 * The sequence builder keeps what people type (numbers as text, weights in percent) and maps it to the API
 * request. The request is checked with the same zod schema the API uses and every error is keyed by the
 * request's field path (`touches.1.content.subject`), which is also the id of the input showing it, so a local
 * complaint and the API's `errors[].path` land on the same field.
 */

export const CHANNELS: readonly TouchChannel[] = ['email', 'in_app', 'webhook', 'call_task'];

export const CHANNEL_LABEL: Record<TouchChannel, string> = {
  email: 'E-mail',
  in_app: 'In-app message',
  webhook: 'Retargeting webhook',
  call_task: 'Call task',
};

export const EXIT_EVENT_TYPES: readonly ActivityEventType[] = ['order', 'activity', 'conversion'];

/** Every content field of every channel, as typed; the touch's channel decides which ones are sent. */
export interface ContentForm {
  subject: string;
  text: string;
  html: string;
  title: string;
  body: string;
  ctaUrl: string;
  url: string;
  owner: string;
  instructions: string;
  dueInDays: string;
}

export interface ContentVariantForm extends ContentForm {
  key: string;
  weightPercent: string;
}

export interface TouchForm {
  /** Stable identity for React keys while touches are added, removed and reordered. */
  uid: string;
  delayDays: string;
  channel: TouchChannel;
  conditions: TargetingForm[];
  offerKey: string;
  content: ContentForm;
  /** A/B split of the touch's content; off = every enrollment receives `content`. */
  split: boolean;
  variants: ContentVariantForm[];
}

export interface AudienceForm {
  minDaysInactive: string;
  maxDaysInactive: string;
  minPriorSpend: string;
  /** Comma-separated segment names; empty = any segment. */
  segments: string;
  conditions: TargetingForm[];
  excludeContactedWithinDays: string;
  excludeGlobalHoldout: boolean;
}

export interface SequenceForm {
  key: string;
  name: string;
  holdoutPercent: string;
  /** Empty = no cap. */
  maxEnrollmentsPerRun: string;
  reentryDays: string;
  measurementDays: string;
  exitEventTypes: ActivityEventType[];
  audience: AudienceForm;
  touches: TouchForm[];
}

let uidCounter = 0;
function nextUid(): string {
  uidCounter += 1;
  return `touch-${uidCounter}`;
}

export function emptyContent(): ContentForm {
  return {
    subject: '',
    text: '',
    html: '',
    title: '',
    body: '',
    ctaUrl: '',
    url: '',
    owner: '',
    instructions: '',
    dueInDays: '2',
  };
}

export function emptyAudience(): AudienceForm {
  return {
    minDaysInactive: '60',
    maxDaysInactive: '120',
    minPriorSpend: '0',
    segments: '',
    conditions: [],
    excludeContactedWithinDays: '14',
    excludeGlobalHoldout: true,
  };
}

export function newTouch(channel: TouchChannel, delayDays: number): TouchForm {
  return {
    uid: nextUid(),
    delayDays: String(delayDays),
    channel,
    conditions: [],
    offerKey: '',
    content: emptyContent(),
    split: false,
    variants: [],
  };
}

/** A new sequence: the defaults (60–120 days inactive, 10% holdout) and one e-mail on day 0. */
export function emptySequenceForm(): SequenceForm {
  return {
    key: '',
    name: '',
    holdoutPercent: '10',
    maxEnrollmentsPerRun: '',
    reentryDays: '180',
    measurementDays: '30',
    exitEventTypes: ['order', 'activity'],
    audience: emptyAudience(),
    touches: [newTouch('email', 0)],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Touch list operations

/** Days between a new touch and the one before it, when nothing better is known (the 0, 3, 7, 14). */
export const DEFAULT_GAP_DAYS = 3;

/**
 * Appends a touch due a few days after the latest one (day 0 for the first); half-typed delays are skipped, so
 * the new touch still lands after everything that has a day.
 */
export function addTouch(touches: TouchForm[], channel: TouchChannel = 'email'): TouchForm[] {
  if (touches.length === 0) return [newTouch(channel, 0)];
  const days = touches.map((t) => parseNumber(t.delayDays)).filter((d) => Number.isFinite(d) && d >= 0);
  const delay =
    days.length > 0 ? Math.floor(Math.max(...days)) + DEFAULT_GAP_DAYS : DEFAULT_GAP_DAYS * touches.length;
  return [...touches, newTouch(channel, delay)];
}

export function removeTouch(touches: TouchForm[], index: number): TouchForm[] {
  return touches.filter((_, i) => i !== index);
}

/**
 * Moves a touch one place up (-1) or down (+1). The schedule stays with the positions (day 0, 3, 7 …) and the
 * touches move through it, so the cadence stays in increasing order and only what is sent when changes.
 */
export function moveTouch(touches: TouchForm[], index: number, direction: -1 | 1): TouchForm[] {
  const target = index + direction;
  if (index < 0 || index >= touches.length || target < 0 || target >= touches.length) return touches;
  const moved = [...touches];
  const a = moved[index]!;
  const b = moved[target]!;
  moved[index] = { ...b, delayDays: a.delayDays };
  moved[target] = { ...a, delayDays: b.delayDays };
  return moved;
}

/** Turns the A/B split on (two variants starting from the touch's content, 50/50) or off. */
export function setSplit(touch: TouchForm, split: boolean): TouchForm {
  if (!split) return { ...touch, split: false, variants: [] };
  if (touch.variants.length >= 2) return { ...touch, split: true };
  return {
    ...touch,
    split: true,
    variants: [
      { ...touch.content, key: 'a', weightPercent: '50' },
      { ...touch.content, key: 'b', weightPercent: '50' },
    ],
  };
}

/** Adds a variant and spreads the weights evenly again (rounded to 0.01 points, the last one takes the rest). */
export function addVariant(touch: TouchForm): TouchForm {
  const used = new Set(touch.variants.map((v) => v.key));
  let code = 97;
  while (used.has(String.fromCharCode(code))) code += 1;
  const variants = [
    ...touch.variants,
    { ...touch.content, key: String.fromCharCode(code), weightPercent: '' },
  ];
  return { ...touch, variants: evenWeights(variants) };
}

export function removeVariant(touch: TouchForm, index: number): TouchForm {
  const variants = evenWeights(touch.variants.filter((_, i) => i !== index));
  return { ...touch, variants };
}

function evenWeights(variants: ContentVariantForm[]): ContentVariantForm[] {
  if (variants.length === 0) return variants;
  const share = Math.floor(10_000 / variants.length) / 100;
  return variants.map((v, i) => ({
    ...v,
    weightPercent:
      i === variants.length - 1
        ? String(Math.round((100 - share * (variants.length - 1)) * 100) / 100)
        : String(share),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Form → request

/** Audience and touch conditions use the experiment targeting rows and their mapping, which only reads them. */
function rulesOf(targeting: TargetingForm[]): TargetingRule[] {
  return targetingOf({ targeting } as Pick<ExperimentForm, 'targeting'> as ExperimentForm);
}

function trimmedOrUndefined(text: string): string | undefined {
  const t = text.trim();
  return t === '' ? undefined : t;
}

/** Whole numbers typed as text; '' stays NaN so the check below can say "required". */
function wholeNumber(text: string): number {
  return parseNumber(text);
}

function channelFields(channel: TouchChannel, c: ContentForm): Record<string, unknown> {
  switch (channel) {
    case 'email': {
      const fields: Record<string, unknown> = { subject: c.subject, text: c.text };
      if (c.html.trim() !== '') fields.html = c.html;
      return fields;
    }
    case 'in_app': {
      const fields: Record<string, unknown> = { title: c.title, body: c.body };
      const cta = trimmedOrUndefined(c.ctaUrl);
      if (cta !== undefined) fields.ctaUrl = cta;
      return fields;
    }
    case 'webhook':
      return { url: c.url.trim() };
    case 'call_task':
      return {
        owner: c.owner.trim(),
        title: c.title,
        instructions: c.instructions,
        dueInDays: wholeNumber(c.dueInDays),
      };
  }
}

/** The channel's content of a touch, with its A/B variants when split (weights as fractions). */
export function contentOf(touch: Pick<TouchForm, 'channel' | 'content' | 'split' | 'variants'>) {
  const base = channelFields(touch.channel, touch.content);
  if (!touch.split) return base;
  return {
    ...base,
    variants: touch.variants.map((v) => ({
      ...channelFields(touch.channel, v),
      key: v.key.trim(),
      weight: percentToFraction(parseNumber(v.weightPercent)),
    })),
  };
}

export function touchOf(touch: TouchForm): TouchInput {
  const offerKey = trimmedOrUndefined(touch.offerKey);
  return {
    channel: touch.channel,
    delayDays: wholeNumber(touch.delayDays),
    conditions: rulesOf(touch.conditions),
    offerKey: offerKey ?? null,
    content: contentOf(touch),
  } as TouchInput;
}

export function segmentsOf(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function audienceOf(a: AudienceForm): AudienceRulesInput {
  return {
    minDaysInactive: wholeNumber(a.minDaysInactive),
    maxDaysInactive: wholeNumber(a.maxDaysInactive),
    minPriorSpend: a.minPriorSpend.trim() === '' ? 0 : parseNumber(a.minPriorSpend),
    segments: segmentsOf(a.segments),
    conditions: rulesOf(a.conditions),
    excludeContactedWithinDays: wholeNumber(a.excludeContactedWithinDays),
    excludeGlobalHoldout: a.excludeGlobalHoldout,
  };
}

function capOf(text: string): number | null {
  return text.trim() === '' ? null : wholeNumber(text);
}

export function buildCreateRequest(form: SequenceForm): SequenceCreate {
  return {
    key: form.key.trim(),
    name: form.name.trim(),
    audience: audienceOf(form.audience),
    holdoutPercent: parseNumber(form.holdoutPercent),
    maxEnrollmentsPerRun: capOf(form.maxEnrollmentsPerRun),
    reentryDays: wholeNumber(form.reentryDays),
    exitEventTypes: form.exitEventTypes,
    measurementDays: wholeNumber(form.measurementDays),
    touches: form.touches.map(touchOf),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

/** Blank number fields say "required" instead of the schema's "must be a number". */
function requireNumber(errors: FormErrors, path: string, text: string): void {
  if (text.trim() === '') errors[path] = 'required';
  else if (!Number.isFinite(parseNumber(text))) errors[path] = 'type_number';
}

function checkConditions(errors: FormErrors, prefix: string, rules: TargetingForm[]): void {
  rules.forEach((r, i) => {
    if (!r.attribute.trim()) errors[`${prefix}.${i}.attribute`] = 'required';
    if (r.operator !== 'exists' && r.operator !== 'not_exists' && !r.value.trim())
      errors[`${prefix}.${i}.value`] = 'required';
  });
}

function checkAudience(errors: FormErrors, a: AudienceForm, prefix = 'audience'): void {
  requireNumber(errors, `${prefix}.minDaysInactive`, a.minDaysInactive);
  requireNumber(errors, `${prefix}.maxDaysInactive`, a.maxDaysInactive);
  requireNumber(errors, `${prefix}.excludeContactedWithinDays`, a.excludeContactedWithinDays);
  if (a.minPriorSpend.trim() !== '' && !Number.isFinite(parseNumber(a.minPriorSpend)))
    errors[`${prefix}.minPriorSpend`] = 'type_number';
  checkConditions(errors, `${prefix}.conditions`, a.conditions);
}

function checkHoldout(errors: FormErrors, text: string): void {
  requireNumber(errors, 'holdoutPercent', text);
}

function checkTouches(errors: FormErrors, touches: TouchForm[]): void {
  if (touches.length === 0) errors.touches = 'at_least_1';
  touches.forEach((t, i) => {
    requireNumber(errors, `touches.${i}.delayDays`, t.delayDays);
    if (t.channel === 'call_task')
      requireNumber(errors, `touches.${i}.content.dueInDays`, t.content.dueInDays);
    checkConditions(errors, `touches.${i}.conditions`, t.conditions);
    if (t.split) {
      const keys = new Set<string>();
      let sum = 0;
      t.variants.forEach((v, j) => {
        const path = `touches.${i}.content.variants.${j}`;
        const w = parseNumber(v.weightPercent);
        if (v.weightPercent.trim() === '') errors[`${path}.weight`] = 'required';
        else if (!Number.isFinite(w) || w <= 0 || w > 100) errors[`${path}.weight`] = 'between_0_and_100';
        sum += w;
        const key = v.key.trim();
        if (key && keys.has(key)) errors[`${path}.key`] = 'unique';
        keys.add(key);
      });
      if (t.variants.length < 2) errors[`touches.${i}.content.variants`] = 'at_least_2';
      else if (Number.isFinite(sum) && Math.abs(sum - 100) > 0.01)
        errors[`touches.${i}.content.variants`] = 'weights_sum_to_1';
    }
  });
}

function addSchemaErrors(
  result: { success: true } | { success: false; error: Parameters<typeof toFieldErrors>[0] },
  errors: FormErrors,
  prefix = '',
): void {
  if (result.success) return;
  for (const { path, rule } of toFieldErrors(result.error)) {
    const field = prefix ? (path ? `${prefix}.${path}` : prefix) : path;
    if (!(field in errors)) errors[field] = rule;
  }
}

export function toCreateRequest(form: SequenceForm): MappingResult<SequenceCreate> {
  const errors: FormErrors = {};
  checkHoldout(errors, form.holdoutPercent);
  checkAudience(errors, form.audience);
  checkTouches(errors, form.touches);
  requireNumber(errors, 'reentryDays', form.reentryDays);
  requireNumber(errors, 'measurementDays', form.measurementDays);
  const request = buildCreateRequest(form);
  addSchemaErrors(SequenceCreateSchema.safeParse(request), errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request };
}

/**
 * A draft changes in full. Once launched the holdout share is frozen (the experiment has started) and is not
 * sent; the touches keep their number and channels, which the API checks.
 */
export function toUpdateRequest(form: SequenceForm, status: SequenceStatus): MappingResult<SequenceUpdate> {
  const created = toCreateRequest(form);
  if (!created.ok) return created;
  const { key: _key, ...rest } = created.request;
  const update: SequenceUpdate = { ...rest };
  if (status !== 'draft') delete update.holdoutPercent;
  const errors: FormErrors = {};
  addSchemaErrors(SequenceUpdateSchema.safeParse(update), errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: update };
}

/**
 * The audience preview request, or the errors that keep it from being sent (the preview only runs on rules
 * the API would accept, so a half-typed number does not flash an error from the server).
 */
export function toPreviewRequest(
  form: Pick<SequenceForm, 'audience' | 'holdoutPercent' | 'maxEnrollmentsPerRun'>,
): MappingResult<AudiencePreviewRequest> {
  const errors: FormErrors = {};
  checkAudience(errors, form.audience);
  checkHoldout(errors, form.holdoutPercent);
  const request: AudiencePreviewRequest = {
    audience: audienceOf(form.audience),
    holdoutPercent: parseNumber(form.holdoutPercent),
    maxEnrollmentsPerRun: capOf(form.maxEnrollmentsPerRun),
  };
  addSchemaErrors(AudiencePreviewRequestSchema.safeParse(request), errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request };
}

/** Where an API error path is shown: `touches[1].content.subject` and `touches.1.content.subject` alike. */
export function normaliseErrorPath(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

export function mapServerErrors(errors: FormErrors): FormErrors {
  const out: FormErrors = {};
  for (const [path, rule] of Object.entries(errors)) {
    const field = normaliseErrorPath(path);
    if (!(field in out)) out[field] = rule;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Stored sequence → form

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function contentFormOf(raw: Record<string, unknown>): ContentForm {
  const base = emptyContent();
  return {
    subject: text(raw.subject),
    text: text(raw.text),
    html: text(raw.html),
    title: text(raw.title),
    body: text(raw.body),
    ctaUrl: text(raw.ctaUrl),
    url: text(raw.url),
    owner: text(raw.owner),
    instructions: text(raw.instructions),
    dueInDays: raw.dueInDays === undefined ? base.dueInDays : text(raw.dueInDays),
  };
}

function conditionForms(rules: unknown[]): TargetingForm[] {
  return (rules as TargetingRule[]).map((rule) => {
    if (rule.type === 'segment')
      return { attribute: 'segment', operator: rule.operator, value: rule.segments.join(', ') };
    const value = rule.value;
    return {
      attribute: rule.attribute,
      operator: rule.operator,
      value: value === undefined ? '' : Array.isArray(value) ? value.map(String).join(', ') : String(value),
    };
  });
}

export function touchFormOf(view: TouchView): TouchForm {
  const raw = view.content;
  const variants = Array.isArray(raw.variants) ? (raw.variants as Record<string, unknown>[]) : [];
  return {
    uid: nextUid(),
    delayDays: String(view.delayDays),
    channel: view.channel,
    conditions: conditionForms(view.conditions),
    offerKey: view.offerKey ?? '',
    content: contentFormOf(raw),
    split: variants.length > 0,
    variants: variants.map((v) => ({
      ...contentFormOf(v),
      key: text(v.key),
      weightPercent: typeof v.weight === 'number' ? fractionToPercent(v.weight) : '',
    })),
  };
}

/** Fills the builder from a stored sequence: the inverse of `buildCreateRequest` for valid input. */
export function fromSequence(view: SequenceView): SequenceForm {
  const a = view.audience;
  return {
    key: view.key,
    name: view.name,
    holdoutPercent: String(view.holdoutPercent),
    maxEnrollmentsPerRun: view.maxEnrollmentsPerRun === null ? '' : String(view.maxEnrollmentsPerRun),
    reentryDays: String(view.reentryDays),
    measurementDays: String(view.measurementDays),
    exitEventTypes: view.exitEventTypes.filter((t): t is ActivityEventType =>
      (EXIT_EVENT_TYPES as readonly string[]).includes(t),
    ),
    audience: {
      minDaysInactive: String(a.minDaysInactive),
      maxDaysInactive: String(a.maxDaysInactive),
      minPriorSpend: String(a.minPriorSpend),
      segments: a.segments.join(', '),
      conditions: conditionForms(a.conditions),
      excludeContactedWithinDays: String(a.excludeContactedWithinDays),
      excludeGlobalHoldout: a.excludeGlobalHoldout,
    },
    touches: [...view.touches].sort((x, y) => x.position - y.position).map(touchFormOf),
  };
}

/** Sequence states and what can be done in each. */
export const SEQUENCE_STATUS_LABEL: Record<SequenceStatus, string> = {
  draft: 'Draft',
  running: 'Running',
  paused: 'Paused',
  archived: 'Archived',
};

export type SequenceAction = 'launch' | 'pause' | 'resume';

export function actionsFor(status: SequenceStatus): SequenceAction[] {
  switch (status) {
    case 'draft':
      return ['launch'];
    case 'running':
      return ['pause'];
    case 'paused':
      return ['resume'];
    default:
      return [];
  }
}

/** Which content fields a channel shows, in order. */
export const CHANNEL_FIELDS: Record<TouchChannel, readonly (keyof ContentForm)[]> = {
  email: ['subject', 'text', 'html'],
  in_app: ['title', 'body', 'ctaUrl'],
  webhook: ['url'],
  call_task: ['owner', 'title', 'instructions', 'dueInDays'],
};

/** Fields that are Liquid templates (previewed on a customer). */
export const TEMPLATE_FIELDS: ReadonlySet<keyof ContentForm> = new Set([
  'subject',
  'text',
  'html',
  'title',
  'body',
  'ctaUrl',
  'instructions',
]);
