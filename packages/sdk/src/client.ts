import { evaluateExperiment } from './evaluate';
import { ExposureBatcher, type Exposure, type ExposureTransport, type Timer } from './exposures';
import { LiftlabHttpError, PayloadFetcher, type FetchLike } from './payload';
import type { Attributes, EvaluationResult, SdkExperiment, SdkPayload, StickyCustomer } from './types';

/** Name of the event an exposure becomes on the server. */
export const EXPOSURE_EVENT_NAME = 'experiment_exposure';

/** An exposure the server refused, with the field and rule it broke (e.g. `customerId`, `max_length`). */
export interface RejectedExposure {
  exposure: Exposure;
  field: string;
  rule: string;
}

/**
 * Exposures POST /v1/events answered 200 for but did not store. Sending them again would fail the same way, so
 * they are reported (through `onError`) rather than retried; the rest of their batch was stored.
 */
export class LiftlabRejectedExposuresError extends Error {
  constructor(readonly rejected: RejectedExposure[]) {
    const first = rejected[0];
    super(
      `Liftlab refused ${rejected.length} exposure(s)` +
        (first
          ? ` (first: ${first.field}: ${first.rule}, customer ${first.exposure.customerId.slice(0, 64)})`
          : ''),
    );
    this.name = 'LiftlabRejectedExposuresError';
  }
}

/** The per-event rejections of a POST /v1/events answer, matched back to the exposures sent. */
function rejectedOf(body: unknown, batch: readonly Exposure[]): RejectedExposure[] {
  const list = (body as { rejected?: unknown } | null)?.rejected;
  if (!Array.isArray(list)) return [];
  const out: RejectedExposure[] = [];
  for (const r of list as { index?: unknown; field?: unknown; rule?: unknown }[]) {
    const exposure = typeof r?.index === 'number' ? batch[r.index] : undefined;
    if (exposure) out.push({ exposure, field: String(r.field), rule: String(r.rule) });
  }
  return out;
}

/**
 * Posts exposures as events of type 'exposure' to POST /v1/events. A non-2xx answer rejects (the batch is kept
 * and retried); events the server refused one by one go to `onRejected`, since retrying cannot fix them.
 */
export function httpExposureTransport(options: {
  apiHost: string;
  apiKey: string;
  fetch: FetchLike;
  onRejected?: (error: LiftlabRejectedExposuresError) => void;
}): ExposureTransport {
  const url = new URL('/v1/events', options.apiHost).toString();
  return async (batch: Exposure[]) => {
    const res = await options.fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: batch.map((e) => ({
          clientEventId: e.clientEventId,
          type: 'exposure',
          name: EXPOSURE_EVENT_NAME,
          customerId: e.customerId,
          experimentKey: e.experiment,
          variantKey: e.variant,
          occurredAt: e.occurredAt,
        })),
      }),
    });
    if (!res.ok) throw new LiftlabHttpError(res.status, await res.text());
    if (!options.onRejected) return;
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      // The batch was accepted; an unreadable answer only means there is nothing to report.
      return;
    }
    const rejected = rejectedOf(body, batch);
    if (rejected.length === 0) return;
    try {
      options.onRejected(new LiftlabRejectedExposuresError(rejected));
    } catch {
      // A failing handler must not make a stored batch look failed (it would be sent again).
    }
  };
}

export interface LiftlabClientOptions {
  apiHost: string;
  apiKey: string;
  fetch?: FetchLike;
  /** Where exposures go; defaults to POST /v1/events on apiHost. */
  transport?: ExposureTransport;
  timer?: Timer;
  maxBatchSize?: number;
  flushIntervalMs?: number;
  /** A payload to start from (e.g. rendered into the page), so evaluation works before the first fetch. */
  payload?: SdkPayload;
  /** Report exposures automatically when `assign` puts a customer in a variant (default true). */
  trackExposures?: boolean;
  /** Failed sends (retried later) and exposures the server refused (`LiftlabRejectedExposuresError`, not retried). */
  onError?: (error: unknown) => void;
  now?: () => Date;
}

/**
 * Evaluates Liftlab experiments locally from a cached payload and reports exposures in batches.
 * Local evaluation agrees with POST /v1/assign: same hashing, same order of checks, and the server's stored
 * assignments (payload `sticky`, or `setSticky`) win over hashing.
 */
export class LiftlabClient {
  private payload: SdkPayload | null = null;
  private experiments = new Map<string, SdkExperiment>();
  private readonly sticky = new Map<string, StickyCustomer>();
  private readonly fetcher: PayloadFetcher;
  private readonly batcher: ExposureBatcher;
  private readonly trackExposures: boolean;

  constructor(options: LiftlabClientOptions) {
    const fetchImpl =
      options.fetch ??
      ((globalThis as { fetch?: FetchLike }).fetch as FetchLike | undefined) ??
      (() => Promise.reject(new Error('No global fetch: pass the `fetch` option')));
    this.fetcher = new PayloadFetcher({ apiHost: options.apiHost, apiKey: options.apiKey, fetch: fetchImpl });
    this.batcher = new ExposureBatcher({
      transport:
        options.transport ??
        httpExposureTransport({
          apiHost: options.apiHost,
          apiKey: options.apiKey,
          fetch: fetchImpl,
          onRejected: options.onError,
        }),
      timer: options.timer,
      maxBatchSize: options.maxBatchSize,
      flushIntervalMs: options.flushIntervalMs,
      onError: options.onError,
      now: options.now,
    });
    this.trackExposures = options.trackExposures ?? true;
    if (options.payload) this.setPayload(options.payload);
  }

  /** Fetches the payload (If-None-Match on repeat calls); returns true when it changed. */
  async refresh(): Promise<boolean> {
    const { payload, changed } = await this.fetcher.fetch();
    if (changed) this.setPayload(payload);
    return changed;
  }

  setPayload(payload: SdkPayload): void {
    this.payload = payload;
    this.experiments = new Map(payload.experiments.map((e) => [e.key, e]));
    for (const [id, decisions] of Object.entries(payload.sticky)) this.sticky.set(id, decisions);
  }

  /** Records decisions the server stored for a customer (e.g. from a POST /v1/assign response). */
  setSticky(customerId: string, decisions: StickyCustomer): void {
    this.sticky.set(customerId, decisions);
  }

  /** Keys of the running experiments in the current payload. */
  experimentKeys(): string[] {
    return [...this.experiments.keys()];
  }

  /**
   * The customer's variant in one experiment. An experiment missing from the payload (not running, or
   * unknown) puts nobody in a variant.
   */
  assign(customerId: string, experimentKey: string, attributes: Attributes = {}): EvaluationResult {
    const experiment = this.experiments.get(experimentKey);
    if (!experiment) {
      return {
        experiment: experimentKey,
        inExperiment: false,
        variant: null,
        variantIndex: -1,
        bucket: null,
        reason: 'unknown_experiment',
      };
    }
    const result = evaluateExperiment(
      experiment,
      { id: customerId, attributes },
      { globalHoldout: this.payload?.globalHoldout ?? null, sticky: this.sticky.get(customerId) ?? null },
    );
    if (this.trackExposures && result.inExperiment && result.variant !== null) {
      this.batcher.track({ customerId, experiment: experimentKey, variant: result.variant });
    }
    return result;
  }

  /** Sends waiting exposures now. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Sends waiting exposures and stops the flush timer. */
  close(): Promise<void> {
    return this.batcher.close();
  }
}
