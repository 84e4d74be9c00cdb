import {
  AttributionComparisonSchema,
  ChannelSpendImportResultSchema,
  ChannelSpendListSchema,
  ChannelSpendSchema,
  CohortExplorerSchema,
  LtvCacSchema,
  SegmentFinderSchema,
  type AttributionComparison,
  type AttributionQueryInput,
  type ChannelSpend,
  type ChannelSpendImportResult,
  type ChannelSpendInput,
  type ChannelSpendList,
  type CohortExplorer,
  type CohortQueryInput,
  type LtvCac,
  type LtvCacQueryInput,
  type SegmentFinder,
  type SegmentFinderQueryInput,
} from '@liftlab/contracts';
import { request } from '../api/client';

/** Calls of the customer value pages (cohorts, LTV:CAC, attribution, segment finder). */

type Query = Record<string, string | number | undefined>;
const enc = encodeURIComponent;

export const valueApi = {
  cohorts: (query: CohortQueryInput): Promise<CohortExplorer> =>
    request('/v1/cohorts', { query: query as Query, schema: CohortExplorerSchema }),
  ltvCac: (query: LtvCacQueryInput): Promise<LtvCac> =>
    request('/v1/ltv-cac', { query: query as Query, schema: LtvCacSchema }),
  listSpend: (query: { from?: string; to?: string } = {}): Promise<ChannelSpendList> =>
    request('/v1/channel-spend', { query, schema: ChannelSpendListSchema }),
  createSpend: (body: ChannelSpendInput): Promise<ChannelSpend> =>
    request('/v1/channel-spend', { method: 'POST', body, schema: ChannelSpendSchema }),
  updateSpend: (id: string, body: { amount?: number; note?: string }): Promise<ChannelSpend> =>
    request(`/v1/channel-spend/${enc(id)}`, { method: 'PATCH', body, schema: ChannelSpendSchema }),
  deleteSpend: (id: string) => request<void>(`/v1/channel-spend/${enc(id)}`, { method: 'DELETE' }),
  importSpend: (csv: string): Promise<ChannelSpendImportResult> =>
    request('/v1/channel-spend/import', {
      method: 'POST',
      body: csv,
      headers: { 'content-type': 'text/csv' },
      schema: ChannelSpendImportResultSchema,
    }),
  attribution: (query: AttributionQueryInput): Promise<AttributionComparison> =>
    request('/v1/attribution', { query: query as Query, schema: AttributionComparisonSchema }),
  segmentFinder: (experimentId: string, query: SegmentFinderQueryInput): Promise<SegmentFinder> =>
    request(`/v1/experiments/${enc(experimentId)}/segment-finder`, {
      query: query as Query,
      schema: SegmentFinderSchema,
    }),
};

export const valueKeys = {
  cohorts: (query: CohortQueryInput) => ['value', 'cohorts', query] as const,
  ltvCac: (query: LtvCacQueryInput) => ['value', 'ltv-cac', query] as const,
  spend: ['value', 'spend'] as const,
  attribution: (query: AttributionQueryInput) => ['value', 'attribution', query] as const,
  segmentFinder: (id: string, query: SegmentFinderQueryInput) => ['value', 'segments', id, query] as const,
};
