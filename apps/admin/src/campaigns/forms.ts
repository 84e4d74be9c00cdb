import {
  CampaignCreateSchema,
  CampaignPlanRequestSchema,
  CampaignUpdateSchema,
  CostLineInputSchema,
  toFieldErrors,
} from '@liftlab/contracts';
import { allocateCosts } from '@liftlab/stats';
import type {
  Campaign,
  CampaignCreate,
  CampaignPlanRequest,
  CampaignUpdate,
  CostCategory,
  CostLine,
  CostLineInput,
  GrossMargins,
  RevenueStream,
} from '../api/types';
import { fractionToPercent, parseNumber, percentToFraction, type FormErrors } from '../experiments/form';
import { STREAMS, toStatsLedger } from './money';

/**
 * Form state ⇄ request bodies for the cost ledger, the campaign terms and the plan. Every form keeps what was
 * typed as text; mapping checks it with the same zod schemas the API uses, so errors name the same fields.
 */

export type MappingResult<T> = { ok: true; request: T } | { ok: false; errors: FormErrors };

/** Inputs typed in percent: the API's bounds on fractions are restated in percent for them. */
const PERCENT_FIELDS = new Set([
  'discountPercent',
  'holdoutPercent',
  'assumedLiftPercent',
  'grossMarginPercent',
  'alphaPercent',
  'powerPercent',
  'baselineRatePercent',
]);

const PERCENT_RULES: Record<string, string> = {
  max_1: 'at_most_100_percent',
  lt_1: 'below_100_percent',
  gt_0: 'above_0_percent',
  min_0: 'at_least_0_percent',
  'gt_-1': 'above_minus_100_percent',
};

export function ruleFor(field: string, rule: string): string {
  const percent = PERCENT_FIELDS.has(field) || field.startsWith('margin.');
  return (percent && PERCENT_RULES[rule]) || rule;
}

function schemaErrors(
  result: { success: true } | { success: false; error: Parameters<typeof toFieldErrors>[0] },
  errors: FormErrors,
  rename: (path: string) => string = (p) => p,
): void {
  if (result.success) return;
  for (const { path, rule } of toFieldErrors(result.error)) {
    const field = rename(path);
    if (!(field in errors)) errors[field] = ruleFor(field, rule);
  }
}

