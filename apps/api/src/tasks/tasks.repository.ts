import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

export type TaskStatus = 'open' | 'done' | 'cancelled';

export interface TaskRow {
  id: string;
  customerId: string;
  externalId: string;
  messageId: string | null;
  sequenceId: string | null;
  signalId: string | null;
  owner: string;
  title: string;
  instructions: string;
  dueAt: Date;
  status: TaskStatus;
  outcome: string | null;
  notes: string | null;
  completedAt: Date | null;
  createdAt: Date;
}

export interface TaskFilter {
  owner?: string | undefined;
  status?: TaskStatus | undefined;
  /** true: open and due before `now`; false: the others. */
  overdue?: boolean | undefined;
  now: Date;
}

/** Position of the last row of a page: soonest due first, ties broken by id. */
export interface TaskCursor {
  dueAt: Date;
  id: string;
}

const SELECT = Prisma.sql`
  SELECT t.id, t.customer_id AS "customerId", c.external_id AS "externalId", t.message_id AS "messageId",
         m.sequence_id AS "sequenceId", t.signal_id AS "signalId", t.owner, t.title, t.instructions,
         t.due_at AS "dueAt", t.status::text AS status, t.outcome, t.notes, t.completed_at AS "completedAt",
         t.created_at AS "createdAt"
    FROM call_tasks t
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN messages m ON m.id = t.message_id`;

/** The only place call tasks touch the database. */
@Injectable()
export class TasksRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(
    workspaceId: string,
    filter: TaskFilter,
    after: TaskCursor | undefined,
    take: number,
  ): Promise<TaskRow[]> {
    const where = [Prisma.sql`t.workspace_id = ${workspaceId}::uuid`];
    if (filter.owner !== undefined) where.push(Prisma.sql`t.owner = ${filter.owner}`);
    if (filter.status !== undefined) where.push(Prisma.sql`t.status = ${filter.status}::task_status`);
    const overdue = Prisma.sql`(t.status = 'open' AND t.due_at < ${filter.now}::timestamptz)`;
    if (filter.overdue === true) where.push(overdue);
    if (filter.overdue === false) where.push(Prisma.sql`NOT ${overdue}`);
    if (after) where.push(Prisma.sql`(t.due_at, t.id) > (${after.dueAt}::timestamptz, ${after.id}::uuid)`);
    return this.prisma.$queryRaw<TaskRow[]>`
      ${SELECT}
      WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY t.due_at, t.id
      LIMIT ${take}`;
  }

  async find(workspaceId: string, id: string): Promise<TaskRow | null> {
    const rows = await this.prisma.$queryRaw<TaskRow[]>`
      ${SELECT}
      WHERE t.workspace_id = ${workspaceId}::uuid AND t.id = ${id}::uuid`;
    return rows[0] ?? null;
  }

  /** Completes an open task; false when it is no longer open (someone else completed it first). */
  async complete(
    workspaceId: string,
    id: string,
    data: { outcome: string; notes: string | null; completedAt: Date },
  ): Promise<boolean> {
    const { count } = await this.prisma.callTask.updateMany({
      where: { id, workspaceId, status: 'open' },
      data: { status: 'done', outcome: data.outcome, notes: data.notes, completedAt: data.completedAt },
    });
    return count === 1;
  }
}
