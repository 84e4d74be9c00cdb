import { bucketRanges, chooseVariant, hash, inNamespace } from './hashing';
import { matchesTargeting } from './targeting';
import type {
  Attributes,
  EvaluationReason,
  EvaluationResult,
  SdkExperiment,
  SdkGlobalHoldout,
  StickyCustomer,
} from './types';

/** Which side of the global holdout a customer falls on. */
export type GlobalHoldoutGroup = 'holdout' | 'comparison' | 'rest';

/**
 * Hash-based global-holdout group. With p = percent/100 and bucket b = hash_v2(seed, id):
 * b < p → holdout (excluded from every campaign); p ≤ b < 2p → comparison, an equal-size random sample of
 * everyone else, against which the holdout measures the total effect of all retention work; otherwise rest.
 */
export function globalHoldoutGroup(id: string, holdout: SdkGlobalHoldout): GlobalHoldoutGroup {
  const p = holdout.percent / 100;
  if (p <= 0) return 'rest';
  const b = hash(holdout.seed, id, 2);
  if (b === null) return 'rest';
  if (b < p) return 'holdout';
  if (b < 2 * p) return 'comparison';
  return 'rest';
}

export interface EvaluationContext {
  globalHoldout?: SdkGlobalHoldout | null;
  /** What the server already decided for this customer; it wins over hashing. */
  sticky?: StickyCustomer | null;
}

export interface Unit {
  /** The customer's external id: the value that is hashed. */
  id: string;
  attributes?: Attributes;
}

function out(experiment: string, reason: EvaluationReason, bucket: number | null = null): EvaluationResult {
  return { experiment, inExperiment: false, variant: null, variantIndex: -1, bucket, reason };
}

/** True when the customer belongs to the global holdout: the stored decision if any, else the hash. */
export function isInGlobalHoldout(id: string, ctx: EvaluationContext): boolean {
  if (ctx.sticky?.globalHoldout !== undefined) return ctx.sticky.globalHoldout;
  if (!ctx.globalHoldout) return false;
  return globalHoldoutGroup(id, ctx.globalHoldout) === 'holdout';
}

/**
 * Decides one customer's variant in one running experiment. Order matters and is the same on the server:
 * 1. no id → out; 2. global holdout → out, before any variant (a holdout member is never treated);
 * 3. stored (sticky) assignment → that variant, so ramps never move anyone; 4. targeting rules;
 * 5. namespace slice; 6. bucket ranges from weights and coverage (a holdout experiment's 'holdout' arm is just
 * its first range).
 */
export function evaluateExperiment(
  experiment: SdkExperiment,
  unit: Unit,
  ctx: EvaluationContext = {},
): EvaluationResult {
  const key = experiment.key;
  if (!unit.id) return out(key, 'missing_id');
  if (isInGlobalHoldout(unit.id, ctx)) return out(key, 'global_holdout');

  const stickyVariant = ctx.sticky?.assignments[key];
  if (stickyVariant !== undefined) {
    const index = experiment.variants.findIndex((v) => v.key === stickyVariant);
    if (index >= 0) {
      return {
        experiment: key,
        inExperiment: true,
        variant: stickyVariant,
        variantIndex: index,
        bucket: null,
        reason: 'sticky',
      };
    }
  }

  if (!matchesTargeting(experiment.targeting, unit.attributes ?? {})) return out(key, 'not_targeted');
  if (experiment.namespace && !inNamespace(unit.id, experiment.namespace)) return out(key, 'namespace');

  const bucket = hash(experiment.seed || key, unit.id, experiment.hashVersion);
  if (bucket === null) return out(key, 'unsupported_hash');
  const ranges = bucketRanges(
    experiment.variants.length,
    experiment.coverage,
    experiment.variants.map((v) => v.weight),
  );
  const index = chooseVariant(bucket, ranges);
  const variant = index >= 0 ? experiment.variants[index] : undefined;
  if (!variant) return out(key, 'not_covered', bucket);
  return {
    experiment: key,
    inExperiment: true,
    variant: variant.key,
    variantIndex: index,
    bucket,
    reason: 'assigned',
  };
}
