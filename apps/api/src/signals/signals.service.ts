import { Inject, Injectable } from '@nestjs/common';
import {
  SignalInterventionSchema,
  SignalParamsSchemas,
  type HealthSignal,
  type SignalBoard,
  type SignalBoardQuery,
  type SignalCondition,
  type SignalEvaluation,
  type SignalIntervention,
  type SignalList,
  type SignalListQuery,
  type SignalResolve,
  type SignalRule,
  type SignalRuleCreateParsed,
  type SignalRuleList,
  type SignalRuleUpdate,
} from '@liftlab/contracts';
import { actorLabel, type Actor, type SystemActor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { zodFieldErrors } from '../common/zod.pipe';
import type { Prisma } from '../generated/prisma/client';
import { SequenceEnroller } from './sequence-enroller';
import {
  buildBoard,
  describeCondition,
  signalDueAt,
  signalQuery,
  slaStatus,
  type RuleOpenCounts,
} from './signal-rules';
import {
  isUniqueViolation,
  SignalsRepository,
  type Db,
  type SignalRow,
  type SignalRuleRecord,
} from './signals.repository';

const ENTITY = 'signal_rule';

/** The rule's kind and params as the contracts parse them (stored params are re-read, defaults included). */
export function conditionOf(rule: SignalRuleRecord): SignalCondition {
  return { kind: rule.kind, params: SignalParamsSchemas[rule.kind].parse(rule.params) } as SignalCondition;
}

function interventionOf(rule: SignalRuleRecord): SignalIntervention {
  return SignalInterventionSchema.parse(rule.intervention);
}

function toRuleView(rule: SignalRuleRecord, openSignals: number): SignalRule {
  const condition = conditionOf(rule);
  return {
    id: rule.id,
    key: rule.key,
    name: rule.name,
    kind: rule.kind,
    params: condition.params as Record<string, unknown>,
    description: describeCondition(condition),
    ownerTeam: rule.ownerTeam,
    slaHours: rule.slaHours,
    intervention: interventionOf(rule),
    enabled: rule.enabled,
    openSignals,
    createdAt: rule.createdAt.toISOString(),
  };
}

function toSignalView(row: SignalRow, now: Date): HealthSignal {
  return {
    id: row.id,
    ruleId: row.ruleId,
    ruleKey: row.ruleKey,
    ruleName: row.ruleName,
    kind: row.kind,
    ownerTeam: row.ownerTeam,
    customerId: row.customerId,
    customerExternalId: row.customerExternalId,
    status: row.status,
    openedAt: row.openedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedBy: row.resolvedBy,
    sla: slaStatus(row, now),
    details: (row.details ?? {}) as Record<string, unknown>,
    interventionAt: row.interventionAt?.toISOString() ?? null,
    intervention: (row.intervention ?? null) as Record<string, unknown> | null,
  };
}

function keyTaken(key: string): DomainError {
  return new DomainError('conflict', `A signal rule with key '${key}' already exists.`, [
    { path: 'key', rule: 'unique' },
  ]);
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Health signal rules, their evaluation and interventions, the signals board. */
@Injectable()
export class SignalsService {
  constructor(
    private readonly repo: SignalsRepository,
    private readonly audit: AuditService,
    private readonly enroller: SequenceEnroller,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ------------------------------------------------------------------------------------------------------------
  // Rules

  async listRules(actor: Actor): Promise<SignalRuleList> {
    const [rules, open] = await Promise.all([
      this.repo.rules(actor.workspaceId),
      this.repo.openCountsByRule(actor.workspaceId),
    ]);
    return { items: rules.map((r) => toRuleView(r, open.get(r.id) ?? 0)) };
  }

  async getRule(actor: Actor, id: string): Promise<SignalRule> {
    const rule = await this.loadRule(actor.workspaceId, id);
    const open = await this.repo.openCountsByRule(actor.workspaceId);
    return toRuleView(rule, open.get(rule.id) ?? 0);
  }

  async createRule(actor: Actor | SystemActor, body: SignalRuleCreateParsed): Promise<SignalRule> {
    const ws = actor.workspaceId;
    try {
      return await this.repo.transaction(async (tx) => {
        if (await this.repo.keyExists(ws, body.key, tx)) throw keyTaken(body.key);
        await this.checkIntervention(ws, body.intervention, tx);
        const created = await this.repo.createRule(
          ws,
          {
            key: body.key,
            name: body.name,
            kind: body.kind,
            params: body.params as Prisma.InputJsonValue,
            ownerTeam: body.ownerTeam,
            slaHours: body.slaHours,
            intervention: body.intervention as Prisma.InputJsonValue,
            enabled: body.enabled,
          },
          this.clock.now(),
          tx,
        );
        const view = toRuleView(created, 0);
        await this.audit.record(
          actor,
          'signal_rule.create',
          { type: ENTITY, id: created.id },
          undefined,
          view,
          {
            tx,
          },
        );
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw keyTaken(body.key);
      throw error;
    }
  }

  async updateRule(actor: Actor, id: string, body: SignalRuleUpdate): Promise<SignalRule> {
    const ws = actor.workspaceId;
    const updated = await this.repo.transaction(async (tx) => {
      const current = await this.loadRule(ws, id, tx);
      const data: Prisma.SignalRuleUncheckedUpdateInput = {};
      if (body.params !== undefined) {
        const parsed = SignalParamsSchemas[current.kind].safeParse(body.params);
        if (!parsed.success)
          throw DomainError.validation(zodFieldErrors(parsed.error, body.params, ['params']));
        data.params = parsed.data as Prisma.InputJsonValue;
      }
      if (body.intervention !== undefined) {
        await this.checkIntervention(ws, body.intervention, tx);
        data.intervention = body.intervention as Prisma.InputJsonValue;
      }
      if (body.name !== undefined) data.name = body.name;
      if (body.ownerTeam !== undefined) data.ownerTeam = body.ownerTeam;
      if (body.slaHours !== undefined) data.slaHours = body.slaHours;
      if (body.enabled !== undefined) data.enabled = body.enabled;
      const after = await this.repo.updateRule(id, data, tx);
      await this.audit.record(
        actor,
        'signal_rule.update',
        { type: ENTITY, id },
        toRuleView(current, 0),
        toRuleView(after, 0),
        { tx },
      );
      return after;
    });
    const open = await this.repo.openCountsByRule(ws);
    return toRuleView(updated, open.get(id) ?? 0);
  }

  /** Deletes the rule and its signals; tasks it created stay with their owners. */
  async removeRule(actor: Actor, id: string): Promise<void> {
    await this.repo.transaction(async (tx) => {
      const current = await this.loadRule(actor.workspaceId, id, tx);
      await this.repo.removeRule(id, tx);
      await this.audit.record(
        actor,
        'signal_rule.delete',
        { type: ENTITY, id },
        toRuleView(current, 0),
        undefined,
        {
          tx,
        },
      );
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Evaluation

  /** Evaluates one rule now, on demand (even a disabled one: an explicit request is an explicit request). */
  async evaluateRule(actor: Actor, id: string): Promise<SignalEvaluation> {
    const rule = await this.loadRule(actor.workspaceId, id);
    return this.evaluateOne(rule, this.clock.now());
  }

  /**
   * Evaluates every enabled rule of every workspace at `now` (the scheduled run). A rule that fails does not stop
   * the others; its error is returned with the results.
   */
  async evaluate(
    now: Date,
  ): Promise<{ results: SignalEvaluation[]; failures: { ruleId: string; error: string }[] }> {
    const results: SignalEvaluation[] = [];
    const failures: { ruleId: string; error: string }[] = [];
    for (const rule of await this.repo.enabledRules()) {
      try {
        results.push(await this.evaluateOne(rule, now));
      } catch (error) {
        failures.push({ ruleId: rule.id, error: message(error) });
      }
    }
    return { results, failures };
  }

  /**
   * Opens, resolves and clears the rule's signals in one transaction; a task intervention is created in the same
   * transaction (exactly once per signal). An enrollment goes through the sequences module after the commit, for
   * every open signal whose intervention is still pending, so a run that died half-way is completed by the next.
   */
  private async evaluateOne(rule: SignalRuleRecord, now: Date): Promise<SignalEvaluation> {
    const condition = conditionOf(rule);
    const intervention = interventionOf(rule);
    const counts = await this.repo.transaction(async (tx) => {
      const c = await this.repo.evaluate(
        rule,
        signalQuery(condition, now),
        now,
        signalDueAt(now, rule.slaHours),
        tx,
      );
      const applied =
        intervention.type === 'task'
          ? await this.repo.applyTaskInterventions(
              rule.id,
              {
                owner: intervention.owner,
                title: intervention.title,
                instructions: intervention.instructions ?? '',
                dueInHours: intervention.dueInHours ?? rule.slaHours,
              },
              now,
              tx,
            )
          : 0;
      return { ...c, applied };
    });
    let applied = counts.applied;
    const interventionErrors: SignalEvaluation['interventionErrors'] = [];
    if (intervention.type === 'enroll') {
      const outcome = await this.applyEnrollments(rule, intervention.sequenceKey, now);
      applied += outcome.applied;
      interventionErrors.push(...outcome.errors);
    }
    return {
      ruleId: rule.id,
      ruleKey: rule.key,
      evaluatedAt: now.toISOString(),
      matching: counts.matching,
      opened: counts.opened,
      resolved: counts.resolved,
      interventionsApplied: applied,
      interventionErrors,
    };
  }

  private async applyEnrollments(
    rule: SignalRuleRecord,
    sequenceKey: string,
    now: Date,
  ): Promise<{ applied: number; errors: SignalEvaluation['interventionErrors'] }> {
    const pending = await this.repo.pendingInterventions(rule.id);
    if (pending.length === 0) return { applied: 0, errors: [] };
    const ids = pending.map((p) => p.id);
    const sequence = await this.repo.sequenceByKey(rule.workspaceId, sequenceKey);
    let error: string;
    if (!sequence) {
      error = `Sequence '${sequenceKey}' does not exist.`;
    } else {
      try {
        const result = await this.enroller.enroll(
          rule.workspaceId,
          sequence.id,
          pending.map((p) => p.customerId),
          now,
        );
        await this.repo.markIntervention(ids, now, {
          type: 'enroll',
          sequenceKey,
          sequenceId: sequence.id,
          ...(isSummary(result) ? { result } : {}),
        } as Prisma.InputJsonValue);
        return { applied: ids.length, errors: [] };
      } catch (e) {
        error = message(e);
      }
    }
    // Left pending: the next evaluation tries again (e.g. once the sequence is launched).
    await this.repo.markIntervention(ids, null, {
      type: 'enroll',
      sequenceKey,
      error,
      failedAt: now.toISOString(),
    });
    return { applied: 0, errors: ids.map((signalId) => ({ signalId, error })) };
  }

  // ------------------------------------------------------------------------------------------------------------
  // Signals and the board

  async board(actor: Actor, query: SignalBoardQuery): Promise<SignalBoard> {
    const ws = actor.workspaceId;
    const now = this.clock.now();
    const [counts, signals, rules] = await Promise.all([
      this.repo.openCounts(ws, now, query.ownerTeam),
      this.repo.oldestOpen(ws, query.perRule, query.ownerTeam),
      this.repo.rules(ws),
    ]);
    const byId = new Map(rules.map((r) => [r.id, r]));
    const ruleCounts: RuleOpenCounts[] = counts.flatMap((c) => {
      const rule = byId.get(c.ruleId);
      if (!rule) return [];
      return [
        {
          ...c,
          ruleKey: rule.key,
          ruleName: rule.name,
          kind: rule.kind,
          description: describeCondition(conditionOf(rule)),
          ownerTeam: rule.ownerTeam,
          slaHours: rule.slaHours,
        },
      ];
    });
    return buildBoard(
      ruleCounts,
      signals.map((s) => toSignalView(s, now)),
      now,
    );
  }

  async list(actor: Actor, query: SignalListQuery): Promise<SignalList> {
    const now = this.clock.now();
    const rows = await this.repo.listSignals(actor.workspaceId, query, now, query.limit + 1, query.cursor);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => toSignalView(r, now)),
      nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /** Resolves an open signal by hand; while its condition keeps holding, no new signal opens for the customer. */
  async resolve(actor: Actor, id: string, body: SignalResolve): Promise<HealthSignal> {
    const ws = actor.workspaceId;
    const now = this.clock.now();
    return this.repo.transaction(async (tx) => {
      const current = await this.repo.findSignal(ws, id, tx);
      if (!current) throw DomainError.notFound('Signal', id);
      if (!(await this.repo.resolveSignal(id, now, actorLabel(actor), tx))) {
        throw DomainError.invalidTransition('Signal', current.status, 'resolved');
      }
      const after = toSignalView((await this.repo.findSignal(ws, id, tx))!, now);
      await this.audit.record(
        actor,
        'signal.resolve',
        { type: 'health_signal', id },
        toSignalView(current, now),
        { ...after, note: body.note ?? null },
        { tx },
      );
      return after;
    });
  }

  // ------------------------------------------------------------------------------------------------------------

  private async loadRule(workspaceId: string, id: string, db?: Db): Promise<SignalRuleRecord> {
    const rule = await this.repo.findRule(workspaceId, id, db);
    if (!rule) throw DomainError.notFound('Signal rule', id);
    return rule;
  }

  /** An enroll intervention must name a sequence of the workspace that is not archived. */
  private async checkIntervention(
    workspaceId: string,
    intervention: SignalIntervention,
    db: Db,
  ): Promise<void> {
    if (intervention.type !== 'enroll') return;
    const sequence = await this.repo.sequenceByKey(workspaceId, intervention.sequenceKey, db);
    if (!sequence) {
      throw DomainError.invalid(
        'intervention.sequenceKey',
        'unknown_sequence',
        `No sequence with key '${intervention.sequenceKey}'.`,
      );
    }
    if (sequence.status === 'archived') {
      throw DomainError.invalid(
        'intervention.sequenceKey',
        'sequence_archived',
        `Sequence '${intervention.sequenceKey}' is archived.`,
      );
    }
  }
}

/** A small JSON summary worth keeping with the signal (not, say, a list of every enrollment row). */
function isSummary(value: unknown): value is Prisma.InputJsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    JSON.stringify(value).length < 2000
  );
}
