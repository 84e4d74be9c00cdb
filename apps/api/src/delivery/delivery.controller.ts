import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  TemplatePreviewRequestSchema,
  TemplatePreviewSchema,
  type TemplatePreview,
  type TemplatePreviewRequestParsed,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { CLOCK, type Clock } from '../common/clock';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody } from '../common/zod.pipe';
import { DeliveryService } from './delivery.service';

/** Live preview of touch templates on a real customer (the sequence builder). */
@ApiTags('sequences')
@Controller('v1/sequences')
export class DeliveryController {
  constructor(
    private readonly delivery: DeliveryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('template-preview')
  @HttpCode(200)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: "Render a touch's content for a real customer, as it would be sent" })
  @ApiZodResponse(200, TemplatePreviewSchema)
  preview(
    @CurrentActor() actor: Actor,
    @ZodBody(TemplatePreviewRequestSchema) body: TemplatePreviewRequestParsed,
  ): Promise<TemplatePreview> {
    return this.delivery.previewTemplate(actor, body, this.clock.now());
  }
}
