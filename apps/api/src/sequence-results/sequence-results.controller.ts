import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  SequenceResultsQuerySchema,
  SequenceResultsSchema,
  type SequenceResults,
  type SequenceResultsQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { IdParam } from '../common/id-param';
import { ApiZodResponse } from '../common/openapi';
import { ZodQuery } from '../common/zod.pipe';
import { SequenceResultsService } from './sequence-results.service';

@ApiTags('sequences')
@Controller('v1/sequences')
export class SequenceResultsController {
  constructor(private readonly results: SequenceResultsService) {}

  @Get(':id/results')
  @Roles('lifecycle', 'marketer', 'executive')
  @KeyScopes('read')
  @ApiOperation({
    summary: 'Funnel per touch, reactivation treated vs holdout with lift and CI, spend, offers, surveys',
    description:
      'Both arms are measured from enrollment over the sequence’s measurementDays; only enrollments whose ' +
      'window has ended are compared. The campaign wrapping the sequence’s experiment carries the ROI.',
  })
  @ApiZodResponse(200, SequenceResultsSchema)
  get(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @ZodQuery(SequenceResultsQuerySchema) query: SequenceResultsQuery,
  ): Promise<SequenceResults> {
    return this.results.results(actor, id, query);
  }
}
