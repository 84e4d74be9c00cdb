import { CustomerInputSchema, type CustomerInput, type RowError } from '@liftlab/contracts';
import { validateRows } from '../events/row-validation';

/** Fields of a customer a bulk entry may set; absent means "keep", null means "clear". */
export const CUSTOMER_FIELDS = [
  'segment',
  'acquisitionDate',
  'acquisitionChannel',
  'plan',
  'country',
  'timezone',
] as const;

export type CustomerPatch = Pick<CustomerInput, 'externalId' | 'traits' | (typeof CUSTOMER_FIELDS)[number]>;

export interface PreparedCustomers {
  /** One patch per externalId, entries repeating it folded in request order. */
  patches: CustomerPatch[];
  rejected: RowError[];
}

/**
 * Validates each entry on its own and folds entries that repeat an externalId into one patch, as if they
 * had been applied one after the other (later fields win; traits merge key by key).
 */
export function prepareCustomers(entries: readonly unknown[]): PreparedCustomers {
  const { valid, rejected } = validateRows(entries, CustomerInputSchema);
  const byExternalId = new Map<string, CustomerPatch>();
  for (const { value } of valid) {
    const previous = byExternalId.get(value.externalId);
    if (!previous) {
      byExternalId.set(value.externalId, stripUndefined(value));
      continue;
    }
    const merged: CustomerPatch = { ...previous, ...stripUndefined(value) };
    if (previous.traits && value.traits) merged.traits = { ...previous.traits, ...value.traits };
    byExternalId.set(value.externalId, merged);
  }
  return { patches: [...byExternalId.values()], rejected };
}

function stripUndefined(input: CustomerInput): CustomerPatch {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as CustomerPatch;
}
