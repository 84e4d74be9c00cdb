import {
  ExperimentCreateSchema,
  ExperimentRampSchema,
  ExperimentUpdateSchema,
  HOLDOUT_CONTROL_KEY,
  HOLDOUT_TREATED_KEY,
  toFieldErrors,
} from '@liftlab/contracts';
import type {
  Engine,
  Experiment,
  ExperimentCreate,
  ExperimentKind,
  ExperimentRamp,
  ExperimentStatus,
  ExperimentUpdate,
  MetricRole,
  TargetingOperator,
  TargetingRule,
  VariantInput,
} from '../api/types';

/**
 * The experiment form keeps what people type (percentages as text) and maps it to the API request
 * (fractions, typed targeting values). The request is then checked with the same zod schema the API uses, and
 * every error is keyed by the request's field path, so a local complaint and the API's `errors[].path` land on
 * the same input.
 */

export interface VariantForm {
  key: string;
  name: string;
  weightPercent: string;
  isControl: boolean;
}

export interface TargetingForm {
  attribute: string;
  operator: TargetingOperator;
  value: string;
}

export interface MetricForm {
  metricKey: string;
  role: MetricRole;
}

export interface ExperimentForm {
  key: string;
  name: string;
  kind: ExperimentKind;
  hypothesis: string;
  /** A/B arms (a holdout experiment derives its two arms from `holdoutPercent`). */
  variants: VariantForm[];
  /** Share of customers in the experiment kept untreated, in percent. */
  holdoutPercent: string;
  treatedName: string;
  coveragePercent: string;
  namespaceKey: string;
  namespaceStartPercent: string;
  namespaceEndPercent: string;
  targeting: TargetingForm[];
  metrics: MetricForm[];
  engine: Engine;
}

export type FormErrors = Record<string, string>;

export const TARGETING_ATTRIBUTES = [
  'segment',
  'plan',
  'country',
  'timezone',
  'acquisitionChannel',
  'acquisitionDate',
  'externalId',
] as const;

export const OPERATOR_LABEL: Record<TargetingOperator, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  contains: 'contains',
  exists: 'is set',
  not_exists: 'is not set',
};

const LIST_OPERATORS: readonly TargetingOperator[] = ['in', 'not_in'];
const ORDER_OPERATORS: readonly TargetingOperator[] = ['gt', 'gte', 'lt', 'lte'];
const VALUELESS_OPERATORS: readonly TargetingOperator[] = ['exists', 'not_exists'];

export function operatorTakesValue(op: TargetingOperator): boolean {
  return !VALUELESS_OPERATORS.includes(op);
}

export function emptyForm(kind: ExperimentKind = 'holdout'): ExperimentForm {
  return {
    key: '',
    name: '',
    kind,
    hypothesis: '',
    variants: [
      { key: 'control', name: 'Control', weightPercent: '50', isControl: true },
      { key: 'treatment', name: 'Treatment', weightPercent: '50', isControl: false },
    ],
    holdoutPercent: '10',
    treatedName: 'Treated',
    coveragePercent: '100',
    namespaceKey: '',
    namespaceStartPercent: '0',
    namespaceEndPercent: '100',
    targeting: [],
    metrics: [],
    engine: 'frequentist',
  };
}

/** Parses a typed number (a decimal comma is accepted); '' and garbage become NaN so validation names the field. */
export function parseNumber(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return Number.NaN;
  return Number(trimmed);
}

/** Percent → fraction, rounded to 6 decimals so 33.3333% three times still sums to 1 within the API's tolerance. */
export function percentToFraction(percent: number): number {
  return Math.round(percent * 10_000) / 1_000_000;
}

export function fractionToPercent(fraction: number): string {
  return String(Math.round(fraction * 1_000_000) / 10_000);
}

/** The arms the form describes, as fractions; used by the request and by the power calculator. */
export function variantsOf(form: ExperimentForm): VariantInput[] {
  if (form.kind === 'holdout') {
    const holdout = parseNumber(form.holdoutPercent);
    return [
      { key: HOLDOUT_CONTROL_KEY, name: 'Holdout', weight: percentToFraction(holdout), isControl: true },
      {
        key: HOLDOUT_TREATED_KEY,
        name: form.treatedName.trim() || 'Treated',
        weight: percentToFraction(100 - holdout),
        isControl: false,
      },
    ];
  }
  return form.variants.map((v) => ({
    key: v.key.trim(),
    name: v.name.trim(),
    weight: percentToFraction(parseNumber(v.weightPercent)),
    isControl: v.isControl,
  }));
}

