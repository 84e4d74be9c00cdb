import { Injectable } from '@nestjs/common';
import type { Metric as MetricView, MetricCreateParsed, MetricList } from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation } from './experiments.repository';
import { MetricsRepository } from './metrics.repository';
import { toMetricView } from './views';

@Injectable()
export class MetricsService {
  constructor(
    private readonly repo: MetricsRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, body: MetricCreateParsed): Promise<MetricView> {
    try {
      return await this.repo.transaction(async (tx) => {
        const metric = await this.repo.create(
          {
            workspaceId: actor.workspaceId,
            key: body.key,
            name: body.name,
            kind: body.kind,
            eventName: body.eventName,
            valueProperty: body.valueProperty ?? null,
            denominatorEventName: body.denominatorEventName ?? null,
            denominatorValueProperty: body.denominatorValueProperty ?? null,
            windowDays: body.windowDays,
            capping: body.capping,
            capValue: body.capValue ?? null,
            revenueStream: body.revenueStream ?? null,
            higherIsBetter: body.higherIsBetter,
          },
          tx,
        );
        const view = toMetricView(metric);
        await this.audit.record(actor, 'metric.create', { type: 'metric', id: metric.id }, undefined, view, {
          tx,
        });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw DomainError.conflict(`A metric with key ${body.key} already exists.`, [
          { path: 'key', rule: 'unique' },
        ]);
      }
      throw error;
    }
  }

  async list(actor: Actor): Promise<MetricList> {
    return { items: (await this.repo.list(actor.workspaceId)).map(toMetricView) };
  }

  async get(actor: Actor, id: string): Promise<MetricView> {
    const metric = await this.repo.findById(actor.workspaceId, id);
    if (!metric) throw DomainError.notFound('Metric', id);
    return toMetricView(metric);
  }
}
