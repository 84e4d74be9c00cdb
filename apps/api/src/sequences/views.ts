import type { EnrollmentCounts, EnrollmentView, SequenceView, TouchView } from '@liftlab/contracts';
import { normaliseAudience } from './audience';
import type { EnrollmentCountRow, EnrollmentRecord, SequenceRecord } from './sequences.repository';

const NO_ENROLLMENTS: EnrollmentCounts = {
  total: 0,
  treated: 0,
  holdout: 0,
  active: 0,
  completed: 0,
  exited: 0,
};

export function toTouchView(t: SequenceRecord['touches'][number]): TouchView {
  return {
    id: t.id,
    position: t.position,
    delayDays: t.delayDays,
    channel: t.channel,
    conditions: Array.isArray(t.conditions) ? (t.conditions as unknown[]) : [],
    content: (t.content ?? {}) as Record<string, unknown>,
    offerId: t.offerId,
    offerKey: t.offer?.key ?? null,
  };
}

export function toSequenceView(
  s: SequenceRecord,
  experimentKey: string | null,
  counts: EnrollmentCountRow | undefined,
): SequenceView {
  return {
    id: s.id,
    key: s.key,
    name: s.name,
    status: s.status,
    audience: normaliseAudience(s.audience),
    holdoutPercent: s.holdoutPercent,
    maxEnrollmentsPerRun: s.maxEnrollmentsPerRun,
    reentryDays: s.reentryDays,
    exitEventTypes: s.exitEventTypes,
    measurementDays: s.measurementDays,
    experimentId: s.experimentId,
    experimentKey,
    launchedAt: s.launchedAt?.toISOString() ?? null,
    lastAudienceRunAt: s.lastAudienceRunAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    touches: s.touches.map(toTouchView),
    enrollments: counts
      ? {
          total: counts.total,
          treated: counts.treated,
          holdout: counts.holdout,
          active: counts.active,
          completed: counts.completed,
          exited: counts.exited,
        }
      : NO_ENROLLMENTS,
  };
}

export function toEnrollmentView(e: EnrollmentRecord & { externalId: string }): EnrollmentView {
  return {
    id: e.id,
    sequenceId: e.sequenceId,
    customerId: e.customerId,
    externalId: e.externalId,
    reentry: e.reentry,
    arm: e.arm,
    status: e.status,
    enrolledAt: new Date(e.enrolledAt).toISOString(),
    priorSpend: Number(e.priorSpend),
    daysInactive: e.daysInactive,
    nextPosition: e.nextPosition,
    nextDueAt: e.nextDueAt ? new Date(e.nextDueAt).toISOString() : null,
    exitedAt: e.exitedAt ? new Date(e.exitedAt).toISOString() : null,
    exitReason: e.exitReason,
    completedAt: e.completedAt ? new Date(e.completedAt).toISOString() : null,
  };
}