function parseTargetingValue(rule: TargetingForm): string | number | string[] | undefined {
  const raw = rule.value.trim();
  if (!operatorTakesValue(rule.operator)) return undefined;
  if (LIST_OPERATORS.includes(rule.operator)) {
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  if (ORDER_OPERATORS.includes(rule.operator)) {
    const n = parseNumber(raw);
    // Dates compare as ISO strings; numbers compare as numbers.
    return Number.isFinite(n) ? n : raw;
  }
  return raw;
}

export function targetingOf(form: ExperimentForm): TargetingRule[] {
  return form.targeting.map((r): TargetingRule => {
    const value = parseTargetingValue(r);
    const attribute = r.attribute.trim();
    return value === undefined
      ? { type: 'attribute', attribute, operator: r.operator }
      : { type: 'attribute', attribute, operator: r.operator, value };
  });
}

/**
 * Checks on the typed text (the schema only sees the numbers it was given), plus the cross-field rules of the
 * schema, which zod skips while any single field is invalid; reporting everything at once saves round trips.
 */
function checkTypedNumbers(form: ExperimentForm, errors: FormErrors): void {
  if (form.kind === 'holdout') {
    const h = parseNumber(form.holdoutPercent);
    if (!Number.isFinite(h)) errors.holdoutPercent = 'required';
    else if (h <= 0 || h >= 100) errors.holdoutPercent = 'between_0_and_100_exclusive';
  } else {
    const seen = new Set<string>();
    let sum = 0;
    form.variants.forEach((v, i) => {
      const w = parseNumber(v.weightPercent);
      if (!Number.isFinite(w)) errors[`variants.${i}.weight`] = 'required';
      else if (w <= 0 || w > 100) errors[`variants.${i}.weight`] = 'between_0_and_100';
      sum += w;
      const key = v.key.trim();
      if (key && seen.has(key)) errors[`variants.${i}.key`] = 'unique';
      seen.add(key);
    });
    if (form.variants.length >= 2 && form.variants.filter((v) => v.isControl).length !== 1) {
      errors.variants = 'one_control';
    } else if (Number.isFinite(sum) && Math.abs(sum - 100) > 1e-4) {
      errors.variants = 'weights_sum_to_1';
    }
  }
  const coverage = parseNumber(form.coveragePercent);
  if (!Number.isFinite(coverage)) errors.coverage = 'required';
  else if (coverage <= 0 || coverage > 100) errors.coverage = 'between_0_and_100';
  if (form.namespaceKey) {
    const start = parseNumber(form.namespaceStartPercent);
    const end = parseNumber(form.namespaceEndPercent);
    if (!Number.isFinite(start) || start < 0 || start >= 100) errors['namespace.start'] = 'between_0_and_100';
    if (!Number.isFinite(end) || end <= 0 || end > 100) errors['namespace.end'] = 'between_0_and_100';
  }
  form.targeting.forEach((r, i) => {
    if (operatorTakesValue(r.operator) && !r.value.trim()) errors[`targeting.${i}.value`] = 'required';
  });
  const metricKeys = new Set<string>();
  form.metrics.forEach((m, i) => {
    if (!m.metricKey) errors[`metrics.${i}.metricKey`] = 'required';
    else if (metricKeys.has(m.metricKey)) errors[`metrics.${i}.metricKey`] = 'unique';
    metricKeys.add(m.metricKey);
  });
  if (form.metrics.filter((m) => m.role === 'primary').length > 1) errors.metrics = 'at_most_one_primary';
  if (!form.hypothesis.trim()) errors.hypothesis = 'required';
}

/** Adds the schema's own complaints, keeping the first (most specific) one per field. */
function addSchemaErrors(
  result: { success: true } | { success: false; error: Parameters<typeof toFieldErrors>[0] },
  kind: ExperimentKind,
  errors: FormErrors,
): void {
  if (result.success) return;
  for (const { path, rule } of toFieldErrors(result.error)) {
    const field = fieldForPath(path, kind);
    if (!(field in errors)) errors[field] = rule;
  }
}

export type MappingResult<T> = { ok: true; request: T } | { ok: false; errors: FormErrors };

export function buildCreateRequest(form: ExperimentForm): ExperimentCreate {
  const request: ExperimentCreate = {
    key: form.key.trim(),
    name: form.name.trim(),
    kind: form.kind,
    hypothesis: form.hypothesis.trim(),
    coverage: percentToFraction(parseNumber(form.coveragePercent)),
    variants: variantsOf(form),
    targeting: targetingOf(form),
    engine: form.engine,
    metrics: form.metrics.map((m) => ({ metricKey: m.metricKey, role: m.role })),
  };
  if (form.namespaceKey) {
    request.namespace = {
      key: form.namespaceKey,
      start: percentToFraction(parseNumber(form.namespaceStartPercent)),
      end: percentToFraction(parseNumber(form.namespaceEndPercent)),
    };
  }
  return request;
}

export function toCreateRequest(form: ExperimentForm): MappingResult<ExperimentCreate> {
  const errors: FormErrors = {};
  checkTypedNumbers(form, errors);
  const request = buildCreateRequest(form);
  addSchemaErrors(ExperimentCreateSchema.safeParse(request), form.kind, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request };
}

/**
 * A draft can change in full. Once started, the form only sends the description (name, hypothesis): who gets what
 * is locked so the comparison stays clean, and coverage or weights move through a ramp, audited as one.
 */
export function toUpdateRequest(
  form: ExperimentForm,
  status: ExperimentStatus,
): MappingResult<ExperimentUpdate> {
  if (status === 'draft') {
    const created = toCreateRequest(form);
    if (!created.ok) return created;
    const { key: _key, ...rest } = created.request;
    const update: ExperimentUpdate = {
      name: rest.name,
      kind: form.kind,
      hypothesis: form.hypothesis.trim(),
      coverage: percentToFraction(parseNumber(form.coveragePercent)),
      variants: rest.variants,
      namespace: rest.namespace ?? null,
      targeting: targetingOf(form),
      engine: form.engine,
      metrics: form.metrics.map((m) => ({ metricKey: m.metricKey, role: m.role })),
    };
    return { ok: true, request: update };
  }
  const errors: FormErrors = {};
  const update: ExperimentUpdate = { name: form.name.trim(), hypothesis: form.hypothesis.trim() };
  if (!form.hypothesis.trim()) errors.hypothesis = 'required';
  addSchemaErrors(ExperimentUpdateSchema.safeParse(update), form.kind, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: update };
}

function targetingValueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
}

