import type { AttributeRule, Attributes, Scalar, TargetingRule } from './types';

/** Reads a dotted path (`traits.ltv`) from the attributes; undefined when any step is missing. */
export function readAttribute(attributes: Attributes, path: string): unknown {
  let current: unknown = attributes;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/**
 * Equality that tolerates the usual representation gaps of imported data: a number equals its decimal string
 * ('42' = 42) and a boolean equals 'true'/'false'. Strings are compared as they are (case-sensitive).
 */
function same(actual: unknown, expected: Scalar): boolean {
  if (actual === expected) return true;
  if (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') {
    return String(actual) === String(expected);
  }
  return false;
}

/**
 * Orders numbers numerically (numeric strings included) and other strings lexicographically, which also orders
 * ISO-8601 dates. Returns null when the two cannot be compared (then the rule fails).
 */
function compare(actual: unknown, expected: Scalar): number | null {
  if (!present(actual)) return null;
  const a = typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : actual;
  const b = typeof expected === 'string' && expected.trim() !== '' ? Number(expected) : expected;
  if (typeof a === 'number' && typeof b === 'number' && !Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  if (typeof actual === 'string' && typeof expected === 'string') {
    return actual < expected ? -1 : actual > expected ? 1 : 0;
  }
  return null;
}

function anyOf(actual: unknown, predicate: (v: unknown) => boolean): boolean {
  return Array.isArray(actual) ? actual.some(predicate) : predicate(actual);
}

function matchAttribute(rule: AttributeRule, attributes: Attributes): boolean {
  const actual = readAttribute(attributes, rule.attribute);
  const value = rule.value;
  const list: Scalar[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const scalar = Array.isArray(value) ? undefined : value;
  switch (rule.operator) {
    case 'exists':
      return present(actual);
    case 'not_exists':
      return !present(actual);
    case 'eq':
      return scalar !== undefined && anyOf(actual, (v) => same(v, scalar));
    case 'neq':
      return scalar !== undefined && !anyOf(actual, (v) => same(v, scalar));
    case 'in':
      return anyOf(actual, (v) => list.some((x) => same(v, x)));
    case 'not_in':
      return !anyOf(actual, (v) => list.some((x) => same(v, x)));
    case 'contains':
      if (scalar === undefined) return false;
      if (Array.isArray(actual)) return actual.some((v) => same(v, scalar));
      return typeof actual === 'string' && actual.includes(String(scalar));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (scalar === undefined) return false;
      const c = compare(actual, scalar);
      if (c === null) return false;
      if (rule.operator === 'gt') return c > 0;
      if (rule.operator === 'gte') return c >= 0;
      if (rule.operator === 'lt') return c < 0;
      return c <= 0;
    }
    default:
      // An operator this SDK version does not know: exclude rather than guess.
      return false;
  }
}

/** True when the customer satisfies one rule. */
export function matchesRule(rule: TargetingRule, attributes: Attributes): boolean {
  if (rule.type === 'segment') {
    const segment = attributes['segment'];
    const inList = typeof segment === 'string' && rule.segments.includes(segment);
    return rule.operator === 'not_in' ? !inList : inList;
  }
  return matchAttribute(rule, attributes);
}

/** All rules must hold; no rules means everyone is eligible. */
export function matchesTargeting(rules: readonly TargetingRule[], attributes: Attributes): boolean {
  for (const rule of rules) if (!matchesRule(rule, attributes)) return false;
  return true;
}
