import { describe, expect, it } from 'vitest';
import { fieldMessages, sequenceRuleMessage } from './messages';

describe('validation messages', () => {
  it('turns the sequence rule codes into sentences through the shared field messages', () => {
    expect(sequenceRuleMessage('strictly_increasing')).toBe('Must be a later day than the touch before.');
    expect(sequenceRuleMessage('at_least_min_days_inactive')).toBe(
      'Must be at least the minimum days inactive.',
    );
    expect(sequenceRuleMessage('http_url')).toBe('Enter a web address starting with http or https.');
    expect(sequenceRuleMessage('template_undefined_variable')).toBe(
      'The template uses a variable this customer does not have.',
    );
  });

  it('leaves the shared codes to the shared messages', () => {
    expect(sequenceRuleMessage('required')).toBe('Required.');
    expect(sequenceRuleMessage('max_50')).toBe('Must be at most 50.');
    expect(sequenceRuleMessage('weights_sum_to_1')).toBe('Weights must add up to 100%.');
    expect(fieldMessages({ 'touches.1.delayDays': 'strictly_increasing', name: 'required' })).toEqual({
      'touches.1.delayDays': 'Must be a later day than the touch before',
      name: 'required',
    });
  });
});
