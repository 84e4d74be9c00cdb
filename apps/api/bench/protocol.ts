/** Messages between the bench runner (api.bench.ts) and the bench server (server.ts) over the fork IPC channel. */
import type { EventPlan } from './workload';

export interface ServerReady {
  type: 'ready';
  baseUrl: string;
  /** Full API key with the ingest scope (what systems use for /v1/assign and /v1/events). */
  ingestKey: string;
  /** `liftlab_session=...` of the first admin, to set experiments up through the API. */
  adminCookie: string;
  provider: 'postgresql' | 'pglite';
  /** host:port/database, or `memory` for PGlite. */
  location: string;
  logLevel: string;
}

export interface CopyResult {
  rows: number;
  seconds: number;
  /** How the rows went in, e.g. `COPY FROM STDIN (csv)`. */
  method: string;
}

export type Command =
  | { cmd: 'truncate-events' }
  | { cmd: 'count-events' }
  | { cmd: 'copy-events'; plan: EventPlan }
  | { cmd: 'close' };

export type ParentMessage = Command & { id: number };

export type ServerMessage =
  | ServerReady
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string };
