import { describe, expect, it } from 'vitest';
import { ruleMessage } from './rules';

describe('ruleMessage', () => {
  it('words known rules', () => {
    expect(ruleMessage('weights_sum_to_1')).toBe('Weights must add up to 100%.');
    expect(ruleMessage('holdout_arms')).toMatch(/holdout and treated/);
  });

  it('reads bounds in both the zod and the colon spelling', () => {
    expect(ruleMessage('min_1')).toBe('Must be at least 1.');
    expect(ruleMessage('max:0.5')).toBe('Must be at most 0.5.');
  });

  it('humanises an unknown rule instead of hiding it', () => {
    expect(ruleMessage('some_new_rule')).toBe('Some new rule.');
    expect(ruleMessage('must be positive')).toBe('Must be positive.');
    expect(ruleMessage('type_number')).toBe('Must be a number.');
  });
});
