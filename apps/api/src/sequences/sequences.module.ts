import { Module } from '@nestjs/common';
import { SequencesController } from './sequences.controller';
import { SequencesRepository } from './sequences.repository';
import { SequencesScheduler } from './sequences.scheduler';
import { SequencesService } from './sequences.service';

/** Win-back sequences: definitions, launch with a holdout experiment, audience runs and enrollments. */
@Module({
  controllers: [SequencesController],
  providers: [SequencesRepository, SequencesService, SequencesScheduler],
  exports: [SequencesService],
})
export class SequencesModule {}
