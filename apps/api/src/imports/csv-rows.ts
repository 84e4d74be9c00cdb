import type { ImportKind, ImportRowError } from '@liftlab/contracts';

/**
 * Turning CSV rows (arrays of strings) into the JSON entries the bulk APIs take. Pure: the streaming, batching
 * and storing happen in ImportsService.
 */

export interface ColumnSpec {
  /** Canonical column names and whether each is required. */
  columns: Record<string, { required: boolean }>;
  /** Columns starting with this prefix are allowed and collected (customers: `trait.`). */
  prefix?: string;
  /** Other names a column goes by in files exported from other tools. */
  aliases?: Record<string, string>;
}

export const IMPORT_COLUMNS: Record<ImportKind, ColumnSpec> = {
  customers: {
    columns: {
      externalId: { required: true },
      segment: { required: false },
      acquisitionDate: { required: false },
      acquisitionChannel: { required: false },
      plan: { required: false },
      country: { required: false },
      timezone: { required: false },
    },
    prefix: 'trait.',
  },
  orders: {
    columns: {
      orderId: { required: true },
      customerId: { required: true },
      amount: { required: true },
      currency: { required: true },
      occurredAt: { required: true },
      revenueStream: { required: false },
      experimentKey: { required: false },
      variantKey: { required: false },
    },
  },
  experiment: {
    columns: {
      customerId: { required: true },
      experimentKey: { required: true },
      variantKey: { required: true },
      assignedAt: { required: false },
      outcome: { required: false },
      outcomeAt: { required: false },
    },
    aliases: { customer: 'customerId', experiment: 'experimentKey', variant: 'variantKey' },
  },
};

/** Header cell → comparable form: case, spaces, '-' and '_' do not matter. */
export function normalizeColumn(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

export interface Header {
  /** For each CSV column: canonical name, `trait.<name>`, or null when the column is empty-named. */
  fields: (string | null)[];
}

/** Maps the header to canonical names; reports unknown, repeated and missing required columns. */
export function readHeader(kind: ImportKind, cells: string[]): { header: Header; errors: ImportRowError[] } {
  const spec = IMPORT_COLUMNS[kind];
  const names: [string, string][] = [
    ...Object.keys(spec.columns).map((c): [string, string] => [c, c]),
    ...Object.entries(spec.aliases ?? {}),
  ];
  const byNormal = new Map(names.map(([name, c]) => [normalizeColumn(name), c]));
  const errors: ImportRowError[] = [];
  const seen = new Set<string>();
  const fields = cells.map((cell): string | null => {
    const raw = cell.trim();
    if (raw === '') return null;
    let field: string | undefined;
    if (spec.prefix && raw.toLowerCase().startsWith(spec.prefix) && raw.length > spec.prefix.length) {
      field = spec.prefix + raw.slice(spec.prefix.length).trim();
    } else {
      field = byNormal.get(normalizeColumn(raw));
    }
    if (field === undefined) {
      errors.push({ row: 0, field: raw, rule: 'unknown_column' });
      return null;
    }
    if (seen.has(field)) errors.push({ row: 0, field: raw, rule: 'duplicate_column' });
    seen.add(field);
    return field;
  });
  for (const [name, { required }] of Object.entries(spec.columns)) {
    if (required && !seen.has(name)) errors.push({ row: 0, field: name, rule: 'required_column' });
  }
  return { header: { fields }, errors };
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A trait cell keeps its type when it obviously has one: numbers and true/false; anything else is text. */
export function traitValue(cell: string): string | number | boolean {
  if (NUMBER.test(cell)) return Number(cell);
  if (cell === 'true' || cell === 'false') return cell === 'true';
  return cell;
}

/** Row cells → entry; empty cells are left out (a customer's stored value is kept). */
export function rowToEntry(kind: ImportKind, header: Header, cells: string[]): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  const traits: Record<string, unknown> = {};
  header.fields.forEach((field, i) => {
    const cell = cells[i]?.trim() ?? '';
    if (field === null || cell === '') return;
    if (field.startsWith('trait.')) traits[field.slice('trait.'.length)] = traitValue(cell);
    else if ((kind === 'orders' && field === 'amount') || (kind === 'experiment' && field === 'outcome')) {
      entry[field] = NUMBER.test(cell) ? Number(cell) : cell;
    } else entry[field] = cell;
  });
  if (Object.keys(traits).length > 0) entry.traits = traits;
  if (kind === 'orders') {
    const { orderId, ...rest } = entry;
    return {
      ...(orderId === undefined ? {} : { clientEventId: `order:${String(orderId)}` }),
      type: 'order',
      ...rest,
    };
  }
  return entry;
}

/** Entry field → CSV column, for error messages (orders rename orderId to clientEventId). */
export function columnOf(kind: ImportKind, field: string): string {
  if (kind === 'orders' && field === 'clientEventId') return 'orderId';
  if (kind === 'customers' && field.startsWith('traits.')) return `trait.${field.slice('traits.'.length)}`;
  return field;
}
