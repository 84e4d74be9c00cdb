import { Injectable } from '@nestjs/common';
import type { Namespace as NamespaceView, NamespaceCreate } from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation } from './experiments.repository';
import { NamespacesRepository, type NamespaceRecord } from './namespaces.repository';

export function toNamespaceView(ns: NamespaceRecord): NamespaceView {
  return {
    id: ns.id,
    key: ns.key,
    name: ns.name,
    ranges: ns.experiments
      .filter((e) => e.namespaceRangeStart !== null && e.namespaceRangeEnd !== null)
      .map((e) => ({
        experimentId: e.id,
        experimentKey: e.key,
        status: e.status,
        start: e.namespaceRangeStart!,
        end: e.namespaceRangeEnd!,
      })),
  };
}

/** Namespaces let experiments split customers: each takes a disjoint slice, so nobody is in two of them. */
@Injectable()
export class NamespacesService {
  constructor(
    private readonly repo: NamespacesRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, body: NamespaceCreate): Promise<NamespaceView> {
    try {
      return await this.repo.transaction(async (tx) => {
        const view = toNamespaceView(await this.repo.create(actor.workspaceId, body.key, body.name, tx));
        await this.audit.record(
          actor,
          'namespace.create',
          { type: 'namespace', id: view.id },
          undefined,
          view,
          { tx },
        );
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw DomainError.conflict(`A namespace with key ${body.key} already exists.`, [
          { path: 'key', rule: 'unique' },
        ]);
      }
      throw error;
    }
  }

  async list(actor: Actor): Promise<{ items: NamespaceView[] }> {
    return { items: (await this.repo.list(actor.workspaceId)).map(toNamespaceView) };
  }
}
