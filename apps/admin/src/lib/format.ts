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

const amount0 = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const amount2 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * Money in the workspace currency. The API keeps amounts currency-free (one currency per workspace), so the
 * app shows the number only: whole units from 100 up, cents below.
 */
export function formatAmount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n === 0) return '0';
  const text = Math.abs(n) >= 100 ? amount0.format(Math.abs(n)) : amount2.format(Math.abs(n));
  return n < 0 && text !== '0' && text !== '0.00' ? `−${text}` : text;
}

/** A signed change in percent: "+70%", "−4.2%", "0%". Uses the minus sign, which reads better in print. */
export function formatSignedPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  const p = fraction * 100;
  const abs = Math.abs(p);
  const d = abs >= 100 ? 0 : digits;
  const fixed = abs.toFixed(d);
  const text = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  if (text === '0') return '0%';
  return `${p < 0 ? '−' : '+'}${text}%`;
}

/** A signed number in a metric's own units: "+0.13", "−2.40". */
export function formatSigned(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const text = Math.abs(n).toLocaleString(LOCALE, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  if (Number(Math.abs(n).toFixed(digits)) === 0) return text;
  return `${n < 0 ? '−' : '+'}${text}`;
}
