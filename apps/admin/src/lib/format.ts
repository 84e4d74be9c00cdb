/** Formatting shared by tables and the calculator; one locale so numbers read the same everywhere. */
const LOCALE = 'en-GB';

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

export function formatInt(n: number): string {
  return Number.isFinite(n) ? integer.format(n) : '—';
}

export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits).replace(/\.0+$/, '')}%`;
}

export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  if (p < 0.0001) return '< 0.0001';
  return p.toFixed(4);
}

/** An amount in its currency ("€49.90", "¥500"); an unknown currency code still shows the number and code. */
export function formatMoney(amount: number, currency: string | null): string {
  if (!currency) return amount.toLocaleString(LOCALE, { maximumFractionDigits: 4 });
  try {
    return new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toLocaleString(LOCALE, { maximumFractionDigits: 4 })} ${currency}`;
  }
}

/** "p = 0.0312" or "p < 0.0001": a p-value as a statement, never "p = < 0.0001". */
export function pStatement(p: number | null | undefined): string {
  const text = formatPValue(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(LOCALE, { dateStyle: 'medium' });
}

/** "12 days", "1 day", "about 3 weeks" once it gets long enough that days stop being useful. */
export function formatDuration(days: number): string {
  if (!Number.isFinite(days)) return '—';
  const d = Math.ceil(days);
  if (d <= 1) return '1 day';
  if (d < 28) return `${d} days`;
  if (d < 120) return `${d} days (about ${Math.round(d / 7)} weeks)`;
  return `${d} days (about ${Math.round(d / 30.4)} months)`;
}
