import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  AudiencePreview,
  AudienceRules,
  EnrollmentList,
  EnrollmentListQuery,
  EnrollmentRun,
  SequenceCreateParsed,
  SequenceLaunchResult,
  SequenceList,
  SequenceListQuery,
  SequenceUpdateParsed,
  SequenceView,
  TouchParsed,
} from '@liftlab/contracts';
import type { Actor, SystemActor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { Prisma } from '../generated/prisma/client';
import {
  expectedSplit,
  globalHoldoutDecisions,
  holdoutVariants,
  inactivityBounds,
  normaliseAudience,
  planEnrollments,
  remainingCap,
  wholeDaysInactive,
  type HoldoutDesign,
} from './audience';
import {
  isUniqueViolation,
  SequencesRepository,
  type AudienceQuery,
  type Db,
  type SequenceRecord,
  type TouchRow,
} from './sequences.repository';
import { toEnrollmentView, toSequenceView } from './views';

const ENTITY = 'sequence';
const DAY_MS = 86_400_000;
const PREVIEW_SAMPLE = 20;
/** A capped run refills places lost to fresh global-holdout decisions; this bounds the refills. */
const MAX_PASSES = 10;

export interface PreviewInput {
  audience: AudienceRules;
  holdoutPercent: number;
  maxEnrollmentsPerRun?: number | null | undefined;
}

/**
 * Win-back sequences: definition, launch with a holdout experiment, audience planning and enrollment. Delivery
 * of touches is the delivery module's; this module decides who is enrolled, in which arm, and when their first
 * touch is due.
 */
@Injectable()
export class SequencesService {
  private readonly logger = new Logger('Sequences');

  constructor(
    private readonly repo: SequencesRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ------------------------------------------------------------------------------------------------------------
  // Definition

  async create(actor: Actor | SystemActor, body: SequenceCreateParsed): Promise<SequenceView> {
    const ws = actor.workspaceId;
    const now = this.clock.now();
    try {
      return await this.repo.transaction(async (tx) => {
        if (await this.repo.keyExists(ws, body.key, tx)) throw keyTaken(body.key);
        const touches = await this.touchRows(ws, body.touches, tx);
        const created = await this.repo.create(
          ws,
          {
            key: body.key,
            name: body.name,
            audience: body.audience as unknown as Prisma.InputJsonValue,
            holdoutPercent: body.holdoutPercent,
            maxEnrollmentsPerRun: body.maxEnrollmentsPerRun ?? null,
            reentryDays: body.reentryDays,
            exitEventTypes: [...new Set(body.exitEventTypes)],
            measurementDays: body.measurementDays,
          },
          touches,
          now,
          tx,
        );
        const view = toSequenceView(created, null, undefined);
        await this.audit.record(actor, 'sequence.create', { type: ENTITY, id: created.id }, undefined, view, {
          tx,
        });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw keyTaken(body.key);
      throw error;
    }
  }

  async get(actor: Actor, id: string): Promise<SequenceView> {
    return this.view(await this.load(actor.workspaceId, id));
  }

  async list(actor: Actor, query: SequenceListQuery): Promise<SequenceList> {
    const rows = await this.repo.list(
      actor.workspaceId,
      { status: query.status },
      query.limit + 1,
      query.cursor,
    );
    const page = rows.slice(0, query.limit);
    const [keys, counts] = await Promise.all([
      this.repo.experimentKeys(page.flatMap((s) => (s.experimentId ? [s.experimentId] : []))),
      this.repo.enrollmentCounts(page.map((s) => s.id)),
    ]);
    return {
      items: page.map((s) =>
        toSequenceView(s, s.experimentId ? (keys.get(s.experimentId) ?? null) : null, counts.get(s.id)),
      ),
      nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  async update(actor: Actor, id: string, body: SequenceUpdateParsed): Promise<SequenceView> {
    const ws = actor.workspaceId;
    return this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      const launched = current.status !== 'draft';
      if (launched && body.holdoutPercent !== undefined && body.holdoutPercent !== current.holdoutPercent) {
        throw DomainError.conflict('The holdout share cannot change once the sequence is launched.', [
          { path: 'holdoutPercent', rule: 'locked_after_launch' },
        ]);
      }
      const data: Prisma.SequenceUncheckedUpdateInput = {};
      if (body.name !== undefined) data.name = body.name;
      if (body.audience !== undefined) data.audience = body.audience as unknown as Prisma.InputJsonValue;
      if (body.holdoutPercent !== undefined) data.holdoutPercent = body.holdoutPercent;
      if (body.maxEnrollmentsPerRun !== undefined) data.maxEnrollmentsPerRun = body.maxEnrollmentsPerRun;
      if (body.reentryDays !== undefined) data.reentryDays = body.reentryDays;
      if (body.exitEventTypes !== undefined) data.exitEventTypes = [...new Set(body.exitEventTypes)];
      if (body.measurementDays !== undefined) data.measurementDays = body.measurementDays;
      if (body.touches !== undefined) {
        const rows = await this.touchRows(ws, body.touches, tx);
        if (launched) {
          checkSameShape(current, rows);
          await this.repo.updateTouchesInPlace(id, rows, tx);
        } else {
          await this.repo.replaceTouches(id, rows, tx);
        }
      }
      data.updatedAt = this.clock.now();
      const updated = await this.repo.update(ws, id, data, tx);
      const before = await this.view(current, tx);
      const after = await this.view(updated, tx);
      await this.audit.record(actor, 'sequence.update', { type: ENTITY, id }, before, after, { tx });
      return after;
    });
  }

  /** Only drafts: a launched sequence has an experiment, enrollments and results to keep. */
  async remove(actor: Actor, id: string): Promise<void> {
    const ws = actor.workspaceId;
    await this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      if (current.status !== 'draft') throw DomainError.invalidTransition(ENTITY, current.status, 'deleted');
      await this.repo.remove(id, tx);
      await this.audit.record(
        actor,
        'sequence.delete',
        { type: ENTITY, id },
        { key: current.key },
        undefined,
        {
          tx,
        },
      );
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Creates the holdout experiment `seq-<key>` (running, arms holdout/treated at the sequence's share), moves the
   * sequence to running and enrolls the first audience, all in one transaction.
   */
  async launch(actor: Actor | SystemActor, id: string): Promise<SequenceLaunchResult> {
    const ws = actor.workspaceId;
    const now = this.clock.now();
    return this.repo.transaction(async (tx) => {
      await this.repo.lockSequence(id, tx);
      const current = await this.load(ws, id, tx);
      if (current.status !== 'draft') throw DomainError.invalidTransition(ENTITY, current.status, 'running');
      const experimentKey = `seq-${current.key}`;
      if (await this.repo.experimentKeyTaken(ws, experimentKey, tx)) {
        throw DomainError.conflict(`An experiment with key '${experimentKey}' already exists.`, [
          { path: 'key', rule: 'experiment_key_taken' },
        ]);
      }
      const experiment = await this.repo.createHoldoutExperiment(
        ws,
        {
          key: experimentKey,
          name: `${current.name} (holdout)`,
          seed: experimentKey,
          variants: holdoutVariants(current.holdoutPercent),
        },
        now,
        tx,
      );
      const launched = await this.repo.update(
        ws,
        id,
        { status: 'running', experimentId: experiment.id, launchedAt: now, updatedAt: now },
        tx,
      );
      await this.audit.record(
        actor,
        'sequence.launch',
        { type: ENTITY, id },
        { status: current.status },
        { status: 'running', experimentId: experiment.id, experimentKey },
        { tx },
      );
      const run = await this.enroll(tx, launched, now, null);
      return { sequence: await this.view(await this.load(ws, id, tx), tx), run };
    }, true);
  }

  pause(actor: Actor, id: string): Promise<SequenceView> {
    return this.move(actor, id, 'running', 'paused');
  }

  resume(actor: Actor, id: string): Promise<SequenceView> {
    return this.move(actor, id, 'paused', 'running');
  }

  private async move(
    actor: Actor,
    id: string,
    from: 'running' | 'paused',
    to: 'running' | 'paused',
  ): Promise<SequenceView> {
    const ws = actor.workspaceId;
    return this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      if (current.status !== from) throw DomainError.invalidTransition(ENTITY, current.status, to);
      const updated = await this.repo.update(ws, id, { status: to, updatedAt: this.clock.now() }, tx);
      await this.audit.record(
        actor,
        `sequence.${to === 'paused' ? 'pause' : 'resume'}`,
        { type: ENTITY, id },
        { status: from },
        { status: to },
        { tx },
      );
      return this.view(updated, tx);
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Audiences

  /** Counts for rules that are not saved yet (the builder's live preview). */
  async previewRules(actor: Actor, input: PreviewInput): Promise<AudiencePreview> {
    const now = this.clock.now();
    const rules = normaliseAudience(input.audience);
    return this.preview(
      this.audienceQuery(actor.workspaceId, rules, now, null, null),
      input.holdoutPercent,
      input.maxEnrollmentsPerRun ?? null,
      now,
    );
  }

  /** Counts for a saved sequence, as its next audience run would see them. */
  async previewSequence(actor: Actor, id: string): Promise<AudiencePreview> {
    const now = this.clock.now();
    const s = await this.load(actor.workspaceId, id);
    const rules = normaliseAudience(s.audience);
    return this.preview(
      this.audienceQuery(s.workspaceId, rules, now, s.id, s.reentryDays),
      s.holdoutPercent,
      s.maxEnrollmentsPerRun,
      now,
    );
  }

  /** The scheduled pass: every running sequence of every workspace, each in its own transaction. */
  async runAudiences(now: Date): Promise<EnrollmentRun[]> {
    const runs: EnrollmentRun[] = [];
    for (const s of await this.repo.running()) {
      try {
        runs.push(await this.runAudience(s.workspaceId, s.id, now));
      } catch (error) {
        // One broken sequence must not stop the others; it is retried on the next tick.
        this.logger.error(
          `audience run of sequence ${s.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    }
    return runs;
  }

  async runAudience(workspaceId: string, sequenceId: string, now: Date): Promise<EnrollmentRun> {
    return this.repo.transaction(async (tx) => {
      await this.repo.lockSequence(sequenceId, tx);
      const s = await this.load(workspaceId, sequenceId, tx);
      if (s.status !== 'running') return { sequenceId, enrolled: 0, treated: 0, holdout: 0 };
      return this.enroll(tx, s, now, null);
    }, true);
  }

  /**
   * Health-signal interventions: enrolls these customers (internal ids) into a running sequence now, with the
   * same exclusions (suppressed, unsubscribed, recently contacted, global holdout, already enrolled) and the
   * same holdout split as audience runs. The audience's window and filters do not apply, nor the per-run cap.
   */
  async enrollCustomers(
    workspaceId: string,
    sequenceId: string,
    customerIds: string[],
    now: Date,
  ): Promise<EnrollmentRun> {
    const ids = [...new Set(customerIds)];
    return this.repo.transaction(async (tx) => {
      await this.repo.lockSequence(sequenceId, tx);
      const s = await this.load(workspaceId, sequenceId, tx);
      if (s.status !== 'running') throw DomainError.invalidTransition(ENTITY, s.status, 'enroll');
      if (ids.length === 0) return { sequenceId, enrolled: 0, treated: 0, holdout: 0 };
      return this.enroll(tx, s, now, ids);
    }, true);
  }

  async listEnrollments(actor: Actor, id: string, query: EnrollmentListQuery): Promise<EnrollmentList> {
    await this.load(actor.workspaceId, id);
    const rows = await this.repo.listEnrollments(
      id,
      { arm: query.arm, status: query.status },
      query.limit + 1,
      query.cursor,
    );
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toEnrollmentView),
      nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  // ------------------------------------------------------------------------------------------------------------

  private audienceQuery(
    workspaceId: string,
    rules: AudienceRules,
    now: Date,
    sequenceId: string | null,
    reentryDays: number | null,
    customerIds?: string[],
  ): AudienceQuery {
    const { latest, earliestExclusive } = inactivityBounds(rules, now);
    return {
      workspaceId,
      rules,
      now,
      latest,
      earliestExclusive,
      contactedSince:
        rules.excludeContactedWithinDays > 0
          ? new Date(now.getTime() - rules.excludeContactedWithinDays * DAY_MS)
          : null,
      sequenceId,
      reentrySince: reentryDays === null ? null : new Date(now.getTime() - reentryDays * DAY_MS),
      ...(customerIds ? { customerIds } : {}),
    };
  }

  private async preview(
    q: AudienceQuery,
    holdoutPercent: number,
    cap: number | null,
    now: Date,
  ): Promise<AudiencePreview> {
    const counts = await this.repo.audienceCounts(q, PREVIEW_SAMPLE);
    const wouldEnroll = cap === null ? counts.eligible : Math.min(cap, counts.eligible);
    const split = expectedSplit(wouldEnroll, holdoutPercent);
    return {
      asOf: now.toISOString(),
      matched: counts.matched,
      excluded: {
        suppressed: counts.suppressed,
        unsubscribed: counts.unsubscribed,
        recentlyContacted: counts.recentlyContacted,
        globalHoldout: counts.globalHoldout,
        alreadyEnrolled: counts.alreadyEnrolled,
      },
      eligible: counts.eligible,
      wouldEnroll,
      expectedHoldout: split.holdout,
      expectedTreated: split.treated,
      sample: counts.sample.slice(0, wouldEnroll).map((c) => ({
        customerId: c.customerId,
        externalId: c.externalId,
        segment: c.segment,
        priorSpend: c.priorSpend,
        daysInactive: wholeDaysInactive(c.lastActivityAt, now),
        lastActivityAt: c.lastActivityAt.toISOString(),
      })),
    };
  }

  /**
   * One enrollment pass inside the caller's (locked) transaction. Customers never seen by an experiment get
   * their global-holdout decision now, as /v1/assign would; those landing in the global holdout are dropped and
   * a capped run fills their places from further down the priority order.
   */
  private async enroll(
    tx: Prisma.TransactionClient,
    s: SequenceRecord,
    now: Date,
    customerIds: string[] | null,
  ): Promise<EnrollmentRun> {
    const rules = normaliseAudience(s.audience);
    const experiment = s.experimentId ? await this.repo.holdoutExperiment(s.experimentId, tx) : null;
    const first = s.touches[0];
    if (!experiment || !first) throw new Error(`sequence ${s.id} is running without experiment or touches`);
    const holdoutVariant = experiment.variants.find((v) => v.key === 'holdout');
    const treatedVariant = experiment.variants.find((v) => v.key === 'treated');
    if (!holdoutVariant || !treatedVariant) throw new Error(`experiment ${experiment.id} lacks holdout arms`);
    const design: HoldoutDesign = {
      key: experiment.key,
      seed: experiment.seed,
      hashVersion: experiment.hashVersion,
      variants: experiment.variants,
    };
    const settings = await this.repo.globalHoldoutSettings(s.workspaceId, tx);
    const globalHoldout =
      settings && settings.globalHoldoutPercent > 0
        ? { seed: settings.globalHoldoutSeed, percent: settings.globalHoldoutPercent }
        : null;
    const q = this.audienceQuery(s.workspaceId, rules, now, s.id, s.reentryDays, customerIds ?? undefined);
    const cap = customerIds ? null : s.maxEnrollmentsPerRun;

    const run: EnrollmentRun = { sequenceId: s.id, enrolled: 0, treated: 0, holdout: 0 };
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const limit = remainingCap(cap, run.enrolled);
      if (limit === 0) break;
      let candidates = await this.repo.audienceCandidates(q, limit, tx);
      if (candidates.length === 0) break;
      let dropped = 0;
      if (rules.excludeGlobalHoldout) {
        const decisions = globalHoldoutDecisions(
          candidates.filter((c) => c.undecided),
          globalHoldout,
        );
        await this.repo.saveGlobalHoldoutDecisions(s.workspaceId, decisions, now, tx);
        const inHoldout = new Set(decisions.filter((d) => d.inHoldout).map((d) => d.customerId));
        dropped = inHoldout.size;
        candidates = candidates.filter((c) => !inHoldout.has(c.customerId));
      }
      const plans = planEnrollments(candidates, design, first.delayDays, now);
      const inserted = await this.repo.insertEnrollments(
        s.workspaceId,
        s.id,
        experiment.id,
        { holdout: holdoutVariant.id, treated: treatedVariant.id },
        plans,
        now,
        tx,
      );
      run.enrolled += inserted.length;
      run.treated += inserted.filter((e) => e.arm === 'treated').length;
      run.holdout += inserted.filter((e) => e.arm === 'holdout').length;
      if (dropped === 0 || cap === null) break;
    }
    if (!customerIds) await this.repo.markAudienceRun(s.id, now, tx);
    return run;
  }

  private async touchRows(workspaceId: string, touches: TouchParsed[], db: Db): Promise<TouchRow[]> {
    const keys = [...new Set(touches.flatMap((t) => (t.offerKey ? [t.offerKey] : [])))];
    const offers = await this.repo.offerIds(workspaceId, keys, db);
    const unknown = touches.flatMap((t, i) =>
      t.offerKey && !offers.has(t.offerKey) ? [{ path: `touches.${i}.offerKey`, rule: 'unknown_offer' }] : [],
    );
    if (unknown.length > 0) throw DomainError.validation(unknown);
    return touches.map((t, position) => ({
      position,
      delayDays: t.delayDays,
      channel: t.channel,
      conditions: t.conditions as unknown as Prisma.InputJsonValue,
      content: t.content as unknown as Prisma.InputJsonValue,
      offerId: t.offerKey ? (offers.get(t.offerKey) ?? null) : null,
    }));
  }

  private async view(s: SequenceRecord, db?: Db): Promise<SequenceView> {
    const [keys, counts] = await Promise.all([
      this.repo.experimentKeys(s.experimentId ? [s.experimentId] : [], db),
      this.repo.enrollmentCounts([s.id], db),
    ]);
    return toSequenceView(s, s.experimentId ? (keys.get(s.experimentId) ?? null) : null, counts.get(s.id));
  }

  private async load(workspaceId: string, id: string, db?: Db): Promise<SequenceRecord> {
    const s = await this.repo.findById(workspaceId, id, db);
    if (!s) throw DomainError.notFound('Sequence', id);
    return s;
  }
}

/** After launch the touch list keeps its length and channels: sent messages and open tasks point at them. */
function checkSameShape(current: SequenceRecord, rows: TouchRow[]): void {
  if (rows.length !== current.touches.length) {
    throw DomainError.conflict('A launched sequence keeps its number of touches.', [
      { path: 'touches', rule: 'same_length_after_launch' },
    ]);
  }
  const changed = rows.flatMap((r, i) =>
    r.channel !== current.touches[i]!.channel
      ? [{ path: `touches.${i}.channel`, rule: 'locked_after_launch' }]
      : [],
  );
  if (changed.length > 0) {
    throw DomainError.conflict('A launched sequence keeps the channel of each touch.', changed);
  }
}

function keyTaken(key: string): DomainError {
  return DomainError.conflict(`A sequence with key '${key}' already exists.`, [
    { path: 'key', rule: 'unique' },
  ]);
}
