/**
 * The API names broken rules with short codes (`required`, `min_1`, `key_format`, `weights_sum_to_1`); the form
 * shows a sentence instead. Unknown codes are shown humanised rather than hidden.
 */
const MESSAGES: Record<string, string> = {
  required: 'Required.',
  key_format: 'Use lowercase letters, digits, "-", "_" or "." and start with a letter or digit.',
  max_length: 'Too long.',
  integer: 'Must be a whole number.',
  one_of: 'Pick one of the listed options.',
  unknown_key: 'Not a recognised field.',
  unique: 'Already taken; choose another.',
  taken: 'Already taken; choose another.',
  weights_sum_to_1: 'Weights must add up to 100%.',
  one_control: 'Exactly one variant must be the control.',
  unique_keys: 'Variant keys must be different.',
  locked_after_start: 'Cannot change once the experiment has started.',
  format_email: 'Enter a valid email address.',
  email: 'Enter a valid email address.',
  positive: 'Must be greater than zero.',
  min_2: 'Add at least two.',
  between_0_and_100: 'Enter a percentage above 0 and at most 100.',
  between_0_and_100_exclusive: 'Enter a percentage strictly between 0 and 100.',
  after_start: 'Must be after the start of the range.',
  number_or_date: 'Enter a number or a date (YYYY-MM-DD).',
  one_primary: 'Choose at most one primary metric.',
  non_zero: 'Must not be zero.',
  'between_0_and_0.5': 'Enter a value between 0 and 0.5.',
  between_alpha_and_1: 'Must be above the false-positive rate and below 1.',
  whole_days: 'Enter a whole number of days.',
  split_incomplete: 'Complete the variant weights to see the plan.',
  coverage_missing: 'Set a coverage above 0% to see the plan.',
  at_least_2: 'Add at least two variants.',
  holdout_arms: 'A holdout test has exactly two arms: holdout and treated.',
  holdout_is_control: 'The holdout arm is always the control.',
  at_most_one_primary: 'Choose at most one primary metric.',
  greater_than_start: 'Must be after the start of the range.',
  non_empty_list: 'Enter at least one value, separated by commas.',
  attribute_path: 'Use a customer field or traits.<name>.',
  number_or_string: 'Enter a number or a date.',
  scalar: 'Enter a single value.',
  no_value_for_exists: 'This condition takes no value.',
  coverage_or_weights: 'Change the coverage or a weight to ramp.',
  empty_update: 'Nothing changed.',
  required_for_ship: 'Choose the variant that ships.',
  format_country: 'Use a two-letter country code (DE, US).',
  format_date: 'Use a date like 2025-01-31.',
  format_timezone: 'Use a time zone name like Europe/Berlin.',
  format_currency: 'Use a three-letter currency code (EUR, USD).',
  required_together: 'Give the experiment and the variant together.',
  order_only: 'Only orders carry this field.',
  csv_file: 'Choose a .csv file.',
  invalid_credentials: 'Email or password is incorrect.',
  gt_0: 'Must be greater than 0.',
  lt_1: 'Must be less than 1.',
  at_most_100_percent: 'Enter at most 100%.',
  below_100_percent: 'Enter less than 100%.',
  above_0_percent: 'Enter more than 0%.',
  at_least_0_percent: 'Enter 0% or more.',
  above_minus_100_percent: 'Enter more than −100%.',
  at_most_total_customers: 'Cannot be more than the customers the subscription serves.',
  total_above_0: 'Record at least one cost above zero.',
  format_uuid: 'Choose one from the list.',
};

export function ruleMessage(rule: string): string {
  const known = MESSAGES[rule];
  if (known) return known;
  const bound = /^(min|max)[_:](-?[\d.]+)$/.exec(rule);
  if (bound) {
    const [, kind, value] = bound;
    return kind === 'min' ? `Must be at least ${value}.` : `Must be at most ${value}.`;
  }
  const typed = /^type_(\w+)$/.exec(rule);
  if (typed) return `Must be a ${typed[1]}.`;
  const format = /^format_(\w+)$/.exec(rule);
  if (format) return `Not a valid ${format[1]}.`;
  const words = rule.replace(/[_:]+/g, ' ').trim();
  return words ? `${words.charAt(0).toUpperCase()}${words.slice(1)}.` : 'Invalid.';
}
