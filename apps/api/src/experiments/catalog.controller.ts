import { Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  GlobalHoldoutSchema,
  GlobalHoldoutUpdateSchema,
  MetricCreateSchema,
  MetricListSchema,
  MetricSchema,
  NamespaceCreateSchema,
  NamespaceListSchema,
  NamespaceSchema,
  type GlobalHoldout,
  type GlobalHoldoutUpdate,
  type Metric,
  type MetricCreateParsed,
  type MetricList,
  type Namespace,
  type NamespaceCreate,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody } from '../common/zod.pipe';
import { IdParam } from './experiments.controller';
import { GlobalHoldoutService } from './global-holdout.service';
import { MetricsService } from './metrics.service';
import { NamespacesService } from './namespaces.service';

@ApiTags('metrics')
@Controller('v1/metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Roles('marketer', 'lifecycle', 'executive')
  @KeyScopes('read')
  @ApiOperation({ summary: 'Metric definitions' })
  @ApiZodResponse(200, MetricListSchema)
  list(@CurrentActor() actor: Actor): Promise<MetricList> {
    return this.metrics.list(actor);
  }

  @Post()
  @Roles('marketer')
  @ApiOperation({ summary: 'Define a metric (proportion, mean or ratio of events)' })
  @ApiZodResponse(201, MetricSchema, 'Created')
  create(
    @CurrentActor() actor: Actor,
    @ZodBody(MetricCreateSchema) body: MetricCreateParsed,
  ): Promise<Metric> {
    return this.metrics.create(actor, body);
  }

  @Get(':id')
  @Roles('marketer', 'lifecycle', 'executive')
  @KeyScopes('read')
  @ApiOperation({ summary: 'One metric definition' })
  @ApiZodResponse(200, MetricSchema)
  get(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<Metric> {
    return this.metrics.get(actor, id);
  }
}

@ApiTags('namespaces')
@Controller('v1/namespaces')
export class NamespacesController {
  constructor(private readonly namespaces: NamespacesService) {}

  @Get()
  @Roles('marketer', 'lifecycle', 'executive')
  @ApiOperation({ summary: 'Namespaces with the slices their experiments hold' })
  @ApiZodResponse(200, NamespaceListSchema)
  list(@CurrentActor() actor: Actor): Promise<{ items: Namespace[] }> {
    return this.namespaces.list(actor);
  }

  @Post()
  @Roles('marketer')
  @ApiOperation({ summary: 'Create a namespace for mutually exclusive experiments' })
  @ApiZodResponse(201, NamespaceSchema, 'Created')
  create(
    @CurrentActor() actor: Actor,
    @ZodBody(NamespaceCreateSchema) body: NamespaceCreate,
  ): Promise<Namespace> {
    return this.namespaces.create(actor, body);
  }
}

@ApiTags('global holdout')
@Controller('v1/global-holdout')
export class GlobalHoldoutController {
  constructor(private readonly holdout: GlobalHoldoutService) {}

  @Get()
  @Roles('marketer', 'lifecycle', 'executive')
  @ApiOperation({ summary: 'The workspace-wide holdout: percent, seed and members so far' })
  @ApiZodResponse(200, GlobalHoldoutSchema)
  get(@CurrentActor() actor: Actor): Promise<GlobalHoldout> {
    return this.holdout.get(actor);
  }

  @Put()
  @ApiOperation({ summary: 'Set the global holdout percent (admin); applies to customers not decided yet' })
  @ApiZodResponse(200, GlobalHoldoutSchema)
  update(
    @CurrentActor() actor: Actor,
    @ZodBody(GlobalHoldoutUpdateSchema) body: GlobalHoldoutUpdate,
  ): Promise<GlobalHoldout> {
    return this.holdout.update(actor, body);
  }
}
