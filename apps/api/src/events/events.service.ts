import { Inject, Injectable } from '@nestjs/common';
import type { EventIngestRequest, EventIngestResult } from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CLOCK, type Clock } from '../common/clock';
import { experimentKeysOf, prepareEvents } from './event-rows';
import { EventsRepository } from './events.repository';

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Stores the valid events of a batch and reports the rest. Customers named by an event but unknown to the
   * workspace are created (exposures often arrive before the CRM sync; dropping them would bias results).
   */
  async ingest(actor: Actor, body: EventIngestRequest): Promise<EventIngestResult> {
    const now = this.clock.now();
    const experiments = await this.events.findExperiments(actor.workspaceId, experimentKeysOf(body.events));
    const { rows, repeatedInBatch, rejected } = prepareEvents(body.events, experiments, now);
    await this.events.ensureCustomers(actor.workspaceId, [...new Set(rows.map((r) => r.externalId))], now);
    const accepted = await this.events.insertEvents(actor.workspaceId, rows, now);
    return { accepted, duplicates: repeatedInBatch + (rows.length - accepted), rejected };
  }
}
