import { z } from 'zod';
import { DateTimeSchema, ExternalIdSchema, IdSchema, KeySchema, NameSchema } from './common';

/**
 * Offers attached to win-back touches, short surveys behind a signed link, and the results document of a
 * sequence.
 *
 * - GET/POST /v1/offers, GET/PATCH/DELETE /v1/offers/:id         → Offer
 * - POST /v1/offers/redemptions (ingest key)                      → OfferRedemptionResult
 * - GET/POST /v1/surveys, GET/PATCH/DELETE /v1/surveys/:id        → Survey
 * - GET /v1/surveys/:id/summary                                   → SurveySummary
 * - GET/POST /v1/s/:token (public, signed link)                   → HTML form / SurveyForm, SurveySubmitResult
 * - GET /v1/sequences/:id/results                                 → SequenceResults
 */

const rule = (name: string) => ({ message: name, params: { rule: name } });

// ---------------------------------------------------------------------------------------------------------------
// Offers

export const OfferKindSchema = z.enum(['tier_upgrade', 'discount', 'pilot']);
export type OfferKind = z.infer<typeof OfferKindSchema>;

/** Days a received offer stays valid. */
const ValidDaysSchema = z.number('type_number').int('integer').min(1, 'min_1').max(365, 'max_365');
/** Prefix of per-customer codes, e.g. `WINBACK20` → `WINBACK20-7K3M9QXT`. */
export const CodePrefixSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,16}$/, 'code_prefix_format')
  .describe('2–16 upper-case letters or digits');
const TierSchema = z.string().trim().min(1, 'required').max(100, 'max_length');
const PercentSchema = z.number('type_number').gt(0, 'gt_0').max(100, 'max_100');
const TermsDaysSchema = z.number('type_number').int('integer').min(1, 'min_1').max(365, 'max_365');
const DescriptionSchema = z.string().trim().min(1, 'required').max(2000, 'max_length');

const OfferBase = { key: KeySchema, name: NameSchema };

/**
 * A new offer. `validDays` counts from when the customer received the touch carrying it; a discount always
 * expires, an upgrade or a pilot only when `validDays` is set.
 */
export const OfferCreateSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...OfferBase,
      kind: z.literal('tier_upgrade'),
      targetTier: TierSchema,
      validDays: ValidDaysSchema.optional(),
    })
    .strict(),
  z
    .object({
      ...OfferBase,
      kind: z.literal('discount'),
      percent: PercentSchema,
      validDays: ValidDaysSchema,
      codePrefix: CodePrefixSchema,
    })
    .strict(),
  z
    .object({
      ...OfferBase,
      kind: z.literal('pilot'),
      termsDays: TermsDaysSchema,
      description: DescriptionSchema,
      validDays: ValidDaysSchema.optional(),
    })
    .strict(),
]);
export type OfferCreate = z.infer<typeof OfferCreateSchema>;

/** Partial edit; the fields must belong to the offer's kind (the kind itself never changes). */
export const OfferUpdateSchema = z
  .object({
    name: NameSchema.optional(),
    targetTier: TierSchema.optional(),
    percent: PercentSchema.optional(),
    validDays: ValidDaysSchema.nullable().optional(),
    codePrefix: CodePrefixSchema.optional(),
    termsDays: TermsDaysSchema.optional(),
    description: DescriptionSchema.optional(),
  })
  .strict();
export type OfferUpdate = z.infer<typeof OfferUpdateSchema>;

/** An offer; fields of other kinds are null. */
export const OfferSchema = z.object({
  id: IdSchema,
  key: KeySchema,
  name: z.string(),
  kind: OfferKindSchema,
  targetTier: z.string().nullable(),
  percent: z.number().nullable(),
  validDays: z.number().int().nullable(),
  codePrefix: z.string().nullable(),
  termsDays: z.number().int().nullable(),
  description: z.string().nullable(),
  /** Touches that carry it. */
  touches: z.number().int(),
  redemptions: z.number().int(),
  createdAt: DateTimeSchema,
});
export type Offer = z.infer<typeof OfferSchema>;

export const OfferListSchema = z.object({ items: z.array(OfferSchema) });
export type OfferList = z.infer<typeof OfferListSchema>;

/**
 * A redemption reported by the product or the shop: either the code the customer used, or the offer's key and
 * the customer (for offers without codes). Re-sending the same redemption is harmless.
 */
export const OfferRedemptionRequestSchema = z
  .object({
    code: z.string().trim().min(1, 'required').max(64, 'max_length').optional(),
    offerKey: KeySchema.optional(),
    customerExternalId: ExternalIdSchema.optional(),
    redeemedAt: DateTimeSchema,
  })
  .strict()
  .superRefine((r, ctx) => {
    const issue = (path: string, name: string) =>
      ctx.addIssue({ code: 'custom', path: [path], ...rule(name) });
    if (r.code !== undefined) {
      if (r.offerKey !== undefined) issue('offerKey', 'code_or_offer_key');
      return;
    }
    if (r.offerKey === undefined) issue('code', 'required_without_offer_key');
    if (r.customerExternalId === undefined) issue('customerExternalId', 'required_with_offer_key');
  });
