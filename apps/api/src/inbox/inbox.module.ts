import { Module } from '@nestjs/common';
import { InboxController } from './inbox.controller';
import { InboxRepository } from './inbox.repository';
import { InboxService } from './inbox.service';

/** The in-app channel's inbox: the product lists a customer's messages and reports them seen. */
@Module({
  controllers: [InboxController],
  providers: [InboxRepository, InboxService],
})
export class InboxModule {}
