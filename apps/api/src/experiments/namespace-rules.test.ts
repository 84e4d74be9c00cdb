import { describe, expect, it } from 'vitest';
import { findOverlap, rangesOverlap, type NamespaceSlice } from './namespace-rules';

const slice = (
  id: string,
  start: number,
  end: number,
  status: NamespaceSlice['status'] = 'running',
): NamespaceSlice => ({
  experimentId: id,
  experimentKey: id,
  status,
  start,
  end,
});

describe('rangesOverlap', () => {
  it.each([
    [[0, 0.5], [0.5, 1], false],
    [[0, 0.5], [0.4, 1], true],
    [[0.2, 0.3], [0, 1], true],
    [[0, 0.1], [0.9, 1], false],
    [[0.3, 0.6], [0.3, 0.6], true],
  ])('%j and %j → %s', (a, b, expected) => {
    expect(rangesOverlap({ start: a[0]!, end: a[1]! }, { start: b[0]!, end: b[1]! })).toBe(expected);
    expect(rangesOverlap({ start: b[0]!, end: b[1]! }, { start: a[0]!, end: a[1]! })).toBe(expected);
  });
});

describe('findOverlap', () => {
  const taken = [slice('a', 0, 0.3), slice('b', 0.5, 0.7, 'draft'), slice('c', 0.7, 1, 'concluded')];

  it('finds the experiment already holding part of the range', () => {
    expect(findOverlap(taken, { start: 0.2, end: 0.4 })?.experimentId).toBe('a');
    expect(findOverlap(taken, { start: 0.6, end: 0.65 })?.experimentId).toBe('b');
  });

  it('accepts a free range, a concluded experiment’s range, and the experiment’s own range', () => {
    expect(findOverlap(taken, { start: 0.3, end: 0.5 })).toBeUndefined();
    expect(findOverlap(taken, { start: 0.7, end: 1 })).toBeUndefined();
    expect(findOverlap(taken, { start: 0, end: 0.35 }, 'a')).toBeUndefined();
  });
});
