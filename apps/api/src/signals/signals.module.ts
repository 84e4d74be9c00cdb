import { Module } from '@nestjs/common';
import { SequencesModule } from '../sequences/sequences.module';
import { SequencesService } from '../sequences/sequences.service';
import { SequenceEnroller } from './sequence-enroller';
import { SignalRulesController, SignalsController } from './signals.controller';
import { SignalsRepository } from './signals.repository';
import { SignalsScheduler } from './signals.scheduler';
import { SignalsService } from './signals.service';

/** Health signals: rules on customer behaviour, their scheduled evaluation, interventions and the board. */
@Module({
  imports: [SequencesModule],
  controllers: [SignalRulesController, SignalsController],
  providers: [
    SignalsRepository,
    SignalsService,
    SignalsScheduler,
    {
      provide: SequenceEnroller,
      inject: [SequencesService],
      useFactory: (sequences: SequencesService): SequenceEnroller => ({
        enroll: (workspaceId, sequenceId, customerIds, now) =>
          sequences.enrollCustomers(workspaceId, sequenceId, customerIds, now),
      }),
    },
  ],
  exports: [SignalsService],
})
export class SignalsModule {}
