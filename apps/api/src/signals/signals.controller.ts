import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  HealthSignalSchema,
  SignalBoardQuerySchema,
  SignalBoardSchema,
  SignalEvaluationSchema,
  SignalListQuerySchema,
  SignalListSchema,
  SignalResolveSchema,
  SignalRuleCreateSchema,
  SignalRuleListSchema,
  SignalRuleSchema,
  SignalRuleUpdateSchema,
  type HealthSignal,
  type SignalBoard,
  type SignalBoardQuery,
  type SignalEvaluation,
  type SignalList,
  type SignalListQuery,
  type SignalResolve,
  type SignalRule,
  type SignalRuleCreateParsed,
  type SignalRuleList,
  type SignalRuleUpdate,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodPipe, ZodQuery } from '../common/zod.pipe';
import { SignalsService } from './signals.service';

const IdParam = new ZodPipe(z.uuid('format_uuid'), ['id']);

/** Signal rules: the lifecycle team and marketers edit them; executives read them. */
@ApiTags('signals')
@Controller('v1/signal-rules')
export class SignalRulesController {
  constructor(private readonly signals: SignalsService) {}

  @Get()
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'List signal rules with their open signal counts' })
  @ApiZodResponse(200, SignalRuleListSchema)
  list(@CurrentActor() actor: Actor): Promise<SignalRuleList> {
    return this.signals.listRules(actor);
  }

  @Post()
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Create a signal rule: kind and threshold, owner team, SLA and intervention' })
  @ApiZodResponse(201, SignalRuleSchema, 'Created')
  create(
    @CurrentActor() actor: Actor,
    @ZodBody(SignalRuleCreateSchema) body: SignalRuleCreateParsed,
  ): Promise<SignalRule> {
    return this.signals.createRule(actor, body);
  }

  @Get(':id')
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'One signal rule' })
  @ApiZodResponse(200, SignalRuleSchema)
  get(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<SignalRule> {
    return this.signals.getRule(actor, id);
  }

  @Patch(':id')
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Edit a signal rule (params are checked against its kind)' })
  @ApiZodResponse(200, SignalRuleSchema)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(SignalRuleUpdateSchema) body: SignalRuleUpdate,
  ): Promise<SignalRule> {
    return this.signals.updateRule(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Delete a signal rule and its signals' })
  async remove(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<void> {
    await this.signals.removeRule(actor, id);
  }

  @Post(':id/evaluate')
  @HttpCode(200)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Evaluate the rule now: open, resolve and apply interventions' })
  @ApiZodResponse(200, SignalEvaluationSchema)
  evaluate(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<SignalEvaluation> {
    return this.signals.evaluateRule(actor, id);
  }
}

/** Health signals and the board. */
@ApiTags('signals')
@Controller('v1/signals')
export class SignalsController {
  constructor(private readonly signals: SignalsService) {}

  @Get()
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({
    summary: 'List signals, newest first, filtered by status, rule, owner team, customer or SLA',
  })
  @ApiZodResponse(200, SignalListSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(SignalListQuerySchema) query: SignalListQuery,
  ): Promise<SignalList> {
    return this.signals.list(actor, query);
  }

  @Get('board')
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'Open signals by owner team and rule, oldest first, with SLA breaches counted' })
  @ApiZodResponse(200, SignalBoardSchema)
  board(
    @CurrentActor() actor: Actor,
    @ZodQuery(SignalBoardQuerySchema) query: SignalBoardQuery,
  ): Promise<SignalBoard> {
    return this.signals.board(actor, query);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Resolve an open signal by hand' })
  @ApiZodResponse(200, HealthSignalSchema)
  resolve(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    // A resolve without a note may come without a body.
    @ZodBody(SignalResolveSchema.default({})) body: SignalResolve,
  ): Promise<HealthSignal> {
    return this.signals.resolve(actor, id, body);
  }
}
