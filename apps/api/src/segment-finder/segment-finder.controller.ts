import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  SegmentFinderQuerySchema,
  SegmentFinderSchema,
  type SegmentFinder,
  type SegmentFinderQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodPipe, ZodQuery } from '../common/zod.pipe';
import { SegmentFinderService } from './segment-finder.service';

const IdParam = new ZodPipe(z.uuid('format_uuid'), ['id']);

/** Results of an experiment cut by segment: read like the results themselves. */
@ApiTags('value analytics')
@Controller('v1/experiments/:id/segment-finder')
export class SegmentFinderController {
  constructor(private readonly finder: SegmentFinderService) {}

  @Get()
  @Roles('marketer', 'lifecycle', 'executive')
  @KeyScopes('read')
  @ApiOperation({
    summary:
      'Segment finder: uplift per segment with intervals, heterogeneity (Cochran Q), Qini and uplift@k',
  })
  @ApiZodResponse(200, SegmentFinderSchema)
  find(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodQuery(SegmentFinderQuerySchema) q: SegmentFinderQuery,
  ): Promise<SegmentFinder> {
    return this.finder.find(actor, id, q);
  }
}
