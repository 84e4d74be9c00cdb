import { Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  ExperimentConcludeSchema,
  ExperimentCreateSchema,
  ExperimentExposuresSchema,
  ExperimentListQuerySchema,
  ExperimentListSchema,
  ExperimentRampSchema,
  ExperimentSchema,
  ExperimentStopSchema,
  ExperimentUpdateSchema,
  type Experiment,
  type ExperimentConclude,
  type ExperimentCreateParsed,
  type ExperimentExposures,
  type ExperimentList,
  type ExperimentListQuery,
  type ExperimentRamp,
  type ExperimentStop,
  type ExperimentUpdate,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodPipe, ZodQuery } from '../common/zod.pipe';
import { ExperimentsService } from './experiments.service';

export const IdParam = new ZodPipe(z.uuid('format_uuid'), ['id']);

@ApiTags('experiments')
@Controller('v1/experiments')
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  @Get()
  @Roles('marketer', 'lifecycle', 'executive')
  @KeyScopes('read')
  @ApiOperation({ summary: 'List experiments, newest first' })
  @ApiZodResponse(200, ExperimentListSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(ExperimentListQuerySchema) query: ExperimentListQuery,
  ): Promise<ExperimentList> {
    return this.experiments.list(actor, query);
  }

  @Post()
  @Roles('marketer')
  @ApiOperation({ summary: 'Create a draft experiment (a/b or holdout)' })
  @ApiZodResponse(201, ExperimentSchema, 'Created')
  create(
    @CurrentActor() actor: Actor,
    @ZodBody(ExperimentCreateSchema) body: ExperimentCreateParsed,
  ): Promise<Experiment> {
    return this.experiments.create(actor, body);
  }

  @Get(':id')
  @Roles('marketer', 'lifecycle', 'executive')
  @KeyScopes('read')
  @ApiOperation({ summary: 'One experiment' })
  @ApiZodResponse(200, ExperimentSchema)
  get(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<Experiment> {
    return this.experiments.get(actor, id);
  }

  @Patch(':id')
  @Roles('marketer')
  @ApiOperation({
    summary: 'Edit an experiment; variants, metrics, kind, seed and namespace freeze once started',
  })
  @ApiZodResponse(200, ExperimentSchema)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(ExperimentUpdateSchema) body: ExperimentUpdate,
  ): Promise<Experiment> {
    return this.experiments.update(actor, id, body);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles('marketer')
  @ApiOperation({ summary: 'draft → running; freezes the design and starts enrolling customers' })
  @ApiZodResponse(200, ExperimentSchema)
  start(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<Experiment> {
    return this.experiments.start(actor, id);
  }

  @Post(':id/ramp')
  @HttpCode(200)
  @Roles('marketer')
  @ApiOperation({
    summary: 'Change coverage and/or weights of a running experiment; nobody already assigned moves',
  })
  @ApiZodResponse(200, ExperimentSchema)
  ramp(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(ExperimentRampSchema) body: ExperimentRamp,
  ): Promise<Experiment> {
    return this.experiments.ramp(actor, id, body);
  }

  @Post(':id/stop')
  @HttpCode(200)
  @Roles('marketer')
  @ApiOperation({ summary: 'running → stopped; no new customers enter' })
  @ApiZodResponse(200, ExperimentSchema)
  stop(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(ExperimentStopSchema) body: ExperimentStop,
  ): Promise<Experiment> {
    return this.experiments.stop(actor, id, body);
  }

  @Post(':id/conclude')
  @HttpCode(200)
  @Roles('marketer')
  @ApiOperation({ summary: 'stopped → concluded, with the decision' })
  @ApiZodResponse(200, ExperimentSchema)
  conclude(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(ExperimentConcludeSchema) body: ExperimentConclude,
  ): Promise<Experiment> {
    return this.experiments.conclude(actor, id, body);
  }

  @Get(':id/exposures')
  @Roles('marketer', 'lifecycle', 'executive')
  @KeyScopes('read')
  @ApiOperation({ summary: 'Exposures per variant and the sample-ratio-mismatch check' })
  @ApiZodResponse(200, ExperimentExposuresSchema)
  exposures(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<ExperimentExposures> {
    return this.experiments.exposures(actor, id);
  }
}