/** A typed number, or the rule it breaks: empty → required, garbage → type_number. */
function readNumber(text: string, field: string, errors: FormErrors): number {
  const n = parseNumber(text);
  if (Number.isNaN(n)) errors[field] = text.trim() === '' ? 'required' : 'type_number';
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Cost ledger

export interface CostFieldSpec {
  name: string;
  label: string;
  hint?: string;
}

/** The inputs of each kind of cost, in the order people think about them. */
export const COST_FIELDS: Record<CostCategory, readonly CostFieldSpec[]> = {
  technology: [
    { name: 'monthlyCost', label: 'Subscription per month' },
    { name: 'totalCustomers', label: 'Customers it serves' },
    { name: 'touchedCustomers', label: 'Customers this campaign touches' },
    { name: 'months', label: 'Months used' },
    { name: 'startMonth', label: 'First month', hint: '0 is the launch month.' },
  ],
  people: [
    { name: 'hours', label: 'Hours' },
    { name: 'loadedRate', label: 'Loaded hourly rate', hint: 'Salary, taxes and overhead per hour.' },
    { name: 'month', label: 'Month', hint: '0 is the launch month.' },
  ],
  content: [
    { name: 'cost', label: 'Cost' },
    { name: 'usefulLifeMonths', label: 'Useful life (months)' },
    { name: 'monthsUsed', label: 'Months this campaign uses it' },
    { name: 'startMonth', label: 'First month', hint: '0 is the launch month.' },
  ],
  media: [
    { name: 'amount', label: 'Amount' },
    { name: 'month', label: 'Month', hint: '0 is the launch month.' },
  ],
  incentives: [
    { name: 'redemptions', label: 'Redemptions', hint: 'Only discounts actually redeemed cost money.' },
    { name: 'discountPerRedemption', label: 'Discount per redemption' },
    { name: 'month', label: 'Month', hint: '0 is the launch month.' },
  ],
};

const MONTH_FIELDS = new Set(['month', 'startMonth']);

export interface CostForm {
  category: CostCategory;
  label: string;
  values: Record<string, string>;
}

export function emptyCostForm(category: CostCategory = 'media'): CostForm {
  const values: Record<string, string> = {};
  for (const f of COST_FIELDS[category]) values[f.name] = MONTH_FIELDS.has(f.name) ? '0' : '';
  return { category, label: '', values };
}

/** Switching the kind of cost keeps the label and any field both kinds share. */
export function changeCategory(form: CostForm, category: CostCategory): CostForm {
  const next = emptyCostForm(category);
  for (const name of Object.keys(next.values)) {
    const kept = form.values[name];
    if (kept !== undefined && kept !== '') next.values[name] = kept;
  }
  return { ...next, label: form.label };
}

export function fromCostLine(line: CostLine): CostForm {
  const values: Record<string, string> = {};
  for (const f of COST_FIELDS[line.category]) {
    const v = (line as unknown as Record<string, unknown>)[f.name];
    values[f.name] = typeof v === 'number' ? String(v) : '';
  }
  return { category: line.category, label: line.label, values };
}

export function toCostLineInput(form: CostForm): MappingResult<CostLineInput> {
  const errors: FormErrors = {};
  const body: Record<string, unknown> = { category: form.category, label: form.label.trim() };
  for (const f of COST_FIELDS[form.category])
    body[f.name] = readNumber(form.values[f.name] ?? '', f.name, errors);
  schemaErrors(CostLineInputSchema.safeParse(body), errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: body as CostLineInput };
}

/** What a valid line charges the campaign in total (undiscounted), for the preview under the form. */
export function costLineTotal(line: CostLineInput): number {
  return allocateCosts(toStatsLedger([line])).total;
}

// ---------------------------------------------------------------------------------------------------------------
// Campaign terms

export interface CampaignForm {
  name: string;
  key: string;
  programKey: string;
  experimentId: string;
  /** '' = let the API pick the only treated arm. */
  variantKey: string;
  horizonMonths: string;
  discountPercent: string;
  marginPercent: Record<RevenueStream, string>;
  acquisitionCost: string;
  startsOn: string;
}

export const DEFAULT_MARGIN_PERCENT: Record<RevenueStream, string> = {
  upsell: '60',
  cross_sell: '50',
  retention: '40',
  other: '30',
};

export function emptyCampaignForm(): CampaignForm {
  return {
    name: '',
    key: '',
    programKey: '',
    experimentId: '',
    variantKey: '',
    horizonMonths: '12',
    discountPercent: '10',
    marginPercent: { ...DEFAULT_MARGIN_PERCENT },
    acquisitionCost: '',
    startsOn: '',
  };
}

export function fromCampaign(c: Campaign): CampaignForm {
  const marginPercent = { ...DEFAULT_MARGIN_PERCENT };
  for (const s of STREAMS) marginPercent[s] = fractionToPercent(c.grossMargins[s]);
  return {
    name: c.name,
    key: c.key,
    programKey: c.programKey,
    experimentId: c.experimentId,
    variantKey: c.variantKey ?? '',
    horizonMonths: String(c.horizonMonths),
    discountPercent: fractionToPercent(c.annualDiscountRate),
    marginPercent,
    acquisitionCost: c.acquisitionCostPerCustomer === null ? '' : String(c.acquisitionCostPerCustomer),
    startsOn: c.startsOn ?? '',
  };
}

/** Field names of the API (grossMargins.retention, annualDiscountRate) → the inputs that hold them. */
export function campaignField(path: string): string {
  if (path === 'annualDiscountRate') return 'discountPercent';
  if (path === 'acquisitionCostPerCustomer') return 'acquisitionCost';
  const margin = /^grossMargins\.(\w+)$/.exec(path);
  if (margin) return `margin.${margin[1]}`;
  return path;
}

function campaignTerms(form: CampaignForm, errors: FormErrors) {
  const grossMargins = {} as GrossMargins;
  for (const s of STREAMS) {
    grossMargins[s] = percentToFraction(readNumber(form.marginPercent[s], `margin.${s}`, errors));
  }
  const acquisition = form.acquisitionCost.trim();
  return {
    name: form.name.trim(),
    programKey: form.programKey.trim(),
    experimentId: form.experimentId,
    variantKey: form.variantKey || null,
    horizonMonths: readNumber(form.horizonMonths, 'horizonMonths', errors),
    annualDiscountRate: percentToFraction(readNumber(form.discountPercent, 'discountPercent', errors)),
    grossMargins,
    acquisitionCostPerCustomer:
      acquisition === '' ? null : readNumber(form.acquisitionCost, 'acquisitionCost', errors),
    startsOn: form.startsOn.trim() || null,
  };
}

export function toCampaignCreate(form: CampaignForm): MappingResult<CampaignCreate> {
  const errors: FormErrors = {};
  const request: CampaignCreate = { key: form.key.trim(), ...campaignTerms(form, errors) };
  if (!form.experimentId) errors.experimentId = 'required';
  schemaErrors(CampaignCreateSchema.safeParse(request), errors, campaignField);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request };
}

