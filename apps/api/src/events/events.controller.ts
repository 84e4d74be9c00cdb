import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  EventIngestRequestSchema,
  EventIngestResultSchema,
  type EventIngestRequest,
  type EventIngestResult,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody } from '../common/zod.pipe';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @HttpCode(200)
  @KeyScopes('ingest')
  @ApiOperation({
    summary: 'Ingest up to 10 000 exposures, conversions, orders and activity events',
    description:
      'Idempotent per clientEventId: re-sent events are counted as duplicates and ignored. Each invalid event ' +
      'is reported with its index, field and rule; the valid events of the same batch are stored. Events name ' +
      'customers by externalId; unknown customers are created.',
  })
  @ApiZodResponse(200, EventIngestResultSchema)
  ingest(
    @CurrentActor() actor: Actor,
    @ZodBody(EventIngestRequestSchema) body: EventIngestRequest,
  ): Promise<EventIngestResult> {
    return this.events.ingest(actor, body);
  }
}
