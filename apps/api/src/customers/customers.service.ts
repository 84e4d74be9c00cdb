import { Inject, Injectable } from '@nestjs/common';
import {
  CUSTOMER_RECENT_EVENTS,
  type Customer,
  type CustomerBulkRequest,
  type CustomerBulkResult,
  type CustomerDetail,
  type CustomerList,
  type CustomerListQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { prepareCustomers } from './customer-rows';
import { CustomersRepository, type CustomerEventRecord, type CustomerRecord } from './customers.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class CustomersService {
  constructor(
    private readonly customers: CustomersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Stores every valid entry (insert or update by externalId) and reports the invalid ones. */
  async bulkUpsert(actor: Actor, body: CustomerBulkRequest): Promise<CustomerBulkResult> {
    const { patches, rejected } = prepareCustomers(body.customers);
    const { created, updated } = await this.customers.upsert(actor.workspaceId, patches, this.clock.now());
    return { created, updated, rejected };
  }

  async list(actor: Actor, query: CustomerListQuery): Promise<CustomerList> {
    if (query.cursor !== undefined && !UUID.test(query.cursor))
      throw DomainError.invalid('query.cursor', 'cursor');
    const page = await this.customers.list(actor.workspaceId, {
      search: query.search,
      before: query.cursor,
      take: query.limit + 1,
    });
    const items = page.slice(0, query.limit).map(toCustomer);
    const last = items.at(-1);
    return { items, nextCursor: page.length > query.limit && last ? last.id : null };
  }

  async get(actor: Actor, externalId: string): Promise<CustomerDetail> {
    const found = await this.customers.findDetail(actor.workspaceId, externalId);
    if (!found) throw DomainError.notFound('Customer', externalId);
    const events = await this.customers.recentEvents(actor.workspaceId, found.id, CUSTOMER_RECENT_EVENTS);
    return {
      ...toCustomer(found),
      assignments: found.assignments.map((a) => ({
        experimentId: a.experiment.id,
        experimentKey: a.experiment.key,
        experimentName: a.experiment.name,
        experimentStatus: a.experiment.status,
        variantKey: a.variant.key,
        variantName: a.variant.name,
        isControl: a.variant.isControl,
        assignedAt: a.assignedAt.toISOString(),
        source: a.source,
      })),
      recentEvents: events.map(toEvent),
    };
  }
}

export function toCustomer(c: CustomerRecord): Customer {
  return {
    id: c.id,
    externalId: c.externalId,
    segment: c.segment,
    acquisitionDate: c.acquisitionDate ? c.acquisitionDate.toISOString().slice(0, 10) : null,
    acquisitionChannel: c.acquisitionChannel,
    plan: c.plan,
    country: c.country,
    timezone: c.timezone,
    traits: asObject(c.traits),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

function toEvent(e: CustomerEventRecord): CustomerDetail['recentEvents'][number] {
  return {
    id: e.id.toString(),
    clientEventId: e.clientEventId,
    type: e.type,
    name: e.name,
    occurredAt: e.occurredAt.toISOString(),
    receivedAt: e.receivedAt.toISOString(),
    experimentKey: e.experiment?.key ?? null,
    variantKey: e.variant?.key ?? null,
    value: e.value,
    amount: e.amount === null ? null : Number(e.amount.toString()),
    currency: e.currency,
    revenueStream: e.revenueStream,
    properties: asObject(e.properties),
  };
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
