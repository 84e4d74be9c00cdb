import { Module } from '@nestjs/common';
import { SegmentFinderController } from './segment-finder.controller';
import { SegmentFinderRepository } from './segment-finder.repository';
import { SegmentFinderService } from './segment-finder.service';

/** Segment finder on any experiment: sufficient statistics per segment × arm in SQL, uplift maths in stats. */
@Module({
  controllers: [SegmentFinderController],
  providers: [SegmentFinderRepository, SegmentFinderService],
})
export class SegmentFinderModule {}
