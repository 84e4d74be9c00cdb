/**
 * Shapes of the payload served by GET /v1/sdk/payload. They mirror the zod schemas of @liftlab/contracts; the
 * SDK keeps its own copy so it has no dependency at all.
 */

export type TargetingOperator =
  'eq' | 'neq' | 'in' | 'not_in' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'exists' | 'not_exists';

export type Scalar = string | number | boolean;

export interface AttributeRule {
  type: 'attribute';
  /** Dotted path into the customer's attributes, e.g. `plan` or `traits.ltv`. */
  attribute: string;
  operator: TargetingOperator;
  value?: Scalar | Scalar[];
}

export interface SegmentRule {
  type: 'segment';
  operator: 'in' | 'not_in';
  segments: string[];
}

export type TargetingRule = AttributeRule | SegmentRule;

export interface SdkVariant {
  key: string;
  weight: number;
  isControl: boolean;
}

export interface SdkExperiment {
  key: string;
  kind: 'ab' | 'holdout';
  seed: string;
  hashVersion: number;
  coverage: number;
  variants: SdkVariant[];
  namespace: [string, number, number] | null;
  targeting: TargetingRule[];
}

export interface SdkGlobalHoldout {
  seed: string;
  /** Percentage points (5 = 5%). */
  percent: number;
}

/** Decisions the server already stored for one customer. */
export interface StickyCustomer {
  globalHoldout?: boolean;
  /** experiment key → variant key. */
  assignments: Record<string, string>;
}

export interface SdkPayload {
  version: 1;
  generatedAt: string;
  globalHoldout: SdkGlobalHoldout | null;
  experiments: SdkExperiment[];
  sticky: Record<string, StickyCustomer>;
}

export type Attributes = Record<string, unknown>;

/** Why a customer got, or did not get, a variant. */
export type EvaluationReason =
  | 'assigned'
  | 'sticky'
  | 'missing_id'
  | 'unsupported_hash'
  | 'global_holdout'
  | 'not_targeted'
  | 'namespace'
  | 'not_covered'
  /** The experiment is not in the payload: unknown, or not running. */
  | 'unknown_experiment';

export interface EvaluationResult {
  experiment: string;
  inExperiment: boolean;
  /** Variant key, null when not in the experiment. */
  variant: string | null;
  /** Position of the variant in the experiment's list, -1 when not in the experiment. */
  variantIndex: number;
  /** The customer's bucket in [0, 1) when hashing decided; null for sticky or early exits. */
  bucket: number | null;
  reason: EvaluationReason;
}
