import { Controller, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  ClvFitSchema,
  CustomerValueListQuerySchema,
  CustomerValueListSchema,
  CustomerValueSchema,
  CustomerValueSettingsSchema,
  CustomerValueSettingsUpdateSchema,
  CustomerValueSummarySchema,
  ExternalIdSchema,
  IncrementalLtvSchema,
  type ClvFit,
  type CustomerValue,
  type CustomerValueList,
  type CustomerValueListQuery,
  type CustomerValueSettings,
  type CustomerValueSettingsUpdate,
  type CustomerValueSummary,
  type IncrementalLtv,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { CLOCK, type Clock } from '../common/clock';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodPipe, ZodQuery } from '../common/zod.pipe';
import { CustomerValueService } from './customer-value.service';

const IdParam = new ZodPipe(z.uuid('format_uuid'), ['id']);
const ExternalIdParam = new ZodPipe(ExternalIdSchema, ['externalId']);

/** Predictive CLV and value segments: the lifecycle team and marketers run them; executives read aggregates. */
@ApiTags('customer-value')
@Controller('v1/customer-value')
export class CustomerValueController {
  constructor(
    private readonly values: CustomerValueService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('summary')
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({
    summary: 'Value segments with counts and mean CLV, the latest fit and its calibration check',
  })
  @ApiZodResponse(200, CustomerValueSummarySchema)
  summary(@CurrentActor() actor: Actor): Promise<CustomerValueSummary> {
    return this.values.summary(actor);
  }

  @Post('fit')
  @HttpCode(200)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({
    summary:
      'Fit BG/NBD + Gamma-Gamma on the order history now, store every customer’s prediction and segment',
  })
  @ApiZodResponse(200, ClvFitSchema)
  fit(@CurrentActor() actor: Actor): Promise<ClvFit> {
    return this.values.fit(actor, this.clock.now());
  }

  @Get('settings')
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'Segment thresholds, horizon, discount rate and calibration holdout length' })
  @ApiZodResponse(200, CustomerValueSettingsSchema)
  settings(@CurrentActor() actor: Actor): Promise<CustomerValueSettings> {
    return this.values.getSettings(actor);
  }

  @Put('settings')
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Change the settings; they apply from the next fit' })
  @ApiZodResponse(200, CustomerValueSettingsSchema)
  putSettings(
    @CurrentActor() actor: Actor,
    @ZodBody(CustomerValueSettingsUpdateSchema) body: CustomerValueSettingsUpdate,
  ): Promise<CustomerValueSettings> {
    return this.values.putSettings(actor, body);
  }

  @Get('customers')
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Customers by predicted CLV, highest first, optionally of one value segment' })
  @ApiZodResponse(200, CustomerValueListSchema)
  customers(
    @CurrentActor() actor: Actor,
    @ZodQuery(CustomerValueListQuerySchema) query: CustomerValueListQuery,
  ): Promise<CustomerValueList> {
    return this.values.customers(actor, query);
  }

  @Get('customers/:externalId')
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'One customer’s RFM summary, predictions and value segment' })
  @ApiZodResponse(200, CustomerValueSchema)
  customer(
    @CurrentActor() actor: Actor,
    @Param('externalId', ExternalIdParam) externalId: string,
  ): Promise<CustomerValue> {
    return this.values.customer(actor, externalId);
  }
}

/** The incremental LTV of a campaign, beside its ROI. */
@ApiTags('campaigns')
@Controller('v1/campaigns')
export class CampaignLtvController {
  constructor(
    private readonly values: CustomerValueService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id/incremental-ltv')
  @Roles('marketer', 'executive')
  @KeyScopes('read')
  @ApiOperation({
    summary:
      'Treated minus control predicted CLV and revenue to date with Welch intervals, and the projected ROI beside the observed one',
  })
  @ApiZodResponse(200, IncrementalLtvSchema)
  incrementalLtv(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<IncrementalLtv> {
    return this.values.incrementalLtv(actor, id, this.clock.now());
  }
}
