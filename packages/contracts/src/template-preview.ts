import { z } from 'zod';
import { DateTimeSchema, ExternalIdSchema, KeySchema } from './common';
import { TouchChannelSchema } from './sequences';

/**
 * POST /v1/sequences/template-preview: a touch's content rendered for a real customer, exactly as the delivery
 * engine would render it (same Liquid context: customer, offer, links). `content` is checked against the
 * channel's content schema; a template error is a 400 naming the field (`content.subject`,
 * `content.variants[1].text`) and the rule (`template_syntax`, `template_undefined_variable`).
 */
export const TemplatePreviewRequestSchema = z
  .object({
    channel: TouchChannelSchema,
    /** TouchContent of the channel (validated per channel by the server). */
    content: z.record(z.string(), z.unknown()),
    customerExternalId: ExternalIdSchema,
    offerKey: KeySchema.nullable().optional(),
  })
  .strict();
export type TemplatePreviewRequest = z.input<typeof TemplatePreviewRequestSchema>;
export type TemplatePreviewRequestParsed = z.output<typeof TemplatePreviewRequestSchema>;

export const RenderedTouchSchema = z.object({
  /** E-mail subject, in-app or call-task title; null for webhooks. */
  subject: z.string().nullable(),
  /** Plain-text body (e-mail: always present). */
  text: z.string().nullable(),
  html: z.string().nullable(),
  /** Non-text channel data: in-app CTA, webhook URL, call-task owner and due days. */
  payload: z.record(z.string(), z.unknown()).nullable(),
});
export type RenderedTouch = z.infer<typeof RenderedTouchSchema>;

export const TemplatePreviewSchema = RenderedTouchSchema.extend({
  channel: TouchChannelSchema,
  customerExternalId: z.string(),
  /** Where the message would go: the customer's `email` trait for e-mail, the URL or owner otherwise. */
  recipient: z.string().nullable(),
  offerCode: z.string().nullable(),
  offerExpiresAt: DateTimeSchema.nullable(),
  /** Each A/B content variant rendered for the same customer, when the touch is split. */
  variants: z.array(RenderedTouchSchema.extend({ key: z.string(), weight: z.number() })),
});
export type TemplatePreview = z.infer<typeof TemplatePreviewSchema>;
