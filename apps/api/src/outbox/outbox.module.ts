import { Module } from '@nestjs/common';
import { LinkSigner } from '../delivery/links';
import { OutboxController } from './outbox.controller';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';
import { TrackingController } from './tracking.controller';

/** Outbox / message log, and the public open-pixel and click-redirect tracking endpoints. */
@Module({
  controllers: [OutboxController, TrackingController],
  providers: [OutboxRepository, OutboxService, LinkSigner],
})
export class OutboxModule {}
