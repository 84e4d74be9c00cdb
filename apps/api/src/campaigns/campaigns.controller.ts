import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  CampaignCreateSchema,
  CampaignListQuerySchema,
  CampaignListSchema,
  CampaignPlanRequestSchema,
  CampaignPlanSchema,
  CampaignRoiQuerySchema,
  CampaignRoiSchema,
  CampaignSchema,
  CampaignUpdateSchema,
  CostLineInputSchema,
  CostLineListSchema,
  CostLineSchema,
  KeySchema,
  ProgramTargetsSchema,
  ProgramTargetsUpdateSchema,
  type Campaign,
  type CampaignCreateParsed,
  type CampaignList,
  type CampaignListQuery,
  type CampaignPlan,
  type CampaignPlanRequestParsed,
  type CampaignRoi,
  type CampaignRoiQuery,
  type CampaignUpdate,
  type CostLine,
  type CostLineList,
  type CostLineParsed,
  type ProgramTargets,
  type ProgramTargetsUpdateParsed,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodPipe, ZodQuery } from '../common/zod.pipe';
import { CampaignsService } from './campaigns.service';

const IdParam = new ZodPipe(z.uuid('format_uuid'), ['id']);
const CostIdParam = new ZodPipe(z.uuid('format_uuid'), ['costId']);
const ProgramKeyParam = new ZodPipe(KeySchema, ['key']);

/** Campaigns: marketers edit; executives read. */
@ApiTags('campaigns')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @Roles('marketer', 'executive')
  @ApiOperation({ summary: 'List campaigns, newest first' })
  @ApiZodResponse(200, CampaignListSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(CampaignListQuerySchema) query: CampaignListQuery,
  ): Promise<CampaignList> {
    return this.campaigns.list(actor, query);
  }

  @Post()
  @Roles('marketer')
  @ApiOperation({ summary: 'Create a campaign on an experiment, with its money terms and cost ledger' })
  @ApiZodResponse(201, CampaignSchema, 'Created')
  create(
    @CurrentActor() actor: Actor,
    @ZodBody(CampaignCreateSchema) body: CampaignCreateParsed,
  ): Promise<Campaign> {
    return this.campaigns.create(actor, body);
  }

  @Post('plan')
  @HttpCode(200)
  @Roles('marketer', 'executive')
  @ApiOperation({
    summary: 'Plan before launch: what-if ROI, break-even lift, and whether the test can prove payback',
  })
  @ApiZodResponse(200, CampaignPlanSchema)
  plan(@ZodBody(CampaignPlanRequestSchema) body: CampaignPlanRequestParsed): CampaignPlan {
    return this.campaigns.plan(body);
  }

  @Get(':id')
  @Roles('marketer', 'executive')
  @ApiOperation({ summary: 'One campaign with its cost ledger' })
  @ApiZodResponse(200, CampaignSchema)
  get(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<Campaign> {
    return this.campaigns.get(actor, id);
  }

  @Patch(':id')
  @Roles('marketer')
  @ApiOperation({ summary: 'Edit a campaign’s terms' })
  @ApiZodResponse(200, CampaignSchema)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(CampaignUpdateSchema) body: CampaignUpdate,
  ): Promise<Campaign> {
    return this.campaigns.update(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('marketer')
  @ApiOperation({ summary: 'Delete a campaign and its ledger' })
  async remove(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<void> {
    await this.campaigns.remove(actor, id);
  }

  @Get(':id/costs')
  @Roles('marketer', 'executive')
  @ApiOperation({ summary: 'The cost ledger' })
  @ApiZodResponse(200, CostLineListSchema)
  costs(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<CostLineList> {
    return this.campaigns.listCosts(actor, id);
  }

  @Post(':id/costs')
  @Roles('marketer')
  @ApiOperation({ summary: 'Add a ledger line (technology, people, content, media or incentives)' })
  @ApiZodResponse(201, CostLineSchema, 'Created')
  addCost(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(CostLineInputSchema) body: CostLineParsed,
  ): Promise<CostLine> {
    return this.campaigns.addCost(actor, id, body);
  }

  @Put(':id/costs/:costId')
  @Roles('marketer')
  @ApiOperation({ summary: 'Replace a ledger line' })
  @ApiZodResponse(200, CostLineSchema)
  replaceCost(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @Param('costId', CostIdParam) costId: string,
    @ZodBody(CostLineInputSchema) body: CostLineParsed,
  ): Promise<CostLine> {
    return this.campaigns.replaceCost(actor, id, costId, body);
  }

  @Delete(':id/costs/:costId')
  @HttpCode(204)
  @Roles('marketer')
  @ApiOperation({ summary: 'Remove a ledger line' })
  async removeCost(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @Param('costId', CostIdParam) costId: string,
  ): Promise<void> {
    await this.campaigns.removeCost(actor, id, costId);
  }

  @Get(':id/roi')
  @Roles('marketer', 'executive')
  @KeyScopes('read')
  @ApiOperation({
    summary:
      'Incremental, discounted ROI with its interval, payback, LTV:CAC, verdict and benchmarks; ?by=segment|cohort adds a breakdown',
  })
  @ApiZodResponse(200, CampaignRoiSchema)
  roi(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodQuery(CampaignRoiQuerySchema) query: CampaignRoiQuery,
  ): Promise<CampaignRoi> {
    return this.campaigns.roi(actor, id, query.by);
  }
}

/** Program targets and the program's ROI trend over quarters. */
@ApiTags('campaigns')
@Controller('v1/programs')
export class ProgramsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get(':key/targets')
  @Roles('marketer', 'executive')
  @ApiOperation({ summary: 'Target ROI, sector reference and quarterly ROI trend of a program' })
  @ApiZodResponse(200, ProgramTargetsSchema)
  get(@CurrentActor() actor: Actor, @Param('key', ProgramKeyParam) key: string): Promise<ProgramTargets> {
    return this.campaigns.getTargets(actor, key);
  }

  @Put(':key/targets')
  @Roles('marketer')
  @ApiOperation({ summary: 'Set the target ROI and the sector reference value of a program' })
  @ApiZodResponse(200, ProgramTargetsSchema)
  put(
    @CurrentActor() actor: Actor,
    @Param('key', ProgramKeyParam) key: string,
    @ZodBody(ProgramTargetsUpdateSchema) body: ProgramTargetsUpdateParsed,
  ): Promise<ProgramTargets> {
    return this.campaigns.putTargets(actor, key, body);
  }
}
