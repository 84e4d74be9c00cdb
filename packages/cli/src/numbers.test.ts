import { describe, expect, it } from 'vitest';
import { parseCell, parseNumber } from './numbers';

describe('parseCell', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['-2.5', -2.5],
    ['+3', 3],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
    [' 42 ', 42],
    ['142.44', 142.44],
  ])('reads %j as %d', (text, value) => {
    expect(parseCell(text)).toBe(value);
  });

  it.each(['', '   ', '\t'])('calls %j missing', (text) => {
    expect(parseCell(text)).toBe('missing');
  });

  it.each([
    'abc',
    'n/a',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x10',
    '0b1',
    '0o7',
    '1,5',
    '1_000',
    '$3',
    '1e400',
    'true',
  ])('calls %j not a number', (text) => {
    expect(parseCell(text)).toBe('not a number');
  });

  it('gives undefined for a flag value that is not a number', () => {
    expect(parseNumber('0.05')).toBe(0.05);
    expect(parseNumber('five')).toBeUndefined();
    expect(parseNumber('')).toBeUndefined();
  });
});
