import {
  CampaignListSchema,
  CampaignPlanSchema,
  CampaignRoiSchema,
  CampaignSchema,
  CostLineListSchema,
  CostLineSchema,
  CumulativeResultsSchema,
  ExperimentResultsSchema,
  GlobalHoldoutReportSchema,
  PortfolioSchema,
  ProgramTargetsSchema,
  ApiKeyListSchema,
  CreateApiKeyResponseSchema,
  CreateUserResponseSchema,
  CustomerDetailSchema,
  CustomerListSchema,
  ExperimentExposuresSchema,
  ExperimentListSchema,
  ExperimentSchema,
  ImportJobSchema,
  LoginResponseSchema,
  MeResponseSchema,
  MetricListSchema,
  NamespaceListSchema,
  UserListSchema,
  UserSchema,
} from '@liftlab/contracts';
import { buildUrl, request } from './client';
import type {
  Campaign,
  CampaignCreate,
  CampaignList,
  CampaignPlan,
  CampaignPlanRequest,
  CampaignRoi,
  CampaignUpdate,
  CostLine,
  CostLineInput,
  CostLineList,
  CumulativeResults,
  ExperimentResults,
  GlobalHoldoutReport,
  Portfolio,
  ProgramTargets,
  ProgramTargetsUpdate,
  ApiKey,
  CreateApiKeyResponse,
  CreateUserRequest,
  CreateUserResponse,
  CustomerDetail,
  CustomerList,
  Experiment,
  ExperimentConclude,
  ExperimentCreate,
  ExperimentExposures,
  ExperimentList,
  ExperimentRamp,
  ExperimentStop,
  ExperimentUpdate,
  ImportJob,
  ImportKind,
  MetricList,
  Namespace,
  UpdateUserRequest,
  User,
} from './types';
import type { TransitionAction } from '../experiments/status';

/**
 * Typed calls, one per endpoint the admin app uses. Responses with a schema in @liftlab/contracts are checked
 * against it, so a drift between API and app fails loudly at the boundary instead of deep inside a page.
 */

const enc = encodeURIComponent;

export type TransitionBody = {
  start: Record<string, never>;
  ramp: ExperimentRamp;
  stop: ExperimentStop;
  conclude: ExperimentConclude;
};

