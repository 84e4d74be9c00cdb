import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  BounceBatchSchema,
  BounceResultSchema,
  ExternalIdSchema,
  SuppressionCreateSchema,
  SuppressionListQuerySchema,
  SuppressionListSchema,
  SuppressionSchema,
  type BounceBatch,
  type BounceResult,
  type Suppression,
  type SuppressionCreateParsed,
  type SuppressionList,
  type SuppressionListQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodPipe, ZodQuery } from '../common/zod.pipe';
import { SuppressionService } from './suppression.service';

const ExternalIdParam = new ZodPipe(ExternalIdSchema, ['externalId']);

/** The suppression list, kept by the lifecycle team; bounces arrive from the mail provider with an ingest key. */
@ApiTags('suppressions')
@Controller('v1/suppressions')
export class SuppressionController {
  constructor(private readonly suppressions: SuppressionService) {}

  @Get()
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Suppressed customers, newest first; filter by reason or part of the externalId' })
  @ApiZodResponse(200, SuppressionListSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(SuppressionListQuerySchema) query: SuppressionListQuery,
  ): Promise<SuppressionList> {
    return this.suppressions.list(actor, query);
  }

  @Post()
  @Roles('lifecycle', 'marketer')
  @ApiOperation({
    summary: 'Suppress a customer (no sequence contacts them again); repeating it keeps the first entry',
  })
  @ApiZodResponse(201, SuppressionSchema, 'Created')
  add(
    @CurrentActor() actor: Actor,
    @ZodBody(SuppressionCreateSchema) body: SuppressionCreateParsed,
  ): Promise<Suppression> {
    return this.suppressions.add(actor, body);
  }

  @Post('bounces')
  @HttpCode(200)
  @Roles('lifecycle', 'marketer')
  @KeyScopes('ingest')
  @ApiOperation({
    summary: 'Bounce and complaint notifications: hard bounces and complaints suppress the customer',
    description:
      'The customer is found by the Message-ID Liftlab sent, else externalId, else the last message sent to ' +
      'the e-mail address. Soft bounces are counted and ignored (delivery retries them).',
  })
  @ApiZodResponse(200, BounceResultSchema)
  bounces(
    @CurrentActor() actor: Actor,
    @ZodBody(BounceBatchSchema) body: BounceBatch,
  ): Promise<BounceResult> {
    return this.suppressions.ingestBounces(actor, body);
  }

  @Delete(':externalId')
  @HttpCode(204)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Take a customer off the suppression list' })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('externalId', ExternalIdParam) externalId: string,
  ): Promise<void> {
    await this.suppressions.remove(actor, externalId);
  }
}
