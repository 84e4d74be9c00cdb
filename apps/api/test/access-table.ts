import type { KeyScope, Role } from '../src/auth/actor';

/**
 * Who may call what: the single source of truth checked by role-matrix.int.test.ts against the running router.
 * Every route must be listed here (the test fails on a route missing from this table, and on an entry whose route
 * no longer exists). Admin users may call every route; `roles` lists the other roles allowed, `scopes` the API
 * key scopes allowed. Anything not listed gets 403 (401 without credentials).
 *
 * The rules (docs: roles) — admin: everything; marketer: experiments, metrics, campaigns (write), results (read);
 * lifecycle: sequences, read experiments; executive: read-only results and reports; API keys: ingest (events,
 * assign, SDK payload, customer data, CSV imports) or read (results); an ingest key never reads results.
 */
export type Access = 'public' | { roles: Role[]; scopes: KeyScope[] };

const PUBLIC: Access = 'public';
const ADMIN_ONLY: Access = { roles: [], scopes: [] };
const EVERYONE_SIGNED_IN: Access = { roles: ['marketer', 'lifecycle', 'executive'], scopes: [] };
const READERS: Access = { roles: ['marketer', 'lifecycle', 'executive'], scopes: [] };
const READERS_AND_READ_KEY: Access = { roles: ['marketer', 'lifecycle', 'executive'], scopes: ['read'] };
const MARKETER_WRITES: Access = { roles: ['marketer'], scopes: [] };
const INGEST: Access = { roles: ['marketer'], scopes: ['ingest'] };
/** Results and reports: marketers and executives read them, and so do read keys (never ingest keys). */
const RESULT_READERS: Access = { roles: ['marketer', 'executive'], scopes: ['read'] };
/** Customer records feed campaigns and sequences; executives see aggregates (results), not customers. */
const CUSTOMER_READERS: Access = { roles: ['marketer', 'lifecycle'], scopes: [] };