export type OfferRedemptionRequest = z.infer<typeof OfferRedemptionRequestSchema>;

export const OfferRedemptionResultSchema = z.object({
  id: IdSchema,
  offerId: IdSchema,
  offerKey: KeySchema,
  customerExternalId: z.string(),
  sequenceId: IdSchema.nullable(),
  enrollmentId: IdSchema.nullable(),
  code: z.string().nullable(),
  redeemedAt: DateTimeSchema,
  /** The `offer_redeemed` conversion event recorded for it. */
  eventId: z.string().nullable(),
  /** True when this redemption had already been recorded (nothing new was stored). */
  duplicate: z.boolean(),
});
export type OfferRedemptionResult = z.infer<typeof OfferRedemptionResultSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Surveys

const PromptSchema = z.string().trim().min(1, 'required').max(500, 'max_length');
const OptionSchema = z
  .object({ id: KeySchema, label: z.string().trim().min(1, 'required').max(200, 'max_length') })
  .strict();

export const MAX_FREE_TEXT_LENGTH = 2000;

export const SurveyQuestionSchema = z.discriminatedUnion('type', [
  z
    .object({
      id: KeySchema,
      type: z.literal('single_choice'),
      prompt: PromptSchema,
      required: z.boolean().default(true),
      options: z
        .array(OptionSchema)
        .min(2, 'min_2')
        .max(10, 'max_10')
        .refine((o) => new Set(o.map((x) => x.id)).size === o.length, 'unique_option_ids'),
    })
    .strict(),
  z
    .object({
      id: KeySchema,
      type: z.literal('free_text'),
      prompt: PromptSchema,
      required: z.boolean().default(false),
      maxLength: z
        .number('type_number')
        .int('integer')
        .min(1, 'min_1')
        .max(MAX_FREE_TEXT_LENGTH, `max_${MAX_FREE_TEXT_LENGTH}`)
        .default(500),
    })
    .strict(),
]);
export type SurveyQuestion = z.output<typeof SurveyQuestionSchema>;

const QuestionsSchema = z
  .array(SurveyQuestionSchema)
  .min(1, 'min_1')
  .max(3, 'max_3')
  .refine((q) => new Set(q.map((x) => x.id)).size === q.length, 'unique_question_ids');

export const SurveyCreateSchema = z
  .object({ key: KeySchema, title: NameSchema, questions: QuestionsSchema })
  .strict();
export type SurveyCreate = z.output<typeof SurveyCreateSchema>;

/** Questions can only change while the survey has no responses (answers refer to them). */
export const SurveyUpdateSchema = z
  .object({ title: NameSchema.optional(), questions: QuestionsSchema.optional() })
  .strict();
export type SurveyUpdate = z.output<typeof SurveyUpdateSchema>;

export const SurveySchema = z.object({
  id: IdSchema,
  key: KeySchema,
  title: z.string(),
  questions: z.array(SurveyQuestionSchema),
  responses: z.number().int(),
  createdAt: DateTimeSchema,
});
export type Survey = z.infer<typeof SurveySchema>;

export const SurveyListSchema = z.object({ items: z.array(SurveySchema) });
export type SurveyList = z.infer<typeof SurveyListSchema>;

/**
 * Answers keyed by question id: the option id of a single-choice question, the text of a free-text one. The
 * signed page posts them as a form (`<questionId>=<value>`); JSON clients send `{ answers: {...} }`.
 */
export const SurveyAnswersSchema = z.record(z.string(), z.string());
export type SurveyAnswers = z.infer<typeof SurveyAnswersSchema>;

export const SurveySubmitSchema = z.object({ answers: z.record(z.string(), z.unknown()) }).strict();
export type SurveySubmit = z.infer<typeof SurveySubmitSchema>;

/** What the signed link shows (JSON form of the page). */
export const SurveyFormSchema = z.object({
  title: z.string(),
  questions: z.array(SurveyQuestionSchema),
  answered: z.boolean(),
});
export type SurveyForm = z.infer<typeof SurveyFormSchema>;

export const SurveySubmitResultSchema = z.object({ id: IdSchema, submittedAt: DateTimeSchema });
export type SurveySubmitResult = z.infer<typeof SurveySubmitResultSchema>;

export const SurveyQuestionSummarySchema = z.object({
  id: z.string(),
  type: z.enum(['single_choice', 'free_text']),
  prompt: z.string(),
  /** Responses that answered this question. */
  answered: z.number().int(),
  /** Single choice: every option, with its count and share of `answered` (0 when nobody answered). */
  options: z
    .array(z.object({ id: z.string(), label: z.string(), count: z.number().int(), share: z.number() }))
    .nullable(),
  /** Free text: the answers, newest first (at most 200). */
  textAnswers: z.array(z.object({ text: z.string(), submittedAt: DateTimeSchema })).nullable(),
});
export type SurveyQuestionSummary = z.infer<typeof SurveyQuestionSummarySchema>;

