import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { OffersController } from './offers.controller';
import { OffersRepository } from './offers.repository';
import { OffersService } from './offers.service';

/** Offers, their per-enrollment codes (offer-codes.ts) and redemptions recorded as conversion events. */
@Module({
  imports: [EventsModule],
  controllers: [OffersController],
  providers: [OffersRepository, OffersService],
  exports: [OffersService],
})
export class OffersModule {}
