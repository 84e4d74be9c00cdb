import { Inject, Injectable } from '@nestjs/common';
import type { CallTask, CallTaskList, TaskComplete, TaskListQuery } from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { TasksRepository, type TaskCursor, type TaskRow } from './tasks.repository';

/** Call tasks for people: from call-task touches of sequences and from health signals. */
@Injectable()
export class TasksService {
  constructor(
    private readonly repo: TasksRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: TaskListQuery): Promise<CallTaskList> {
    const now = this.clock.now();
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.repo.list(
      actor.workspaceId,
      { owner: query.owner, status: query.status, overdue: query.overdue, now },
      after,
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => toCallTask(r, now)),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  async complete(actor: Actor, id: string, body: TaskComplete): Promise<CallTask> {
    const before = await this.repo.find(actor.workspaceId, id);
    if (!before) throw DomainError.notFound('Task', id);
    if (before.status !== 'open') throw DomainError.invalidTransition('Task', before.status, 'done');
    const now = this.clock.now();
    const done = await this.repo.complete(actor.workspaceId, id, {
      outcome: body.outcome,
      notes: body.notes ?? null,
      completedAt: now,
    });
    if (!done) throw DomainError.invalidTransition('Task', 'done', 'done');
    const after = await this.repo.find(actor.workspaceId, id);
    if (!after) throw DomainError.notFound('Task', id);
    await this.audit.record(actor, 'task.complete', { type: 'call_task', id }, before, after);
    return toCallTask(after, now);
  }
}

export function toCallTask(r: TaskRow, now: Date): CallTask {
  return {
    id: r.id,
    customerId: r.customerId,
    externalId: r.externalId,
    source: r.messageId !== null ? 'sequence' : r.signalId !== null ? 'signal' : 'other',
    messageId: r.messageId,
    sequenceId: r.sequenceId,
    signalId: r.signalId,
    owner: r.owner,
    title: r.title,
    instructions: r.instructions,
    dueAt: r.dueAt.toISOString(),
    overdue: r.status === 'open' && r.dueAt.getTime() < now.getTime(),
    status: r.status,
    outcome: r.outcome,
    notes: r.notes,
    completedAt: r.completedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

function encodeCursor(r: TaskRow): string {
  return Buffer.from(`${r.dueAt.toISOString()}|${r.id}`).toString('base64url');
}

function decodeCursor(cursor: string): TaskCursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const dueAt = new Date(at ?? '');
  if (!id || Number.isNaN(dueAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id))
    throw DomainError.invalid('query.cursor', 'cursor');
  return { dueAt, id };
}
