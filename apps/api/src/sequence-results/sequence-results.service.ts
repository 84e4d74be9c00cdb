import { Inject, Injectable } from '@nestjs/common';
import type { SequenceResults, SequenceResultsQuery, TouchFunnel } from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { SurveysService } from '../surveys/surveys.service';
import { compareArms, spendPer, type ArmStats } from './reactivation';
import { SequenceResultsRepository, type ArmRow, type FunnelRow } from './sequence-results.repository';

const NO_ARM: ArmRow = {
  arm: 'treated',
  enrolled: 0,
  n: 0,
  reactivated: 0,
  revenueSum: 0,
  revenueSumSquares: 0,
};

function counts(rows: readonly FunnelRow[]) {
  const sum = (k: keyof Omit<FunnelRow, 'touchId' | 'variant'>) => rows.reduce((s, r) => s + r[k], 0);
  return {
    messages: sum('messages'),
    sent: sum('sent'),
    delivered: sum('delivered'),
    opened: sum('opened'),
    clicked: sum('clicked'),
    converted: sum('converted'),
  };
}

function armOutcome(a: ArmRow) {
  return {
    n: a.n,
    reactivated: a.reactivated,
    rate: a.n > 0 ? a.reactivated / a.n : null,
    revenue: a.revenueSum,
    revenuePerCustomer: a.n > 0 ? a.revenueSum / a.n : null,
  };
}

@Injectable()
export class SequenceResultsService {
  constructor(
    private readonly repo: SequenceResultsRepository,
    private readonly surveys: SurveysService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async results(actor: Actor, id: string, query: SequenceResultsQuery): Promise<SequenceResults> {
    return this.compute(actor.workspaceId, id, query.alpha, this.clock.now());
  }

  /** Computed on read: each figure is one aggregate query, and enrollments only change once a day. */
  async compute(workspaceId: string, id: string, alpha: number, now: Date): Promise<SequenceResults> {
    const s = await this.repo.sequence(workspaceId, id);
    if (!s) throw DomainError.notFound('Sequence', id);
    const [arms, funnelRows, offers, surveys, campaign] = await Promise.all([
      this.repo.arms(workspaceId, s, now),
      this.repo.funnel(workspaceId, s),
      this.repo.offerAdoption(workspaceId, s),
      this.surveys.summariesForSequence(workspaceId, s.id),
      s.experimentId ? this.repo.campaign(workspaceId, s.experimentId) : Promise.resolve(null),
    ]);
    const treated = arms.find((a) => a.arm === 'treated') ?? NO_ARM;
    const holdout = arms.find((a) => a.arm === 'holdout') ?? { ...NO_ARM, arm: 'holdout' as const };
    const stats = (a: ArmRow): ArmStats => ({
      n: a.n,
      reactivated: a.reactivated,
      revenueSum: a.revenueSum,
      revenueSumSquares: a.revenueSumSquares,
    });
    const comparison = compareArms(stats(treated), stats(holdout), alpha);

    const funnel: TouchFunnel[] = s.touches.map((t) => {
      const rows = funnelRows.filter((r) => r.touchId === t.id);
      return {
        touchId: t.id,
        position: t.position,
        delayDays: t.delayDays,
        channel: t.channel,
        offerKey: t.offerKey,
        enrolledTreated: treated.enrolled,
        ...counts(rows),
        variants: rows
          .filter((r) => r.variant !== null)
          .sort((a, b) => (a.variant! < b.variant! ? -1 : 1))
          .map((r) => ({ variant: r.variant!, ...counts([r]) })),
      };
    });

    const spend = campaign ? campaign.spend : null;
    return {
      sequenceId: s.id,
      sequenceKey: s.key,
      name: s.name,
      experimentId: s.experimentId,
      measurementDays: s.measurementDays,
      alpha,
      computedAt: now.toISOString(),
      enrollments: {
        treated: treated.enrolled,
        holdout: holdout.enrolled,
        inWindow: treated.enrolled - treated.n + (holdout.enrolled - holdout.n),
      },
      funnel,
      reactivation: { treated: armOutcome(treated), holdout: armOutcome(holdout), ...comparison },
      spend: {
        total: spend,
        perReactivated: spendPer(spend, treated.reactivated),
        perIncrementalReactivated: spendPer(spend, comparison.incrementalReactivated?.estimate),
      },
      offers: offers.map((o) => ({ ...o, adoption: o.offered > 0 ? o.redeemed / o.offered : null })),
      surveys,
      campaign: campaign
        ? {
            id: campaign.id,
            key: campaign.key,
            name: campaign.name,
            verdict: campaign.verdict,
            roiPath: `/v1/campaigns/${campaign.id}/roi`,
          }
        : null,
    };
  }
}
