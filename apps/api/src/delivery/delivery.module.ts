import { Module } from '@nestjs/common';
import { CallTaskChannel } from './channels/call-task';
import { ChannelsModule } from './channels/channels.module';
import { EmailChannel } from './channels/email';
import { InAppChannel } from './channels/in-app';
import { ChannelRegistry } from './channels/registry';
import { WebhookChannel } from './channels/webhook';
import { DeliveryController } from './delivery.controller';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryScheduler } from './delivery.scheduler';
import { DeliveryOptions, DeliveryService } from './delivery.service';
import { LinkSigner } from './links';

/** The delivery engine of win-back sequences: claimed advance/send steps, channels, template preview. */
@Module({
  imports: [ChannelsModule],
  controllers: [DeliveryController],
  providers: [
    DeliveryRepository,
    LinkSigner,
    EmailChannel,
    { provide: DeliveryOptions, useValue: new DeliveryOptions() },
    {
      provide: ChannelRegistry,
      inject: [EmailChannel, InAppChannel, WebhookChannel, CallTaskChannel],
      useFactory: (
        email: EmailChannel,
        inApp: InAppChannel,
        webhook: WebhookChannel,
        callTask: CallTaskChannel,
      ) => new ChannelRegistry({ email, in_app: inApp, webhook, call_task: callTask }),
    },
    DeliveryService,
    DeliveryScheduler,
  ],
  exports: [DeliveryService],
})
export class DeliveryModule {}
