import { OfferCreateSchema, toFieldErrors } from '@liftlab/contracts';
import type { OfferCreate, OfferKind } from '@liftlab/contracts';
import { parseNumber, type FormErrors, type MappingResult } from '../experiments/form';

/** The small "new offer" form of the builder: typed text in, `OfferCreate` out, errors keyed by request path. */
export interface OfferForm {
  kind: OfferKind;
  key: string;
  name: string;
  percent: string;
  codePrefix: string;
  targetTier: string;
  termsDays: string;
  description: string;
  /** Empty = never expires (upgrades and pilots); a discount always needs it. */
  validDays: string;
}

export const OFFER_KIND_LABEL: Record<OfferKind, string> = {
  discount: 'Discount code',
  tier_upgrade: 'Tier upgrade',
  pilot: 'Pilot (B2B)',
};

export function emptyOfferForm(): OfferForm {
  return {
    kind: 'discount',
    key: '',
    name: '',
    percent: '20',
    codePrefix: '',
    targetTier: '',
    termsDays: '30',
    description: '',
    validDays: '14',
  };
}

function number(text: string): number {
  return parseNumber(text);
}

export function buildOfferRequest(form: OfferForm): OfferCreate {
  const base = { key: form.key.trim(), name: form.name.trim() };
  const valid = form.validDays.trim() === '' ? undefined : number(form.validDays);
  switch (form.kind) {
    case 'discount':
      return {
        ...base,
        kind: 'discount',
        percent: number(form.percent),
        validDays: valid ?? Number.NaN,
        codePrefix: form.codePrefix.trim().toUpperCase(),
      };
    case 'tier_upgrade':
      return {
        ...base,
        kind: 'tier_upgrade',
        targetTier: form.targetTier.trim(),
        ...(valid === undefined ? {} : { validDays: valid }),
      };
    case 'pilot':
      return {
        ...base,
        kind: 'pilot',
        termsDays: number(form.termsDays),
        description: form.description.trim(),
        ...(valid === undefined ? {} : { validDays: valid }),
      };
  }
}

export function toOfferRequest(form: OfferForm): MappingResult<OfferCreate> {
  const errors: FormErrors = {};
  const numbers: [keyof OfferForm, boolean][] = [
    ['percent', form.kind === 'discount'],
    ['validDays', form.kind === 'discount' || form.validDays.trim() !== ''],
    ['termsDays', form.kind === 'pilot'],
  ];
  for (const [field, needed] of numbers) {
    if (!needed) continue;
    if (form[field].trim() === '') errors[field] = 'required';
    else if (!Number.isFinite(number(form[field]))) errors[field] = 'type_number';
  }
  const request = buildOfferRequest(form);
  const parsed = OfferCreateSchema.safeParse(request);
  if (!parsed.success) {
    for (const { path, rule } of toFieldErrors(parsed.error)) if (!(path in errors)) errors[path] = rule;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request };
}