export const api = {
  login: (email: string, password: string): Promise<{ user: User }> =>
    request('/v1/auth/login', { method: 'POST', body: { email, password }, schema: LoginResponseSchema }),
  logout: () => request<void>('/v1/auth/logout', { method: 'POST' }),
  /** The signed-in person; null when the caller is an API key (the admin app is for people). */
  me: (): Promise<User | null> =>
    request('/v1/auth/me', { schema: MeResponseSchema }).then((r) =>
      r.actor.type === 'user' ? r.actor.user : null,
    ),

  listExperiments: (
    query: { status?: string; cursor?: string; limit?: number } = {},
  ): Promise<ExperimentList> => request('/v1/experiments', { query, schema: ExperimentListSchema }),
  getExperiment: (id: string): Promise<Experiment> =>
    request(`/v1/experiments/${enc(id)}`, { schema: ExperimentSchema }),
  createExperiment: (body: ExperimentCreate): Promise<Experiment> =>
    request('/v1/experiments', { method: 'POST', body, schema: ExperimentSchema }),
  updateExperiment: (id: string, body: ExperimentUpdate): Promise<Experiment> =>
    request(`/v1/experiments/${enc(id)}`, { method: 'PATCH', body, schema: ExperimentSchema }),
  transition: <A extends TransitionAction>(
    id: string,
    action: A,
    body: TransitionBody[A],
  ): Promise<Experiment> =>
    request(`/v1/experiments/${enc(id)}/${action}`, { method: 'POST', body, schema: ExperimentSchema }),
  exposures: (id: string): Promise<ExperimentExposures> =>
    request(`/v1/experiments/${enc(id)}/exposures`, { schema: ExperimentExposuresSchema }),

  /** The latest stored results snapshot; `dimension` adds that breakdown. 404 until the first refresh. */
  results: (id: string, dimension?: string): Promise<ExperimentResults> =>
    request(`/v1/experiments/${enc(id)}/results`, { query: { dimension }, schema: ExperimentResultsSchema }),
  cumulativeResults: (id: string): Promise<CumulativeResults> =>
    request(`/v1/experiments/${enc(id)}/results/cumulative`, { schema: CumulativeResultsSchema }),
  refreshResults: (id: string): Promise<ExperimentResults> =>
    request(`/v1/experiments/${enc(id)}/results/refresh`, {
      method: 'POST',
      body: {},
      schema: ExperimentResultsSchema,
    }),
  globalHoldoutReport: (): Promise<GlobalHoldoutReport> =>
    request('/v1/reports/global-holdout', { schema: GlobalHoldoutReportSchema }),

  listCampaigns: (
    query: { programKey?: string; cursor?: string; limit?: number } = {},
  ): Promise<CampaignList> => request('/v1/campaigns', { query, schema: CampaignListSchema }),
  getCampaign: (id: string): Promise<Campaign> =>
    request(`/v1/campaigns/${enc(id)}`, { schema: CampaignSchema }),
  createCampaign: (body: CampaignCreate): Promise<Campaign> =>
    request('/v1/campaigns', { method: 'POST', body, schema: CampaignSchema }),
  updateCampaign: (id: string, body: CampaignUpdate): Promise<Campaign> =>
    request(`/v1/campaigns/${enc(id)}`, { method: 'PATCH', body, schema: CampaignSchema }),
  deleteCampaign: (id: string) => request<void>(`/v1/campaigns/${enc(id)}`, { method: 'DELETE' }),
  listCosts: (id: string): Promise<CostLineList> =>
    request(`/v1/campaigns/${enc(id)}/costs`, { schema: CostLineListSchema }),
  addCost: (id: string, body: CostLineInput): Promise<CostLine> =>
    request(`/v1/campaigns/${enc(id)}/costs`, { method: 'POST', body, schema: CostLineSchema }),
  replaceCost: (id: string, costId: string, body: CostLineInput): Promise<CostLine> =>
    request(`/v1/campaigns/${enc(id)}/costs/${enc(costId)}`, { method: 'PUT', body, schema: CostLineSchema }),
  removeCost: (id: string, costId: string) =>
    request<void>(`/v1/campaigns/${enc(id)}/costs/${enc(costId)}`, { method: 'DELETE' }),
  /** 412 (precondition failed) names what is missing: results, revenue lift by month, or costs. */
  campaignRoi: (id: string, by?: 'segment' | 'cohort'): Promise<CampaignRoi> =>
    request(`/v1/campaigns/${enc(id)}/roi`, { query: { by }, schema: CampaignRoiSchema }),
  planCampaign: (body: CampaignPlanRequest): Promise<CampaignPlan> =>
    request('/v1/campaigns/plan', { method: 'POST', body, schema: CampaignPlanSchema }),
  programTargets: (key: string): Promise<ProgramTargets> =>
    request(`/v1/programs/${enc(key)}/targets`, { schema: ProgramTargetsSchema }),
  setProgramTargets: (key: string, body: ProgramTargetsUpdate): Promise<ProgramTargets> =>
    request(`/v1/programs/${enc(key)}/targets`, { method: 'PUT', body, schema: ProgramTargetsSchema }),

  portfolio: (period: { from?: string; to?: string }): Promise<Portfolio> =>
    request('/v1/reports/portfolio', { query: period, schema: PortfolioSchema }),

  listMetrics: (): Promise<MetricList> => request('/v1/metrics', { schema: MetricListSchema }),
  listNamespaces: (): Promise<{ items: Namespace[] }> =>
    request('/v1/namespaces', { schema: NamespaceListSchema }),

  searchCustomers: (query: { search?: string; cursor?: string; limit?: number }): Promise<CustomerList> =>
    request('/v1/customers', { query, schema: CustomerListSchema }),
  getCustomer: (externalId: string): Promise<CustomerDetail> =>
    request(`/v1/customers/${enc(externalId)}`, { schema: CustomerDetailSchema }),

  /** The file is the request body (streamed by the browser), not a multipart form. */
  uploadImport: (kind: ImportKind, file: File): Promise<ImportJob> =>
    request(`/v1/imports/${kind}`, {
      method: 'POST',
      body: file,
      query: { fileName: file.name },
      headers: { 'content-type': 'text/csv' },
      schema: ImportJobSchema,
    }),
  getImport: (id: string): Promise<ImportJob> =>
    request(`/v1/imports/${enc(id)}`, { schema: ImportJobSchema }),

  listApiKeys: (): Promise<{ items: ApiKey[] }> => request('/v1/api-keys', { schema: ApiKeyListSchema }),
  createApiKey: (body: { name: string; scope: ApiKey['scope'] }): Promise<CreateApiKeyResponse> =>
    request('/v1/api-keys', { method: 'POST', body, schema: CreateApiKeyResponseSchema }),
  revokeApiKey: (id: string) => request<void>(`/v1/api-keys/${enc(id)}`, { method: 'DELETE' }),

  listUsers: (): Promise<{ items: User[] }> => request('/v1/users', { schema: UserListSchema }),
  createUser: (body: CreateUserRequest): Promise<CreateUserResponse> =>
    request('/v1/users', { method: 'POST', body, schema: CreateUserResponseSchema }),
  updateUser: (id: string, body: UpdateUserRequest): Promise<User> =>
    request(`/v1/users/${enc(id)}`, { method: 'PATCH', body, schema: UserSchema }),
};

/** The CSV export of the portfolio: a plain link, so the browser downloads it with the session cookie. */
export function portfolioExportUrl(period: { from?: string; to?: string }, format: 'csv' | 'html'): string {
  return buildUrl('/v1/reports/portfolio', { ...period, format });
}

export const queryKeys = {
  me: ['me'] as const,
  experiments: ['experiments'] as const,
  experiment: (id: string) => ['experiments', id] as const,
  exposures: (id: string) => ['experiments', id, 'exposures'] as const,
  results: (id: string, dimension: string) => ['experiments', id, 'results', dimension] as const,
  resultsOf: (id: string) => ['experiments', id, 'results'] as const,
  cumulative: (id: string) => ['experiments', id, 'results', 'cumulative'] as const,
  globalHoldout: ['reports', 'global-holdout'] as const,
  campaigns: ['campaigns'] as const,
  campaign: (id: string) => ['campaigns', id] as const,
  campaignRoi: (id: string, by: string) => ['campaigns', id, 'roi', by] as const,
  programTargets: (key: string) => ['programs', key, 'targets'] as const,
  portfolio: (from: string, to: string) => ['reports', 'portfolio', from, to] as const,
  metrics: ['metrics'] as const,
  namespaces: ['namespaces'] as const,
  customers: (search: string) => ['customers', search] as const,
  customer: (externalId: string) => ['customer', externalId] as const,
  import: (id: string) => ['imports', id] as const,
  apiKeys: ['api-keys'] as const,
  users: ['users'] as const,
};
