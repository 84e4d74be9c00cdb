import {
  ClvFitSchema,
  CustomerValueListSchema,
  CustomerValueSettingsSchema,
  CustomerValueSummarySchema,
  IncrementalLtvSchema,
  type ClvFit,
  type CustomerValueList,
  type CustomerValueSettings,
  type CustomerValueSettingsUpdate,
  type CustomerValueSummary,
  type IncrementalLtv,
  type ValueSegment,
} from '@liftlab/contracts';
import { request } from '../api/client';

/** Calls of the predicted-CLV pages: summary, fit, thresholds, customers by segment, campaign incremental LTV. */
export const clvApi = {
  summary: (): Promise<CustomerValueSummary> =>
    request('/v1/customer-value/summary', { schema: CustomerValueSummarySchema }),
  fit: (): Promise<ClvFit> => request('/v1/customer-value/fit', { method: 'POST', schema: ClvFitSchema }),
  saveSettings: (body: CustomerValueSettingsUpdate): Promise<CustomerValueSettings> =>
    request('/v1/customer-value/settings', { method: 'PUT', body, schema: CustomerValueSettingsSchema }),
  customers: (segment: ValueSegment | '', cursor?: string): Promise<CustomerValueList> =>
    request('/v1/customer-value/customers', {
      query: { limit: 25, ...(segment ? { segment } : {}), ...(cursor ? { cursor } : {}) },
      schema: CustomerValueListSchema,
    }),
  incrementalLtv: (campaignId: string): Promise<IncrementalLtv> =>
    request(`/v1/campaigns/${encodeURIComponent(campaignId)}/incremental-ltv`, {
      schema: IncrementalLtvSchema,
    }),
};

export const clvKeys = {
  summary: ['customer-value', 'summary'] as const,
  customers: (segment: string, cursor: string | undefined) =>
    ['customer-value', 'customers', segment, cursor] as const,
  incrementalLtv: (campaignId: string) => ['customer-value', 'incremental-ltv', campaignId] as const,
};

export const SEGMENT_LABEL: Record<ValueSegment, string> = {
  vip_ambassador: 'VIP ambassadors',
  vip_at_risk: 'VIPs at risk',
  occasional_potential: 'Occasional, with potential',
  passive: 'Passive',
};

export const SEGMENT_HINT: Record<ValueSegment, string> = {
  vip_ambassador: 'High predicted CLV and still active: keep them close, ask for referrals.',
  vip_at_risk: 'High predicted CLV but probably lapsing: the first audience for a win-back.',
  occasional_potential: 'Lower CLV, still active: nudge the next purchase.',
  passive: 'Lower CLV and probably gone: contact sparingly.',
};
