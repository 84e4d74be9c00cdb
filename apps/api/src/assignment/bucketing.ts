import {
  evaluateExperiment,
  globalHoldoutGroup,
  type Attributes,
  type SdkExperiment,
  type SdkGlobalHoldout,
  type TargetingRule,
} from '@liftlab/sdk';

/**
 * Server-side assignment rules. The hashing and the order of checks come from @liftlab/sdk, so a customer gets
 * the same variant from POST /v1/assign, from the Liftlab SDK evaluating a cached payload, and from any
 * GrowthBook SDK given the same seed, weights, coverage and namespace.
 */

export interface ExperimentDesign {
  key: string;
  kind: 'ab' | 'holdout';
  seed: string;
  hashVersion: number;
  coverage: number;
  targeting: unknown;
  variants: { key: string; weight: number; isControl: boolean; position: number }[];
  namespace: { key: string; start: number; end: number } | null;
}

/** The payload form of an experiment: variants in position order (their bucket ranges follow that order). */
export function toSdkExperiment(design: ExperimentDesign): SdkExperiment {
  const variants = [...design.variants].sort((a, b) => a.position - b.position);
  return {
    key: design.key,
    kind: design.kind,
    seed: design.seed,
    hashVersion: design.hashVersion,
    coverage: design.coverage,
    variants: variants.map((v) => ({ key: v.key, weight: v.weight, isControl: v.isControl })),
    namespace: design.namespace ? [design.namespace.key, design.namespace.start, design.namespace.end] : null,
    targeting: Array.isArray(design.targeting) ? (design.targeting as TargetingRule[]) : [],
  };
}

export interface CustomerProfile {
  externalId: string;
  segment: string | null;
  plan: string | null;
  country: string | null;
  timezone: string | null;
  acquisitionChannel: string | null;
  acquisitionDate: Date | null;
  traits: unknown;
}

/**
 * What targeting rules see: the customer's columns by name, the acquisition date as YYYY-MM-DD (so `lt`/`gte`
 * compare dates), and free-form traits under `traits.<name>`. Missing columns are absent, not null, so
 * `exists` means "has a value".
 */
export function customerAttributes(c: CustomerProfile): Attributes {
  const attributes: Attributes = { externalId: c.externalId };
  if (c.segment !== null) attributes['segment'] = c.segment;
  if (c.plan !== null) attributes['plan'] = c.plan;
  if (c.country !== null) attributes['country'] = c.country;
  if (c.timezone !== null) attributes['timezone'] = c.timezone;
  if (c.acquisitionChannel !== null) attributes['acquisitionChannel'] = c.acquisitionChannel;
  if (c.acquisitionDate !== null)
    attributes['acquisitionDate'] = c.acquisitionDate.toISOString().slice(0, 10);
  attributes['traits'] =
    c.traits !== null && typeof c.traits === 'object' && !Array.isArray(c.traits) ? c.traits : {};
  return attributes;
}

/** Hash-based global-holdout decision for a customer seen for the first time. */
export function decideGlobalHoldout(externalId: string, holdout: SdkGlobalHoldout | null): boolean {
  if (!holdout || holdout.percent <= 0) return false;
  return globalHoldoutGroup(externalId, holdout) === 'holdout';
}

export type ServerDecision =
  | { kind: 'global_holdout' }
  | { kind: 'sticky'; variantKey: string }
  | { kind: 'assigned'; variantKey: string }
  | { kind: 'out'; reason: 'not_targeted' | 'namespace' | 'not_covered' };

/**
 * One customer in one running experiment. `inGlobalHoldout` is the stored (or just made) decision and is
 * checked before any variant; `storedVariantKey` is the customer's first assignment, returned unchanged
 * whatever the current coverage, weights or targeting, so ramps never move anyone.
 */
export function decide(
  experiment: SdkExperiment,
  customer: { externalId: string; attributes: Attributes },
  state: { inGlobalHoldout: boolean; storedVariantKey?: string },
): ServerDecision {
  if (state.inGlobalHoldout) return { kind: 'global_holdout' };
  if (state.storedVariantKey !== undefined) return { kind: 'sticky', variantKey: state.storedVariantKey };
  const result = evaluateExperiment(experiment, { id: customer.externalId, attributes: customer.attributes });
  if (result.inExperiment && result.variant !== null) return { kind: 'assigned', variantKey: result.variant };
  switch (result.reason) {
    case 'not_targeted':
    case 'namespace':
      return { kind: 'out', reason: result.reason };
    default:
      // Coverage gaps, and the defensive cases (empty id, unknown hash version), all mean "not enrolled".
      return { kind: 'out', reason: 'not_covered' };
  }
}
