import {
  AudienceRulesSchema,
  HOLDOUT_CONTROL_KEY,
  HOLDOUT_TREATED_KEY,
  type AudienceRules,
  type EnrollmentArm,
} from '@liftlab/contracts';
import { evaluateExperiment, type SdkExperiment } from '@liftlab/sdk';
import { decideGlobalHoldout } from '../assignment/bucketing';

/**
 * Audience rules of win-back sequences, without database or clock: what stored rules mean, who goes first when
 * a run is capped, and which arm of the sequence's holdout experiment a customer lands in.
 */

const DAY_MS = 86_400_000;

/**
 * Stored audience JSON → complete rules. Rules saved by an older version lack newer fields; the schema's
 * defaults fill them, and segments are de-duplicated so the SQL filter stays small.
 */
export function normaliseAudience(stored: unknown): AudienceRules {
  const rules = AudienceRulesSchema.parse(stored ?? {});
  return { ...rules, segments: [...new Set(rules.segments)].sort() };
}

/**
 * The instants bounding "whole days inactive within [minDays, maxDays]": a last activity at or before
 * `latest` and strictly after `earliestExclusive`. A customer last active exactly 60 days ago has 60 whole days
 * inactive; one active 120 days and 23 hours ago still has 120.
 */
export function inactivityBounds(
  rules: Pick<AudienceRules, 'minDaysInactive' | 'maxDaysInactive'>,
  now: Date,
): { latest: Date; earliestExclusive: Date } {
  return {
    latest: new Date(now.getTime() - rules.minDaysInactive * DAY_MS),
    earliestExclusive: new Date(now.getTime() - (rules.maxDaysInactive + 1) * DAY_MS),
  };
}

/** Whole days between the last activity and now (what `daysInactive` records at enrollment). */
export function wholeDaysInactive(lastActivityAt: Date, now: Date): number {
  return Math.floor((now.getTime() - lastActivityAt.getTime()) / DAY_MS);
}

export interface Candidate {
  customerId: string;
  externalId: string;
  priorSpend: number;
  /** Null for a customer with no activity at all (only health-signal interventions enroll them). */
  lastActivityAt: Date | null;
}

/**
 * Priority when the run is capped: highest prior spend first (the most valuable lapsed customers are worth
 * contacting first), then the most recently active (the likeliest to come back), then the id so that the order
 * — and therefore who gets the capped places — is deterministic.
 */
export function comparePriority(a: Candidate, b: Candidate): number {
  if (a.priorSpend !== b.priorSpend) return b.priorSpend - a.priorSpend;
  const recency = (c: Candidate) => c.lastActivityAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (recency(a) !== recency(b)) return recency(b) > recency(a) ? 1 : -1;
  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

/** The first `cap` candidates in priority order (all of them without a cap). */
export function applyCap<T extends Candidate>(candidates: readonly T[], cap: number | null): T[] {
  const ordered = [...candidates].sort(comparePriority);
  return cap === null ? ordered : ordered.slice(0, Math.max(0, cap));
}

/** Places left in this run once `alreadyTaken` customers were enrolled by earlier passes of the same run. */
export function remainingCap(cap: number | null, alreadyTaken: number): number | null {
  return cap === null ? null : Math.max(0, cap - alreadyTaken);
}

// ---------------------------------------------------------------------------------------------------------------
// Holdout experiment

export interface HoldoutVariantRow {
  key: string;
  name: string;
  weight: number;
  isControl: boolean;
  position: number;
}

/** The two arms of a sequence's holdout experiment; the holdout comes first so its bucket range starts at 0. */
export function holdoutVariants(holdoutPercent: number): HoldoutVariantRow[] {
  const holdout = holdoutPercent / 100;
  return [
    { key: HOLDOUT_CONTROL_KEY, name: 'Holdout', weight: holdout, isControl: true, position: 0 },
    { key: HOLDOUT_TREATED_KEY, name: 'Treated', weight: 1 - holdout, isControl: false, position: 1 },
  ];
}

export interface HoldoutDesign {
  key: string;
  seed: string;
  hashVersion: number;
  variants: { key: string; weight: number; position: number }[];
}

/**
 * The arm for a customer, from the same GrowthBook-compatible hash as every experiment (seed + externalId).
 * The sequence's experiment is stored with coverage 0 so that /v1/assign never enrolls anyone behind the
 * audience's back; the split itself is always computed at full coverage, so the arm depends only on the seed,
 * the weights and the customer.
 */
export function decideArm(design: HoldoutDesign, externalId: string): EnrollmentArm {
  return armDecider(design)(externalId);
}

/** `decideArm` for many customers of one design, building the experiment once. */
export function armDecider(design: HoldoutDesign): (externalId: string) => EnrollmentArm {
  const experiment: SdkExperiment = {
    key: design.key,
    kind: 'holdout',
    seed: design.seed,
    hashVersion: design.hashVersion,
    coverage: 1,
    variants: [...design.variants]
      .sort((a, b) => a.position - b.position)
      .map((v) => ({ key: v.key, weight: v.weight, isControl: v.key === HOLDOUT_CONTROL_KEY })),
    namespace: null,
    targeting: [],
  };
  return (externalId) =>
    evaluateExperiment(experiment, { id: externalId, attributes: {} }).variant === HOLDOUT_CONTROL_KEY
      ? 'holdout'
      : 'treated';
}

/** Expected arm sizes of `n` enrollments at `holdoutPercent` (for previews; the real split is by hash). */
export function expectedSplit(n: number, holdoutPercent: number): { holdout: number; treated: number } {
  const holdout = Math.round((n * holdoutPercent) / 100);
  return { holdout, treated: n - holdout };
}

export interface EnrollmentPlan {
  customerId: string;
  arm: EnrollmentArm;
  status: 'active' | 'holdout';
  priorSpend: number;
  daysInactive: number;
  nextPosition: number | null;
  nextDueAt: Date | null;
}

/**
 * What each newly enrolled customer starts with. Treated: active, first touch due `firstDelayDays` after
 * enrollment. Holdout: never contacted, so no next touch at all.
 */
export function planEnrollments(
  candidates: readonly Candidate[],
  design: HoldoutDesign,
  firstDelayDays: number,
  now: Date,
): EnrollmentPlan[] {
  const due = new Date(now.getTime() + firstDelayDays * DAY_MS);
  const armOf = armDecider(design);
  return candidates.map((c) => {
    const arm = armOf(c.externalId);
    return {
      customerId: c.customerId,
      arm,
      status: arm === 'holdout' ? 'holdout' : 'active',
      priorSpend: c.priorSpend,
      daysInactive: c.lastActivityAt === null ? 0 : wholeDaysInactive(c.lastActivityAt, now),
      nextPosition: arm === 'holdout' ? null : 0,
      nextDueAt: arm === 'holdout' ? null : due,
    };
  });
}

/**
 * Global holdout decisions for customers never decided before (enrollment is their first contact with a
 * running experiment), with the same hash as /v1/assign.
 */
export function globalHoldoutDecisions(
  undecided: readonly { customerId: string; externalId: string }[],
  holdout: { seed: string; percent: number } | null,
): { customerId: string; inHoldout: boolean }[] {
  return undecided.map((c) => ({
    customerId: c.customerId,
    inHoldout: decideGlobalHoldout(c.externalId, holdout),
  }));
}
