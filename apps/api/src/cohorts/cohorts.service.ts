import { Inject, Injectable } from '@nestjs/common';
import type {
  ChannelSpend,
  ChannelSpendImportResult,
  ChannelSpendList,
  ChannelSpendListQuery,
  ChannelSpendParsed,
  ChannelSpendUpdate,
  CohortExplorer,
  CohortQuery,
  LtvCac,
  LtvCacQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { parseSpendCsv } from './channel-spend-csv';
import {
  cohortRows,
  defaultMonths,
  ltvCacChannels,
  monthIndex,
  monthLabel,
  monthOf,
  monthStart,
} from './cohort-shaping';
import { CohortsRepository, type GroupSpec, type SpendRow } from './cohorts.repository';

const ENTITY = 'channel_spend';
/** Acquisition months one query may span: 10 years of monthly cohorts. */
const MAX_PERIOD_MONTHS = 120;

function groupSpec(q: CohortQuery): GroupSpec {
  switch (q.dimension) {
    case 'acquisitionMonth':
      return { kind: 'acquisitionMonth' };
    case 'acquisitionChannel':
      return { kind: 'column', column: 'acquisition_channel' };
    case 'segment':
    case 'plan':
    case 'country':
      return { kind: 'column', column: q.dimension };
    case 'behaviour':
      return {
        kind: 'behaviour',
        eventName: q.behaviourEvent as string,
        days: q.behaviourDays,
        minCount: q.behaviourMinCount,
        maxCount: q.behaviourMaxCount ?? null,
        property:
          q.behaviourProperty !== undefined
            ? { name: q.behaviourProperty, value: q.behaviourValue ?? '' }
            : null,
      };
    default:
      return { kind: 'trait', name: q.dimension.slice('trait.'.length) };
  }
}

function period(now: Date, from?: string, to?: string): { from: string; to: string; until: string } {
  const p = defaultMonths(now, from, to);
  if (monthIndex(p.to) - monthIndex(p.from) + 1 > MAX_PERIOD_MONTHS) {
    throw DomainError.invalid('query.from', `max_${MAX_PERIOD_MONTHS}_months`);
  }
  if (p.from > p.to) throw DomainError.invalid('query.from', 'not_after_to');
  return { ...p, until: monthLabel(monthIndex(p.to) + 1) };
}

function toView(row: SpendRow): ChannelSpend {
  return {
    id: row.id,
    channel: row.channel,
    month: monthOf(row.month),
    amount: row.amount,
    note: row.note,
    updatedAt: row.updatedAt.toISOString(),
  };
}

@Injectable()
export class CohortsService {
  constructor(
    private readonly repo: CohortsRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async explore(actor: Actor, q: CohortQuery): Promise<CohortExplorer> {
    const now = this.clock.now();
    const p = period(now, q.from, q.to);
    const sql = {
      workspaceId: actor.workspaceId,
      group: groupSpec(q),
      fromMonth: p.from,
      untilMonth: p.until,
      now,
      maxPeriods: q.months,
      activity: q.activity,
    };
    const monthly = await this.repo.monthly(sql);
    const windows = await this.repo.windows(sql);
    const { rows, total } = cohortRows(
      { monthly, windows },
      q.dimension === 'acquisitionMonth' ? 'label' : 'size',
    );
    return {
      dimension: q.dimension,
      from: p.from,
      to: p.to,
      months: q.months,
      activity: q.activity,
      rows,
      total,
    };
  }

  async ltvCac(actor: Actor, q: LtvCacQuery): Promise<LtvCac> {
    const now = this.clock.now();
    const p = period(now, q.from, q.to);
    const monthly = await this.repo.monthly({
      workspaceId: actor.workspaceId,
      group: { kind: 'column', column: 'acquisition_channel' },
      fromMonth: p.from,
      untilMonth: p.until,
      now,
      maxPeriods: q.horizonMonths,
      activity: 'orders',
    });
    const spend = await this.repo.spendByChannel(actor.workspaceId, monthStart(p.from), monthStart(p.until));
    const predicted = await this.repo.predictedClvByChannel(actor.workspaceId, p.from, p.until);
    return {
      from: p.from,
      to: p.to,
      horizonMonths: q.horizonMonths,
      grossMargin: q.grossMargin,
      clvFit: predicted
        ? { fittedAt: predicted.fittedAt.toISOString(), horizonMonths: predicted.horizonMonths }
        : null,
      channels: ltvCacChannels(monthly, spend, q, predicted?.byChannel ?? null),
    };
  }

  // ------------------------------------------------------------------------------------------ channel spend

  async listSpend(actor: Actor, q: ChannelSpendListQuery): Promise<ChannelSpendList> {
    const rows = await this.repo.listSpend(actor.workspaceId, {
      from: q.from ? monthStart(q.from) : undefined,
      until: q.to ? monthStart(monthLabel(monthIndex(q.to) + 1)) : undefined,
      channel: q.channel,
    });
    return { items: rows.map(toView) };
  }

  async createSpend(actor: Actor, body: ChannelSpendParsed): Promise<ChannelSpend> {
    const month = monthStart(body.month);
    if (await this.repo.findSpendByKey(actor.workspaceId, body.channel, month)) {
      throw DomainError.conflict(`Spend for ${body.channel} in ${body.month} is already recorded; edit it.`, [
        { path: 'month', rule: 'channel_month_exists' },
      ]);
    }
    const row = await this.repo.createSpend(
      actor.workspaceId,
      { channel: body.channel, month, amount: body.amount, note: body.note },
      this.clock.now(),
    );
    const view = toView(row);
    await this.audit.record(actor, 'channel_spend.create', { type: ENTITY, id: row.id }, undefined, view);
    return view;
  }

  async updateSpend(actor: Actor, id: string, body: ChannelSpendUpdate): Promise<ChannelSpend> {
    const before = await this.repo.findSpend(actor.workspaceId, id);
    if (!before) throw DomainError.notFound('Channel spend', id);
    const row = await this.repo.updateSpend(id, body, this.clock.now());
    const view = toView(row);
    await this.audit.record(actor, 'channel_spend.update', { type: ENTITY, id }, toView(before), view);
    return view;
  }

  async removeSpend(actor: Actor, id: string): Promise<void> {
    const before = await this.repo.findSpend(actor.workspaceId, id);
    if (!before) throw DomainError.notFound('Channel spend', id);
    await this.repo.deleteSpend(id);
    await this.audit.record(actor, 'channel_spend.delete', { type: ENTITY, id }, toView(before), undefined);
  }

  /** All or nothing: one bad row refuses the file, naming every bad cell (`rows.<line>.<column>`). */
  async importSpend(actor: Actor, csv: string): Promise<ChannelSpendImportResult> {
    const { rows, errors } = parseSpendCsv(csv);
    if (errors.length > 0)
      throw DomainError.validation(errors, 'The spend file has errors; nothing was stored.');
    const result = await this.repo.upsertSpend(
      actor.workspaceId,
      rows.map((r) => ({ channel: r.channel, month: monthStart(r.month), amount: r.amount, note: r.note })),
      this.clock.now(),
    );
    await this.audit.record(actor, 'channel_spend.import', { type: ENTITY, id: 'csv' }, undefined, result);
    return result;
  }
}
