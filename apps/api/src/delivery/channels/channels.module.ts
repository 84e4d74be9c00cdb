import { Module } from '@nestjs/common';
import { CallTaskChannel } from './call-task';
import { ChannelsRepository } from './channels.repository';
import { InAppChannel } from './in-app';
import { WebhookChannel } from './webhook';

/** The in-app, retargeting webhook and call-task channels, for the delivery engine's channel registry. */
@Module({
  providers: [ChannelsRepository, InAppChannel, WebhookChannel, CallTaskChannel],
  exports: [ChannelsRepository, InAppChannel, WebhookChannel, CallTaskChannel],
})
export class ChannelsModule {}
