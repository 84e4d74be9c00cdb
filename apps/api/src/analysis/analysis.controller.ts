import { Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  CumulativeResultsSchema,
  ExperimentResultsSchema,
  GlobalHoldoutReportSchema,
  ResultSettingsSchema,
  ResultSettingsUpdateSchema,
  ResultsQuerySchema,
  type CumulativeResults,
  type ExperimentResults,
  type GlobalHoldoutReport,
  type ResultSettings,
  type ResultSettingsUpdate,
  type ResultsQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodPipe, ZodQuery } from '../common/zod.pipe';
import { AnalysisService } from './analysis.service';

const IdParam = new ZodPipe(z.uuid('format_uuid'), ['id']);

/** Results are read by marketers, executives and read keys; only marketers (and admins) trigger work. */
@ApiTags('results')
@Controller('v1/experiments/:id/results')
export class ResultsController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get()
  @Roles('marketer', 'executive')
  @KeyScopes('read')
  @ApiOperation({
    summary: 'Latest results snapshot: per metric × variant means, lifts with intervals, SRM, verdict',
    description:
      'Reads the stored snapshot (never recomputes). `dimension` adds that breakdown, with its ' +
      'multiple-testing caveat; `availableDimensions` lists the breakdowns the snapshot holds.',
  })
  @ApiZodResponse(200, ExperimentResultsSchema)
  results(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodQuery(ResultsQuerySchema) query: ResultsQuery,
  ): Promise<ExperimentResults> {
    return this.analysis.results(actor, id, query);
  }

  @Get('cumulative')
  @Roles('marketer', 'executive')
  @KeyScopes('read')
  @ApiOperation({ summary: 'Cumulative lift by day of entry (daily points), to spot novelty effects' })
  @ApiZodResponse(200, CumulativeResultsSchema)
  cumulative(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<CumulativeResults> {
    return this.analysis.cumulative(actor, id);
  }

  @Post('refresh')
  @HttpCode(200)
  @Roles('marketer')
  @ApiOperation({ summary: 'Compute the results now (data until now) and store them as the latest snapshot' })
  @ApiZodResponse(200, ExperimentResultsSchema)
  refresh(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<ExperimentResults> {
    return this.analysis.refresh(actor, id);
  }

  @Get('settings')
  @Roles('marketer', 'executive')
  @KeyScopes('read')
  @ApiOperation({ summary: 'How results are computed: correction, α, CUPED, breakdowns' })
  @ApiZodResponse(200, ResultSettingsSchema)
  settings(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<ResultSettings> {
    return this.analysis.settings(actor, id);
  }

  @Put('settings')
  @Roles('marketer')
  @ApiOperation({ summary: 'Change how results are computed; applies from the next refresh' })
  @ApiZodResponse(200, ResultSettingsSchema)
  updateSettings(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(ResultSettingsUpdateSchema) body: ResultSettingsUpdate,
  ): Promise<ResultSettings> {
    return this.analysis.updateSettings(actor, id, body);
  }
}

@ApiTags('results')
@Controller('v1/reports/global-holdout')
export class GlobalHoldoutReportController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get()
  @Roles('marketer', 'executive')
  @KeyScopes('read')
  @ApiOperation({
    summary: 'Total effect of all retention work against the global holdout (latest snapshot)',
  })
  @ApiZodResponse(200, GlobalHoldoutReportSchema)
  report(@CurrentActor() actor: Actor): Promise<GlobalHoldoutReport> {
    return this.analysis.globalHoldout(actor);
  }

  @Post('refresh')
  @HttpCode(200)
  @Roles('marketer')
  @ApiOperation({ summary: 'Compute the global holdout report now and store it' })
  @ApiZodResponse(200, GlobalHoldoutReportSchema)
  refresh(@CurrentActor() actor: Actor): Promise<GlobalHoldoutReport> {
    return this.analysis.refreshGlobalHoldoutFor(actor);
  }
}
