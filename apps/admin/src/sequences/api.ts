import {
  AudiencePreviewSchema,
  CallTaskListSchema,
  CallTaskSchema,
  EnrollmentListSchema,
  HealthSignalSchema,
  OfferListSchema,
  OfferSchema,
  OutboxMessageListSchema,
  OutboxMessageSchema,
  SequenceLaunchResultSchema,
  SequenceListSchema,
  SequenceResultsSchema,
  SequenceViewSchema,
  SignalBoardSchema,
  TemplatePreviewSchema,
} from '@liftlab/contracts';
import type {
  AudiencePreview,
  AudiencePreviewRequest,
  CallTask,
  CallTaskList,
  EnrollmentList,
  HealthSignal,
  MessageChannel,
  MessageStatus,
  Offer,
  OfferCreate,
  OfferList,
  OutboxMessage,
  OutboxMessageList,
  SequenceCreate,
  SequenceLaunchResult,
  SequenceList,
  SequenceResults,
  SequenceStatus,
  SequenceUpdate,
  SequenceView,
  SignalBoard,
  TaskComplete,
  TaskStatus,
  TemplatePreview,
  TemplatePreviewRequest,
} from '@liftlab/contracts';
import { request } from '../api/client';

/**
 * Calls of the sequence pages (sequences, audience preview, template preview, outbox, tasks, signals board,
 * results). Kept apart from the shared endpoint list; responses are checked against @liftlab/contracts.
 */

const enc = encodeURIComponent;

export interface OutboxFilters {
  channel?: MessageChannel;
  status?: MessageStatus;
  sequenceId?: string;
  customer?: string;
  outbox?: boolean;
  cursor?: string;
  limit?: number;
}

export interface TaskFilters {
  owner?: string;
  status?: TaskStatus;
  overdue?: boolean;
  cursor?: string;
  limit?: number;
}

export const sequencesApi = {
  list: (query: { status?: SequenceStatus; cursor?: string; limit?: number } = {}): Promise<SequenceList> =>
    request('/v1/sequences', { query, schema: SequenceListSchema }),
  get: (id: string): Promise<SequenceView> =>
    request(`/v1/sequences/${enc(id)}`, { schema: SequenceViewSchema }),
  create: (body: SequenceCreate): Promise<SequenceView> =>
    request('/v1/sequences', { method: 'POST', body, schema: SequenceViewSchema }),
  update: (id: string, body: SequenceUpdate): Promise<SequenceView> =>
    request(`/v1/sequences/${enc(id)}`, { method: 'PATCH', body, schema: SequenceViewSchema }),
  launch: (id: string): Promise<SequenceLaunchResult> =>
    request(`/v1/sequences/${enc(id)}/launch`, {
      method: 'POST',
      body: {},
      schema: SequenceLaunchResultSchema,
    }),
  pause: (id: string): Promise<SequenceView> =>
    request(`/v1/sequences/${enc(id)}/pause`, { method: 'POST', body: {}, schema: SequenceViewSchema }),
  resume: (id: string): Promise<SequenceView> =>
    request(`/v1/sequences/${enc(id)}/resume`, { method: 'POST', body: {}, schema: SequenceViewSchema }),
  enrollments: (id: string, query: { cursor?: string; limit?: number } = {}): Promise<EnrollmentList> =>
    request(`/v1/sequences/${enc(id)}/enrollments`, { query, schema: EnrollmentListSchema }),
  audiencePreview: (body: AudiencePreviewRequest, signal?: AbortSignal): Promise<AudiencePreview> =>
    request('/v1/sequences/audience-preview', {
      method: 'POST',
      body,
      signal,
      schema: AudiencePreviewSchema,
    }),
  templatePreview: (body: TemplatePreviewRequest, signal?: AbortSignal): Promise<TemplatePreview> =>
    request('/v1/sequences/template-preview', {
      method: 'POST',
      body,
      signal,
      schema: TemplatePreviewSchema,
    }),
  results: (id: string): Promise<SequenceResults> =>
    request(`/v1/sequences/${enc(id)}/results`, { schema: SequenceResultsSchema }),

  offers: (): Promise<OfferList> => request('/v1/offers', { schema: OfferListSchema }),
  createOffer: (body: OfferCreate): Promise<Offer> =>
    request('/v1/offers', { method: 'POST', body, schema: OfferSchema }),

  outbox: (query: OutboxFilters = {}): Promise<OutboxMessageList> =>
    request('/v1/outbox', { query: { ...query }, schema: OutboxMessageListSchema }),
  outboxMessage: (id: string): Promise<OutboxMessage> =>
    request(`/v1/outbox/${enc(id)}`, { schema: OutboxMessageSchema }),

  tasks: (query: TaskFilters = {}): Promise<CallTaskList> =>
    request('/v1/tasks', { query: { ...query }, schema: CallTaskListSchema }),
  completeTask: (id: string, body: TaskComplete): Promise<CallTask> =>
    request(`/v1/tasks/${enc(id)}/complete`, { method: 'POST', body, schema: CallTaskSchema }),

  signalBoard: (query: { ownerTeam?: string; perRule?: number } = {}): Promise<SignalBoard> =>
    request('/v1/signals/board', { query, schema: SignalBoardSchema }),
  resolveSignal: (id: string, note?: string): Promise<HealthSignal> =>
    request(`/v1/signals/${enc(id)}/resolve`, {
      method: 'POST',
      body: note ? { note } : {},
      schema: HealthSignalSchema,
    }),
};

export const sequenceKeys = {
  all: ['sequences'] as const,
  list: (status: string) => ['sequences', 'list', status] as const,
  one: (id: string) => ['sequences', id] as const,
  enrollments: (id: string) => ['sequences', id, 'enrollments'] as const,
  results: (id: string) => ['sequences', id, 'results'] as const,
  audiencePreview: (request: string) => ['sequences', 'audience-preview', request] as const,
  templatePreview: (request: string) => ['sequences', 'template-preview', request] as const,
  offers: ['offers'] as const,
  outbox: (filters: string) => ['outbox', filters] as const,
  outboxMessage: (id: string) => ['outbox', 'message', id] as const,
  tasks: (filters: string) => ['tasks', filters] as const,
  signalBoard: (team: string) => ['signals', 'board', team] as const,
};
