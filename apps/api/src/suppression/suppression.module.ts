import { Module } from '@nestjs/common';
import { LinkSigner } from '../delivery/links';
import { SuppressionController } from './suppression.controller';
import { SuppressionRepository } from './suppression.repository';
import { SuppressionService } from './suppression.service';
import { UnsubscribeController } from './unsubscribe.controller';

/** Suppression list, signed unsubscribe links (RFC 8058 one-click) and bounce notifications. */
@Module({
  controllers: [SuppressionController, UnsubscribeController],
  providers: [SuppressionRepository, SuppressionService, LinkSigner],
  exports: [SuppressionService],
})
export class SuppressionModule {}