export const ACCESS_TABLE: Record<string, Access> = {
  // operations
  'GET /health': PUBLIC,
  'GET /metrics': PUBLIC,

  // auth, users, API keys, audit
  'POST /v1/auth/login': PUBLIC,
  'POST /v1/auth/logout': PUBLIC,
  'GET /v1/auth/me': { roles: ['marketer', 'lifecycle', 'executive'], scopes: ['ingest', 'read'] },
  'POST /v1/auth/password': EVERYONE_SIGNED_IN,
  'GET /v1/users': ADMIN_ONLY,
  'POST /v1/users': ADMIN_ONLY,
  'PATCH /v1/users/:id': ADMIN_ONLY,
  'GET /v1/api-keys': ADMIN_ONLY,
  'POST /v1/api-keys': ADMIN_ONLY,
  'DELETE /v1/api-keys/:id': ADMIN_ONLY,
  'GET /v1/audit-log': MARKETER_WRITES,

  // experiment catalogue
  'GET /v1/metrics': READERS_AND_READ_KEY,
  'GET /v1/metrics/:id': READERS_AND_READ_KEY,
  'POST /v1/metrics': MARKETER_WRITES,
  'GET /v1/namespaces': READERS,
  'POST /v1/namespaces': MARKETER_WRITES,
  'GET /v1/global-holdout': READERS,
  'PUT /v1/global-holdout': ADMIN_ONLY,

  // experiments
  'GET /v1/experiments': READERS_AND_READ_KEY,
  'POST /v1/experiments': MARKETER_WRITES,
  'GET /v1/experiments/:id': READERS_AND_READ_KEY,
  'PATCH /v1/experiments/:id': MARKETER_WRITES,
  'POST /v1/experiments/:id/start': MARKETER_WRITES,
  'POST /v1/experiments/:id/ramp': MARKETER_WRITES,
  'POST /v1/experiments/:id/stop': MARKETER_WRITES,
  'POST /v1/experiments/:id/conclude': MARKETER_WRITES,
  'GET /v1/experiments/:id/exposures': READERS_AND_READ_KEY,

  // assignment and SDK (ingest keys)
  'POST /v1/assign': INGEST,
  'GET /v1/sdk/payload': INGEST,

  // customers, events, imports
  'POST /v1/customers/bulk': INGEST,
  'GET /v1/customers': CUSTOMER_READERS,
  'GET /v1/customers/:externalId': CUSTOMER_READERS,
  'POST /v1/events': { roles: [], scopes: ['ingest'] },
  'POST /v1/imports/customers': INGEST,
  'POST /v1/imports/orders': INGEST,
  'POST /v1/imports/experiment': INGEST,
  'GET /v1/imports/:id': MARKETER_WRITES,

  // results (snapshots; reading never recomputes)
  'GET /v1/experiments/:id/results': RESULT_READERS,
  'GET /v1/experiments/:id/results/cumulative': RESULT_READERS,
  'GET /v1/experiments/:id/results/settings': RESULT_READERS,
  'POST /v1/experiments/:id/results/refresh': MARKETER_WRITES,
  'PUT /v1/experiments/:id/results/settings': MARKETER_WRITES,
  'GET /v1/reports/global-holdout': RESULT_READERS,
  'POST /v1/reports/global-holdout/refresh': MARKETER_WRITES,

  // --- campaigns and reports --- marketers edit campaigns; executives read them and the reports.
  'GET /v1/campaigns': { roles: ['marketer', 'executive'], scopes: [] },
  'POST /v1/campaigns': MARKETER_WRITES,
  'POST /v1/campaigns/plan': { roles: ['marketer', 'executive'], scopes: [] },
  'GET /v1/campaigns/:id': { roles: ['marketer', 'executive'], scopes: [] },
  'PATCH /v1/campaigns/:id': MARKETER_WRITES,
  'DELETE /v1/campaigns/:id': MARKETER_WRITES,
  'GET /v1/campaigns/:id/costs': { roles: ['marketer', 'executive'], scopes: [] },
  'POST /v1/campaigns/:id/costs': MARKETER_WRITES,
  'PUT /v1/campaigns/:id/costs/:costId': MARKETER_WRITES,
  'DELETE /v1/campaigns/:id/costs/:costId': MARKETER_WRITES,
  'GET /v1/campaigns/:id/roi': { roles: ['marketer', 'executive'], scopes: ['read'] },
  'GET /v1/programs/:key/targets': { roles: ['marketer', 'executive'], scopes: [] },
  'PUT /v1/programs/:key/targets': MARKETER_WRITES,
  'GET /v1/reports/portfolio': { roles: ['marketer', 'executive'], scopes: ['read'] },
  'POST /v1/reports/digest/send': ADMIN_ONLY,

  // --- customer value (predicted CLV): lifecycle and marketers fit and segment; executives read aggregates ---
  'GET /v1/customer-value/summary': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'POST /v1/customer-value/fit': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/customer-value/settings': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'PUT /v1/customer-value/settings': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/customer-value/customers': CUSTOMER_READERS,
  'GET /v1/customer-value/customers/:externalId': CUSTOMER_READERS,
  'GET /v1/campaigns/:id/incremental-ltv': { roles: ['marketer', 'executive'], scopes: ['read'] },

  // --- suppression, unsubscribe, inbox, call tasks, outbox, tracking (win-back sequences) ---
  'GET /v1/suppressions': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'POST /v1/suppressions': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'POST /v1/suppressions/bounces': { roles: ['lifecycle', 'marketer'], scopes: ['ingest'] },
  'DELETE /v1/suppressions/:externalId': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/unsubscribe/:token': PUBLIC,
  'POST /v1/unsubscribe/:token': PUBLIC,
  'GET /v1/customers/:externalId/messages': { roles: [], scopes: ['ingest', 'read'] },
  'POST /v1/customers/:externalId/messages/:id/seen': { roles: [], scopes: ['ingest', 'read'] },
  'GET /v1/tasks': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'POST /v1/tasks/:id/complete': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/outbox': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/outbox/:id': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/t/o/:token': PUBLIC,
  'GET /v1/t/c/:token': PUBLIC,
  'POST /v1/sequences/template-preview': { roles: ['lifecycle', 'marketer'], scopes: [] },

  // --- win-back sequences: lifecycle and marketers build and run them; executives see them, not enrollments ---
  'GET /v1/sequences': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'POST /v1/sequences': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'POST /v1/sequences/audience-preview': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/sequences/:id': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'PATCH /v1/sequences/:id': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'DELETE /v1/sequences/:id': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/sequences/:id/audience-preview': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'POST /v1/sequences/:id/launch': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'POST /v1/sequences/:id/pause': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'POST /v1/sequences/:id/resume': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/sequences/:id/enrollments': { roles: ['lifecycle', 'marketer'], scopes: [] },

  // --- health signals: the lifecycle team and marketers act on them; executives read the board ---
  'GET /v1/signal-rules': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'POST /v1/signal-rules': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/signal-rules/:id': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'PATCH /v1/signal-rules/:id': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'DELETE /v1/signal-rules/:id': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'POST /v1/signal-rules/:id/evaluate': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/signals': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'GET /v1/signals/board': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'POST /v1/signals/:id/resolve': { roles: ['lifecycle', 'marketer'], scopes: [] },

  // --- offers, surveys, sequence results: lifecycle and marketers edit; executives read ---
  'GET /v1/offers': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'POST /v1/offers': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/offers/:id': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'PATCH /v1/offers/:id': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'DELETE /v1/offers/:id': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'POST /v1/offers/redemptions': { roles: [], scopes: ['ingest'] },
  'GET /v1/surveys': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'POST /v1/surveys': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/surveys/:id': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'PATCH /v1/surveys/:id': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'DELETE /v1/surveys/:id': { roles: ['lifecycle', 'marketer'], scopes: [] },
  'GET /v1/surveys/:id/summary': { roles: ['lifecycle', 'marketer', 'executive'], scopes: [] },
  'GET /v1/s/:token': PUBLIC,
  'POST /v1/s/:token': PUBLIC,
  'GET /v1/surveys/respond/:token': PUBLIC,
  'POST /v1/surveys/respond/:token': PUBLIC,
  'GET /v1/sequences/:id/results': { roles: ['lifecycle', 'marketer', 'executive'], scopes: ['read'] },

  // --- customer value analytics: cohorts, LTV:CAC, attribution, segment finder; marketers edit channel spend ---
  'GET /v1/cohorts': { roles: ['marketer', 'lifecycle', 'executive'], scopes: [] },
  'GET /v1/ltv-cac': { roles: ['marketer', 'lifecycle', 'executive'], scopes: [] },
  'GET /v1/channel-spend': { roles: ['marketer', 'executive'], scopes: [] },
  'POST /v1/channel-spend': MARKETER_WRITES,
  'POST /v1/channel-spend/import': MARKETER_WRITES,
  'PATCH /v1/channel-spend/:id': MARKETER_WRITES,
  'DELETE /v1/channel-spend/:id': MARKETER_WRITES,
  'GET /v1/attribution': { roles: ['marketer', 'lifecycle', 'executive'], scopes: [] },
  'GET /v1/experiments/:id/segment-finder': {
    roles: ['marketer', 'lifecycle', 'executive'],
    scopes: ['read'],
  },
};

/**
 * Entries for endpoints of the published contract that may not be served yet. They are checked as soon as the
 * route exists; until then their absence is not an error. Remove a key from here once its route is served.
 */
export const PLANNED_ROUTES = new Set<string>([]);
