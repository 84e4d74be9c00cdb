import {
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
import { request } from './client';
import type {
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

export const queryKeys = {
  me: ['me'] as const,
  experiments: ['experiments'] as const,
  experiment: (id: string) => ['experiments', id] as const,
  exposures: (id: string) => ['experiments', id, 'exposures'] as const,
  metrics: ['metrics'] as const,
  namespaces: ['namespaces'] as const,
  customers: (search: string) => ['customers', search] as const,
  customer: (externalId: string) => ['customer', externalId] as const,
  import: (id: string) => ['imports', id] as const,
  apiKeys: ['api-keys'] as const,
  users: ['users'] as const,
};
