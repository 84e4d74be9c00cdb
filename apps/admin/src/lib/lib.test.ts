import { describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatDuration,
  formatMoney,
  formatPercent,
  formatPValue,
  formatSigned,
  formatSignedPercent,
  pStatement,
} from './format';
import { importErrorRows, isFinished } from './imports';
import { safeNext } from './navigation';
import { shouldRetry } from './retry';
import { slugify } from './slug';
import { ApiError } from '../api/client';

describe('slugify', () => {
  it('makes a valid experiment key from a display name', () => {
    expect(slugify('Win-back Q3 (email)')).toBe('win-back-q3-email');
    expect(slugify('  Café upsell — 10% holdout ')).toBe('cafe-upsell-10-holdout');
    expect(slugify('---')).toBe('');
  });
});

describe('safeNext', () => {
  it('follows app paths only', () => {
    expect(safeNext('/experiments/abc?x=1')).toBe('/experiments/abc?x=1');
    expect(safeNext('https://evil.example')).toBe('/experiments');
    expect(safeNext('//evil.example')).toBe('/experiments');
    expect(safeNext('/\\evil.example')).toBe('/experiments');
    expect(safeNext('/login?next=/x')).toBe('/experiments');
    expect(safeNext(null)).toBe('/experiments');
  });
});

describe('shouldRetry', () => {
  it('retries only failures that may heal, at most twice', () => {
    expect(shouldRetry(0, new ApiError(503, 'Service unavailable', undefined))).toBe(true);
    expect(shouldRetry(0, new ApiError(0, 'unreachable', undefined))).toBe(true);
    expect(shouldRetry(2, new ApiError(503, 'Service unavailable', undefined))).toBe(false);
    expect(shouldRetry(0, new ApiError(403, 'Forbidden', undefined))).toBe(false);
    expect(shouldRetry(0, new ApiError(400, 'Bad', undefined))).toBe(false);
    expect(shouldRetry(0, new Error('schema drift'))).toBe(false);
  });
});

describe('formatting', () => {
  it('formats durations, shares and p-values for people', () => {
    expect(formatDuration(0.2)).toBe('1 day');
    expect(formatDuration(12.1)).toBe('13 days');
    expect(formatDuration(42)).toBe('42 days (about 6 weeks)');
    expect(formatPercent(0.1)).toBe('10%');
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPValue(0.00001)).toBe('< 0.0001');
    expect(formatPValue(null)).toBe('—');
    expect(pStatement(0.00001)).toBe('p < 0.0001');
    expect(pStatement(0.03123)).toBe('p = 0.0312');
    expect(formatMoney(49.9, 'EUR')).toBe('€49.90');
    expect(formatMoney(500, 'JPY')).toBe('JP¥500');
    expect(formatMoney(12.5, null)).toBe('12.5');
  });
});

describe('money and signed changes', () => {
  it('shows amounts in whole units from 100 up, cents below, with a true minus sign', () => {
    expect(formatAmount(32314.46)).toBe('32,314');
    expect(formatAmount(-1285.5)).toBe('−1,286');
    expect(formatAmount(0.391)).toBe('0.39');
    expect(formatAmount(0)).toBe('0');
    expect(formatAmount(-0.001)).toBe('0.00');
    expect(formatAmount(null)).toBe('—');
  });

  it('signs percentages and drops trailing zeros, with no decimals from 100% up', () => {
    expect(formatSignedPercent(7.976)).toBe('+798%');
    expect(formatSignedPercent(-0.0383)).toBe('−3.8%');
    expect(formatSignedPercent(0.132, 2)).toBe('+13.2%');
    expect(formatSignedPercent(0.5)).toBe('+50%');
    expect(formatSignedPercent(0.00001)).toBe('0%');
    expect(formatSignedPercent(Number.NaN)).toBe('—');
    expect(formatSigned(-2.5)).toBe('−2.50');
    expect(formatSigned(0.001)).toBe('0.00');
  });
});

describe('import report', () => {
  it('words each rejected row', () => {
    const rows = importErrorRows({
      errors: [
        { row: 1, field: 'externalId', rule: 'required' },
        { row: 7, field: 'country', rule: 'format_country' },
      ],
    });
    expect(rows).toEqual([
      { row: 1, field: 'externalId', message: 'Required.' },
      { row: 7, field: 'country', message: 'Use a two-letter country code (DE, US).' },
    ]);
  });

  it('knows when an import is over', () => {
    expect(isFinished({ status: 'running' })).toBe(false);
    expect(isFinished({ status: 'completed' })).toBe(true);
    expect(isFinished({ status: 'failed' })).toBe(true);
  });
});
