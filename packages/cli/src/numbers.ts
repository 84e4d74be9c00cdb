/**
 * The number in a CSV cell, or a reason why it is not one. Only decimal notation counts: Number() alone would
 * read '' as 0 and '0x1f' as 31, neither of which is a metric value.
 */
export function parseCell(text: string): number | 'missing' | 'not a number' {
  // Number() is the fast path for the millions of ordinary cells; the checks below close its loopholes.
  const value = Number(text);
  if (Number.isNaN(value)) return 'not a number';
  if (value === 0 && text.trim() === '') return 'missing';
  if (!Number.isFinite(value) || NON_DECIMAL.test(text)) return 'not a number';
  return value;
}

// Hexadecimal, binary and octal literals, and Infinity: the only non-decimal forms Number() accepts.
const NON_DECIMAL = /[xXbBoOI]/;

/** A finite decimal number from a command-line value, or undefined. */
export function parseNumber(text: string): number | undefined {
  const value = parseCell(text);
  return typeof value === 'number' ? value : undefined;
}
