import type { SlaStatus } from '@liftlab/contracts';

/** SLA states in words; the colour is never the only cue. */
export const SLA_LABEL: Record<SlaStatus, string> = {
  on_time: 'On time',
  due_soon: 'Due soon',
  breached: 'SLA breached',
};

function words(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

function valueText(value: unknown): string | null {
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? String(value)
      : value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return null;
}

/**
 * The measured values that fired a rule, as a short line ("previous week 14, last week 3, drop percent 78.57").
 * Nested or empty values are left out; the signal list keeps them in full.
 */
export function detailsText(details: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    const text = valueText(value);
    if (text !== null && text !== '') parts.push(`${words(key)} ${text}`);
  }
  return parts.join(', ') || '—';
}
