import { Inject, Injectable } from '@nestjs/common';
import type { AuditEntry, AuditLogPage, AuditLogQuery } from '@liftlab/contracts';
import { CLOCK, Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { Actor, SystemActor } from '../auth/actor';
import type { Prisma } from '../generated/prisma/client';
import { AuditDb, AuditLog, AuditRepository } from './audit.repository';

/** Fields never copied into the audit trail, wherever they appear. */
const SECRET_FIELDS = new Set(['passwordHash', 'password', 'hash', 'token', 'key', 'secret']);

export interface AuditEntity {
  type: string;
  id: string;
}

export interface AuditOptions {
  /** Write inside this transaction so the entry commits (or not) with the change. */
  tx?: AuditDb;
}

/**
 * Who changed what, when, with the before/after snapshots. Every change to experiments, users and API keys is
 * recorded: `audit.record(actor, 'experiment.start', { type: 'experiment', id }, before, after)`.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(
    actor: Actor | SystemActor,
    action: string,
    entity: AuditEntity,
    before?: unknown,
    after?: unknown,
    options: AuditOptions = {},
  ): Promise<void> {
    await this.repo.create(
      {
        workspaceId: actor.workspaceId,
        actorType: actor.type,
        actorId: actor.id,
        action,
        entityType: entity.type,
        entityId: entity.id,
        before: snapshot(before),
        after: snapshot(after),
        at: this.clock.now(),
      },
      options.tx,
    );
  }

  async list(workspaceId: string, query: AuditLogQuery): Promise<AuditLogPage> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.repo.list(workspaceId, query, query.limit + 1, after);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toEntry),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }
}

/** JSON-safe copy: dates as ISO strings, bigints and decimals as strings, secrets removed. */
export function snapshot(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  const json = JSON.stringify(value, function (this: unknown, key, v: unknown) {
    if (SECRET_FIELDS.has(key)) return undefined;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
  return json === undefined ? undefined : (JSON.parse(json) as Prisma.InputJsonValue);
}

function toEntry(row: AuditLog): AuditEntry {
  return {
    id: row.id,
    actorType: row.actorType,
    actorId: row.actorId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before ?? null,
    after: row.after ?? null,
    at: row.at.toISOString(),
  };
}

function encodeCursor(row: AuditLog): string {
  return Buffer.from(JSON.stringify([row.at.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      const at = new Date(parsed[0]);
      if (!Number.isNaN(at.getTime())) return { at, id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw DomainError.invalid('query.cursor', 'invalid_cursor');
}