function ruleToForm(rule: TargetingRule): TargetingForm {
  if (rule.type === 'segment') {
    return { attribute: 'segment', operator: rule.operator, value: rule.segments.join(', ') };
  }
  return { attribute: rule.attribute, operator: rule.operator, value: targetingValueText(rule.value) };
}

/** Fills the form from a stored experiment: the inverse of `buildCreateRequest` for valid input. */
export function fromExperiment(exp: Experiment): ExperimentForm {
  const base = emptyForm(exp.kind);
  const holdout = exp.variants.find((v) => v.key === HOLDOUT_CONTROL_KEY);
  const treated = exp.variants.find((v) => v.key === HOLDOUT_TREATED_KEY);
  return {
    ...base,
    key: exp.key,
    name: exp.name,
    kind: exp.kind,
    hypothesis: exp.hypothesis,
    variants:
      exp.kind === 'ab'
        ? [...exp.variants]
            .sort((a, b) => a.position - b.position)
            .map((v) => ({
              key: v.key,
              name: v.name,
              weightPercent: fractionToPercent(v.weight),
              isControl: v.isControl,
            }))
        : base.variants,
    holdoutPercent: holdout ? fractionToPercent(holdout.weight) : base.holdoutPercent,
    treatedName: treated?.name ?? base.treatedName,
    coveragePercent: fractionToPercent(exp.coverage),
    namespaceKey: exp.namespace?.key ?? '',
    namespaceStartPercent: exp.namespace ? fractionToPercent(exp.namespace.start) : '0',
    namespaceEndPercent: exp.namespace ? fractionToPercent(exp.namespace.end) : '100',
    targeting: exp.targeting.map(ruleToForm),
    metrics: exp.metrics.map((m) => ({ metricKey: m.metricKey, role: m.role })),
    engine: exp.engine,
  };
}

/**
 * Where an error for request path `path` is shown. A holdout form has one share input instead of variant rows,
 * so the API's variant errors are shown on it.
 */
export function fieldForPath(path: string, kind: ExperimentKind): string {
  if (kind === 'holdout' && (path === 'variants' || path.startsWith('variants.'))) return 'holdoutPercent';
  if (path === 'namespace') return 'namespace.key';
  return path;
}

export function mapServerErrors(errors: FormErrors, kind: ExperimentKind): FormErrors {
  const out: FormErrors = {};
  for (const [path, rule] of Object.entries(errors)) {
    const field = fieldForPath(path, kind);
    if (!(field in out)) out[field] = rule;
  }
  return out;
}

/** Ramp request from the ramp dialog: only what changed is sent; weights are sent for every variant or none. */
export function toRampRequest(
  current: Pick<Experiment, 'coverage' | 'variants'>,
  coveragePercent: string,
  weightPercents: Record<string, string>,
): MappingResult<ExperimentRamp> {
  const errors: FormErrors = {};
  const request: ExperimentRamp = {};
  const coverage = parseNumber(coveragePercent);
  if (!Number.isFinite(coverage) || coverage <= 0 || coverage > 100) errors.coverage = 'between_0_and_100';
  else if (percentToFraction(coverage) !== percentToFraction(current.coverage * 100)) {
    request.coverage = percentToFraction(coverage);
  }
  const weights: Record<string, number> = {};
  let changed = false;
  for (const v of current.variants) {
    const text = weightPercents[v.key];
    const w = text === undefined ? v.weight * 100 : parseNumber(text);
    if (!Number.isFinite(w) || w <= 0 || w >= 100) {
      errors[`weights.${v.key}`] = 'between_0_and_100_exclusive';
      continue;
    }
    weights[v.key] = percentToFraction(w);
    if (weights[v.key] !== percentToFraction(v.weight * 100)) changed = true;
  }
  if (changed) request.weights = weights;
  if (Object.keys(errors).length === 0) {
    if (request.coverage === undefined && request.weights === undefined)
      errors.coverage = 'coverage_or_weights';
    else addSchemaErrors(ExperimentRampSchema.safeParse(request), 'ab', errors);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request };
}
