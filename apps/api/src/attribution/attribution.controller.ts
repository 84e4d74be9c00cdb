import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AttributionComparisonSchema,
  AttributionQuerySchema,
  type AttributionComparison,
  type AttributionQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodQuery } from '../common/zod.pipe';
import { AttributionService } from './attribution.service';

@ApiTags('value analytics')
@Controller('v1/attribution')
export class AttributionController {
  constructor(private readonly attribution: AttributionService) {}

  @Get()
  @Roles('marketer', 'lifecycle', 'executive')
  @ApiOperation({
    summary: 'Upsell and cross-sell conversions credited to channels by six attribution models side by side',
    description:
      'First touch, last touch, linear, position-based (first/last shares configurable), Markov removal ' +
      'effect (exact absorbing-chain solution) and Shapley values, on journeys built from sent messages and ' +
      'events carrying a `channel` property within `lookbackDays` before each order.',
  })
  @ApiZodResponse(200, AttributionComparisonSchema)
  compare(
    @CurrentActor() actor: Actor,
    @ZodQuery(AttributionQuerySchema) q: AttributionQuery,
  ): Promise<AttributionComparison> {
    return this.attribution.compare(actor, q);
  }
}
