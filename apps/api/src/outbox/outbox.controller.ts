import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  OutboxMessageListSchema,
  OutboxMessageSchema,
  OutboxQuerySchema,
  type OutboxMessage,
  type OutboxMessageList,
  type OutboxQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { IdParam } from '../common/id-param';
import { ApiZodResponse } from '../common/openapi';
import { ZodQuery } from '../common/zod.pipe';
import { OutboxService } from './outbox.service';

/** The message log of all sequences; e-mails kept in the database outbox show their rendered content. */
@ApiTags('outbox')
@Controller('v1/outbox')
@Roles('lifecycle', 'marketer')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @ApiOperation({
    summary:
      'Sequence messages, newest first; filter by channel, status, sequence, customer, database outbox',
  })
  @ApiZodResponse(200, OutboxMessageListSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(OutboxQuerySchema) query: OutboxQuery,
  ): Promise<OutboxMessageList> {
    return this.outbox.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One message with its rendered subject, text, HTML and delivery state' })
  @ApiZodResponse(200, OutboxMessageSchema)
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<OutboxMessage> {
    return this.outbox.get(actor, id);
  }
}