export const SurveySummarySchema = z.object({
  surveyId: IdSchema,
  key: KeySchema,
  title: z.string(),
  responses: z.number().int(),
  questions: z.array(SurveyQuestionSummarySchema),
});
export type SurveySummary = z.infer<typeof SurveySummarySchema>;

// ---------------------------------------------------------------------------------------------------------------
// Sequence results

/** An estimate with its 1 − α confidence interval (Welch t on sufficient statistics). */
export const LiftEstimateSchema = z.object({
  estimate: z.number(),
  se: z.number(),
  ci: z.tuple([z.number(), z.number()]),
  pValue: z.number(),
});
export type LiftEstimate = z.infer<typeof LiftEstimateSchema>;

const FunnelCountsSchema = z.object({
  /** Message rows written for the touch (the touch was reached and its conditions matched). */
  messages: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  /** Sent messages whose customer reactivated after the send, within the measurement window. */
  converted: z.number().int(),
});

export const TouchFunnelSchema = FunnelCountsSchema.extend({
  touchId: IdSchema,
  position: z.number().int(),
  delayDays: z.number().int(),
  channel: z.enum(['email', 'in_app', 'webhook', 'call_task']),
  offerKey: z.string().nullable(),
  /** Treated-arm enrollments of the sequence: the top of every touch's funnel. */
  enrolledTreated: z.number().int(),
  /** Per A/B content variant (empty when the touch is not split). */
  variants: z.array(FunnelCountsSchema.extend({ variant: z.string() })),
});
export type TouchFunnel = z.infer<typeof TouchFunnelSchema>;

const ArmOutcomeSchema = z.object({
  /** Enrollments whose measurement window has ended (only these are compared). */
  n: z.number().int(),
  reactivated: z.number().int(),
  rate: z.number().nullable(),
  revenue: z.number(),
  revenuePerCustomer: z.number().nullable(),
});

const NotMeasurableSchema = z.object({ field: z.string(), rule: z.string(), message: z.string() });

export const SequenceResultsSchema = z.object({
  sequenceId: IdSchema,
  sequenceKey: KeySchema,
  name: z.string(),
  experimentId: IdSchema.nullable(),
  measurementDays: z.number().int(),
  alpha: z.number(),
  computedAt: DateTimeSchema,
  enrollments: z.object({
    treated: z.number().int(),
    holdout: z.number().int(),
    /** Still inside their measurement window: not compared yet. */
    inWindow: z.number().int(),
  }),
  funnel: z.array(TouchFunnelSchema),
  reactivation: z.object({
    treated: ArmOutcomeSchema,
    holdout: ArmOutcomeSchema,
    /** Treated rate − holdout rate. */
    absoluteLift: LiftEstimateSchema.nullable(),
    /** (Treated rate − holdout rate) / holdout rate. */
    relativeLift: LiftEstimateSchema.nullable(),
    /** Absolute lift × treated enrollments measured. */
    incrementalReactivated: LiftEstimateSchema.nullable(),
    /** Revenue per treated enrollment − per holdout enrollment, × treated enrollments measured. */
    incrementalRevenue: LiftEstimateSchema.nullable(),
    notMeasurable: NotMeasurableSchema.nullable(),
  }),
  spend: z.object({
    /** Sum of the cost ledger of the campaign wrapping the sequence; null without one. */
    total: z.number().nullable(),
    perReactivated: z.number().nullable(),
    /** Null unless the incremental reactivated estimate is positive. */
    perIncrementalReactivated: z.number().nullable(),
  }),
  offers: z.array(
    z.object({
      offerId: IdSchema,
      key: KeySchema,
      name: z.string(),
      kind: OfferKindSchema,
      /** Treated enrollments sent a touch carrying the offer. */
      offered: z.number().int(),
      redeemed: z.number().int(),
      adoption: z.number().nullable(),
    }),
  ),
  /** Survey answers given by this sequence's enrolled customers. */
  surveys: z.array(SurveySummarySchema),
  campaign: z
    .object({
      id: IdSchema,
      key: KeySchema,
      name: z.string(),
      verdict: z.string().nullable(),
      /** Its discounted ROI, from the results/ROI pipeline. */
      roiPath: z.string(),
    })
    .nullable(),
});
export type SequenceResults = z.infer<typeof SequenceResultsSchema>;

export const SequenceResultsQuerySchema = z.object({
  alpha: z.coerce.number('type_number').gt(0, 'gt_0').max(0.5, 'max_0.5').default(0.05),
});
export type SequenceResultsQuery = z.infer<typeof SequenceResultsQuerySchema>;
