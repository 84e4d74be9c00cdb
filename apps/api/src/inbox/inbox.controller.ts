import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ExternalIdSchema,
  InboxMessageListSchema,
  InboxMessageSchema,
  InboxQuerySchema,
  type InboxMessage,
  type InboxMessageList,
  type InboxQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes } from '../auth/decorators';
import { IdParam } from '../common/id-param';
import { ApiZodResponse } from '../common/openapi';
import { ZodPipe, ZodQuery } from '../common/zod.pipe';
import { InboxService } from './inbox.service';

const ExternalIdParam = new ZodPipe(ExternalIdSchema, ['externalId']);

/** In-app messages, fetched by the product's servers with an API key. */
@ApiTags('inbox')
@Controller('v1/customers/:externalId/messages')
@KeyScopes('ingest', 'read')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: 'A customer’s unseen in-app messages, newest first (includeSeen=true for all)' })
  @ApiZodResponse(200, InboxMessageListSchema)
  list(
    @CurrentActor() actor: Actor,
    @Param('externalId', ExternalIdParam) externalId: string,
    @ZodQuery(InboxQuerySchema) query: InboxQuery,
  ): Promise<InboxMessageList> {
    return this.inbox.list(actor, externalId, query);
  }

  @Post(':id/seen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an in-app message as seen (the first report keeps its time)' })
  @ApiZodResponse(200, InboxMessageSchema)
  seen(
    @CurrentActor() actor: Actor,
    @Param('externalId', ExternalIdParam) externalId: string,
    @IdParam() id: string,
  ): Promise<InboxMessage> {
    return this.inbox.markSeen(actor, externalId, id);
  }
}