/** JSON with object keys sorted, so two equal values compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** Only the terms that changed are sent (PATCH), so an audit entry shows exactly what moved. */
export function toCampaignUpdate(form: CampaignForm, current: Campaign): MappingResult<CampaignUpdate> {
  const errors: FormErrors = {};
  const terms = campaignTerms(form, errors);
  const update: Record<string, unknown> = {};
  const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);
  for (const [k, v] of Object.entries(terms)) {
    if (!same(v, (current as unknown as Record<string, unknown>)[k])) update[k] = v;
  }
  if (Object.keys(update).length === 0 && Object.keys(errors).length === 0) errors.form = 'empty_update';
  else schemaErrors(CampaignUpdateSchema.safeParse(update), errors, campaignField);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: update as CampaignUpdate };
}

// ---------------------------------------------------------------------------------------------------------------
// Planning before launch

export interface PlanForm {
  audienceSize: string;
  holdoutPercent: string;
  metricType: 'mean' | 'proportion';
  baselineMean: string;
  standardDeviation: string;
  baselineRatePercent: string;
  valuePerConversion: string;
  assumedLiftPercent: string;
  stream: RevenueStream;
  grossMarginPercent: string;
  horizonMonths: string;
  discountPercent: string;
  alphaPercent: string;
  powerPercent: string;
  dailyTraffic: string;
  /** Lines already checked by the cost form. */
  costs: CostLineInput[];
}

export function defaultPlanForm(): PlanForm {
  return {
    audienceSize: '20000',
    holdoutPercent: '10',
    metricType: 'mean',
    baselineMean: '20',
    standardDeviation: '40',
    baselineRatePercent: '5',
    valuePerConversion: '60',
    assumedLiftPercent: '5',
    stream: 'retention',
    grossMarginPercent: '40',
    horizonMonths: '12',
    discountPercent: '10',
    alphaPercent: '5',
    powerPercent: '80',
    dailyTraffic: '',
    costs: [
      { category: 'media', label: 'Email and paid social', amount: 15000, month: 0 },
      {
        category: 'incentives',
        label: 'Win-back voucher',
        redemptions: 1000,
        discountPerRedemption: 10,
        month: 0,
      },
    ],
  };
}

/** Plan field names of the API → the inputs that hold them (every cost problem lands on the ledger). */
export function planField(path: string): string {
  const map: Record<string, string> = {
    holdoutShare: 'holdoutPercent',
    assumedLift: 'assumedLiftPercent',
    grossMargin: 'grossMarginPercent',
    annualDiscountRate: 'discountPercent',
    alpha: 'alphaPercent',
    power: 'powerPercent',
    'metric.baselineMean': 'baselineMean',
    'metric.standardDeviation': 'standardDeviation',
    'metric.baselineRate': 'baselineRatePercent',
    'metric.valuePerConversion': 'valuePerConversion',
  };
  if (map[path]) return map[path];
  if (path.startsWith('costs.')) return 'costs';
  return path;
}

export function toPlanRequest(form: PlanForm): MappingResult<CampaignPlanRequest> {
  const errors: FormErrors = {};
  const pct = (text: string, field: string) => readNumber(text, field, errors) / 100;
  const metric: CampaignPlanRequest['metric'] =
    form.metricType === 'mean'
      ? {
          type: 'mean',
          baselineMean: readNumber(form.baselineMean, 'baselineMean', errors),
          standardDeviation: readNumber(form.standardDeviation, 'standardDeviation', errors),
        }
      : {
          type: 'proportion',
          baselineRate: pct(form.baselineRatePercent, 'baselineRatePercent'),
          valuePerConversion: readNumber(form.valuePerConversion, 'valuePerConversion', errors),
        };
  const costs = form.costs;
  if (costs.length === 0) errors.costs = 'min_1';
  const traffic = form.dailyTraffic.trim();
  const request: CampaignPlanRequest = {
    audienceSize: readNumber(form.audienceSize, 'audienceSize', errors),
    holdoutShare: pct(form.holdoutPercent, 'holdoutPercent'),
    metric,
    assumedLift: pct(form.assumedLiftPercent, 'assumedLiftPercent'),
    stream: form.stream,
    grossMargin: pct(form.grossMarginPercent, 'grossMarginPercent'),
    horizonMonths: readNumber(form.horizonMonths, 'horizonMonths', errors),
    annualDiscountRate: pct(form.discountPercent, 'discountPercent'),
    costs,
    alpha: pct(form.alphaPercent, 'alphaPercent'),
    power: pct(form.powerPercent, 'powerPercent'),
    ...(traffic ? { dailyTraffic: readNumber(traffic, 'dailyTraffic', errors) } : {}),
  };
  if (Object.keys(errors).length === 0)
    schemaErrors(CampaignPlanRequestSchema.safeParse(request), errors, planField);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request };
}
