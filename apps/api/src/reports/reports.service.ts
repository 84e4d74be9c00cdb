import { Inject, Injectable } from '@nestjs/common';
import type { DigestResult, DigestSend, Period, Portfolio, PortfolioQuery } from '@liftlab/contracts';
import type { Actor, SystemActor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/config';
import { Mailer } from './mailer';
import { computePortfolio, defaultPeriod, previousPeriod } from './portfolio';
import { digestMessage } from './render';
import { ReportsRepository } from './reports.repository';

@Injectable()
export class ReportsService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly repo: ReportsRepository,
    private readonly mailer: Mailer,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  portfolio(actor: Actor, query: Pick<PortfolioQuery, 'from' | 'to'>): Promise<Portfolio> {
    return this.portfolioFor(actor.workspaceId, this.period(query, this.clock.now()), this.clock.now());
  }

  /** The portfolio of campaigns launched in `period`, compared with the period before. */
  async portfolioFor(workspaceId: string, period: Period, now: Date): Promise<Portfolio> {
    const previous = previousPeriod(period);
    const [current, before] = await Promise.all([
      this.campaigns.portfolioEntries(workspaceId, period),
      this.campaigns.portfolioEntries(workspaceId, previous),
    ]);
    const now_ = computePortfolio(current);
    const prev = computePortfolio(before);
    return {
      period,
      previousPeriod: previous,
      generatedAt: now.toISOString(),
      totals: now_.totals,
      previousTotals: prev.totals,
      trend: {
        pooledRoiChange:
          now_.totals.pooledRoi === null || prev.totals.pooledRoi === null
            ? null
            : now_.totals.pooledRoi - prev.totals.pooledRoi,
        provenIncrementalMarginPvShrunkChange:
          now_.totals.provenIncrementalMarginPvShrunk - prev.totals.provenIncrementalMarginPvShrunk,
      },
      shrinkage: now_.shrinkage,
      distribution: now_.distribution,
      campaigns: now_.campaigns,
      scale: now_.campaigns.filter((c) => c.recommendation === 'scale').map((c) => c.key),
      stop: now_.campaigns.filter((c) => c.recommendation === 'stop').map((c) => c.key),
    };
  }

  /** Sends the digest now (admin action). */
  sendDigest(actor: Actor, body: DigestSend): Promise<DigestResult> {
    const now = this.clock.now();
    return this.deliver(actor, actor.workspaceId, this.period(body, now), body.recipients, now);
  }

  /** Scheduled run: every workspace's digest to its executives and DIGEST_RECIPIENTS. */
  async sendScheduledDigests(now: Date): Promise<{ sent: number; skipped: number }> {
    let sent = 0;
    let skipped = 0;
    for (const workspaceId of await this.repo.workspaceIds()) {
      const actor: SystemActor = { type: 'system', id: 'digest', workspaceId };
      try {
        await this.deliver(actor, workspaceId, defaultPeriod(now), undefined, now);
        sent++;
      } catch (error) {
        if (error instanceof DomainError && error.code === 'precondition_failed') skipped++;
        else throw error;
      }
    }
    return { sent, skipped };
  }

  private async deliver(
    actor: Actor | SystemActor,
    workspaceId: string,
    period: Period,
    recipients: string[] | undefined,
    now: Date,
  ): Promise<DigestResult> {
    const to = recipients ?? [
      ...new Set([...(await this.repo.executiveEmails(workspaceId)), ...this.config.DIGEST_RECIPIENTS]),
    ];
    if (to.length === 0) {
      throw new DomainError(
        'precondition_failed',
        'Nobody to send the digest to: add an executive user, set DIGEST_RECIPIENTS or pass recipients.',
        [{ path: 'recipients', rule: 'required' }],
      );
    }
    const portfolio = await this.portfolioFor(workspaceId, period, now);
    const link = this.link(period);
    const message = digestMessage(portfolio, link);
    const sent = await this.mailer.send({ to, ...message }, now);
    const result: DigestResult = {
      transport: sent.transport,
      recipients: to,
      subject: message.subject,
      messageId: sent.messageId,
      outboxFile: sent.outboxFile,
      period,
      link,
    };
    await this.audit.record(actor, 'report.digest.send', { type: 'report', id: 'digest' }, undefined, result);
    return result;
  }

  /** The printable portfolio page for the period, on PUBLIC_URL (or the local server). */
  private link(period: Period): string {
    const base = (this.config.PUBLIC_URL ?? `http://${this.config.HOST}:${this.config.PORT}`).replace(
      /\/+$/,
      '',
    );
    return `${base}/v1/reports/portfolio?from=${period.from}&to=${period.to}&format=html`;
  }

  private period(query: { from?: string | undefined; to?: string | undefined }, now: Date): Period {
    const fallback = defaultPeriod(now);
    const from =
      query.from ?? (query.to !== undefined && query.to < fallback.from ? query.to : fallback.from);
    const to = query.to ?? (query.from !== undefined && query.from > fallback.to ? query.from : fallback.to);
    if (from > to) throw DomainError.invalid('to', 'not_before_from');
    return { from, to };
  }
}
