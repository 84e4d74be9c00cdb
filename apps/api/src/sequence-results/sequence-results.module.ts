import { Module } from '@nestjs/common';
import { SurveysModule } from '../surveys/surveys.module';
import { SequenceResultsController } from './sequence-results.controller';
import { SequenceResultsRepository } from './sequence-results.repository';
import { SequenceResultsService } from './sequence-results.service';

/** GET /v1/sequences/:id/results: what a sequence did, measured against its holdout. */
@Module({
  imports: [SurveysModule],
  controllers: [SequenceResultsController],
  providers: [SequenceResultsRepository, SequenceResultsService],
  exports: [SequenceResultsService],
})
export class SequenceResultsModule {}
