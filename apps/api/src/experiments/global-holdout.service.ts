import { Injectable } from '@nestjs/common';
import type { GlobalHoldout, GlobalHoldoutUpdate } from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { GlobalHoldoutRepository } from './global-holdout.repository';

/**
 * The workspace-wide control group: a share of customers excluded from every campaign, compared against an
 * equal-size random sample of everyone else to measure the total effect of all retention work. A customer's
 * membership is decided the first time they are assigned and then kept, so a later change of the percent
 * only applies to customers not seen yet.
 */
@Injectable()
export class GlobalHoldoutService {
  constructor(
    private readonly repo: GlobalHoldoutRepository,
    private readonly audit: AuditService,
  ) {}

  async get(actor: Actor): Promise<GlobalHoldout> {
    const settings = await this.repo.settings(actor.workspaceId);
    if (!settings) throw DomainError.notFound('Workspace', actor.workspaceId);
    const counts = await this.repo.memberCounts(actor.workspaceId);
    return { percent: settings.globalHoldoutPercent, seed: settings.globalHoldoutSeed, ...counts };
  }

  async update(actor: Actor, body: GlobalHoldoutUpdate): Promise<GlobalHoldout> {
    await this.repo.transaction(async (tx) => {
      const before = await this.repo.settings(actor.workspaceId, tx);
      if (!before) throw DomainError.notFound('Workspace', actor.workspaceId);
      await this.repo.setPercent(actor.workspaceId, body.percent, tx);
      await this.audit.record(
        actor,
        'global_holdout.update',
        { type: 'workspace', id: actor.workspaceId },
        { percent: before.globalHoldoutPercent },
        { percent: body.percent },
        { tx },
      );
    });
    return this.get(actor);
  }
}
