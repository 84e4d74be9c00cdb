import { ruleMessage } from '../api/rules';
import type { FormErrors } from '../experiments/form';

/**
 * Sentences for the rule codes the sequence, offer and template-preview endpoints add to the shared list in
 * `api/rules.ts`. Fields show errors through `ruleMessage`, which turns an unknown code into a sentence by
 * capitalising it and adding a full stop; these sentences are handed over without their full stop (and without
 * `_` or `:`), so they come out unchanged.
 */
const SEQUENCE_MESSAGES: Record<string, string> = {
  strictly_increasing: 'Must be a later day than the touch before',
  at_least_min_days_inactive: 'Must be at least the minimum days inactive',
  at_least_1: 'Add at least one touch',
  http_url: 'Enter a web address starting with http or https',
  code_prefix_format: 'Use 2 to 16 capital letters or digits',
  locked_after_launch: 'Cannot change once the sequence is launched',
  unknown_offer: 'No offer with this key',
  unknown_customer: 'No customer with this external id',
  template_syntax: 'The template has a syntax error',
  template_undefined_variable: 'The template uses a variable this customer does not have',
  template_render: 'The template could not be rendered',
};

/** The text to hand to a field for a rule code: a sequence sentence, or the code for the shared messages. */
export function fieldMessage(rule: string): string {
  return SEQUENCE_MESSAGES[rule] ?? rule;
}

/** Every error of a form, ready for the fields. */
export function fieldMessages(errors: FormErrors): FormErrors {
  const out: FormErrors = {};
  for (const [path, rule] of Object.entries(errors)) out[path] = fieldMessage(rule);
  return out;
}

/** The sentence a person reads for a rule code. */
export function sequenceRuleMessage(rule: string): string {
  return ruleMessage(fieldMessage(rule));
}
