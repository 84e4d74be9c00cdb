import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SdkPayload as WirePayload } from '@liftlab/contracts';
import type { SdkPayload as SdkPayloadType } from '@liftlab/sdk';
import { etagMatches } from './assignment.service';

describe('etagMatches', () => {
  it('matches an exact, listed, weak or wildcard If-None-Match', () => {
    expect(etagMatches('"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('*', '"abc"')).toBe(true);
  });

  it('does not match a missing or different tag', () => {
    expect(etagMatches(undefined, '"abc"')).toBe(false);
    expect(etagMatches('', '"abc"')).toBe(false);
    expect(etagMatches('"abd"', '"abc"')).toBe(false);
    expect(etagMatches('abc', '"abc"')).toBe(false);
  });
});

describe('payload types', () => {
  it('the wire payload of @liftlab/contracts is what @liftlab/sdk evaluates', () => {
    expectTypeOf<WirePayload>().toExtend<SdkPayloadType>();
  });
});
