import { z } from 'zod';
import { DateTimeSchema, IdSchema, KeySchema, NameSchema } from './common';

export const MetricKindSchema = z.enum(['proportion', 'mean', 'ratio']);
export type MetricKind = z.infer<typeof MetricKindSchema>;

export const MetricCappingSchema = z.enum(['none', 'absolute', 'percentile']);
export type MetricCapping = z.infer<typeof MetricCappingSchema>;

export const RevenueStreamSchema = z.enum(['upsell', 'cross_sell', 'retention', 'other']);
export type RevenueStream = z.infer<typeof RevenueStreamSchema>;

const EventNameSchema = z.string().trim().min(1, 'required').max(200, 'max_length');
const PropertySchema = z.string().trim().min(1, 'required').max(200, 'max_length');

const MetricFieldsSchema = z.object({
  key: KeySchema,
  name: NameSchema,
  kind: MetricKindSchema,
  /** Event whose occurrence (proportion) or value (mean, ratio numerator) is measured. */
  eventName: EventNameSchema,
  /** Property holding the value; absent means the event's own `value`. */
  valueProperty: PropertySchema.optional(),
  denominatorEventName: EventNameSchema.optional(),
  denominatorValueProperty: PropertySchema.optional(),
  /** Days after a customer's first exposure during which their events count. */
  windowDays: z.number().int('integer').min(1, 'min_1').max(365, 'max_365').default(14),
  capping: MetricCappingSchema.default('none'),
  /** Absolute cap (> 0) or percentile (0 < p < 1) depending on `capping`. */
  capValue: z.number().optional(),
  revenueStream: RevenueStreamSchema.optional(),
  higherIsBetter: z.boolean().default(true),
});

type MetricFields = z.infer<typeof MetricFieldsSchema>;

/** Rules that tie fields together; shared by create and the resulting stored metric. */
function checkMetric(m: MetricFields, ctx: z.core.$RefinementCtx<MetricFields>): void {
  const issue = (path: string, rule: string) => ctx.addIssue({ code: 'custom', path: [path], message: rule });
  if (m.kind === 'ratio' && !m.denominatorEventName) issue('denominatorEventName', 'required_for_ratio');
  if (m.kind !== 'ratio' && (m.denominatorEventName || m.denominatorValueProperty)) {
    issue('denominatorEventName', 'only_for_ratio');
  }
  if (m.kind === 'proportion' && m.valueProperty) issue('valueProperty', 'not_for_proportion');
  if (m.capping === 'none' && m.capValue !== undefined) issue('capValue', 'requires_capping');
  if (m.capping === 'absolute' && !(m.capValue !== undefined && m.capValue > 0))
    issue('capValue', 'positive');
  if (m.capping === 'percentile' && !(m.capValue !== undefined && m.capValue > 0 && m.capValue < 1)) {
    issue('capValue', 'between_0_and_1_exclusive');
  }
}

export const MetricCreateSchema = MetricFieldsSchema.strict().superRefine(checkMetric);
export type MetricCreate = z.input<typeof MetricCreateSchema>;
export type MetricCreateParsed = z.output<typeof MetricCreateSchema>;

export const MetricSchema = z.object({
  id: IdSchema,
  key: KeySchema,
  name: z.string(),
  kind: MetricKindSchema,
  eventName: z.string(),
  valueProperty: z.string().nullable(),
  denominatorEventName: z.string().nullable(),
  denominatorValueProperty: z.string().nullable(),
  windowDays: z.number().int(),
  capping: MetricCappingSchema,
  capValue: z.number().nullable(),
  revenueStream: RevenueStreamSchema.nullable(),
  higherIsBetter: z.boolean(),
  createdAt: DateTimeSchema,
});
export type Metric = z.infer<typeof MetricSchema>;

export const MetricListSchema = z.object({ items: z.array(MetricSchema) });
export type MetricList = z.infer<typeof MetricListSchema>;
