import type { SdkPayload } from './types';

/** The subset of the WHATWG fetch API the SDK uses; pass your own for tests or older runtimes. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export class LiftlabHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`Liftlab API answered ${status}: ${body.slice(0, 200)}`);
    this.name = 'LiftlabHttpError';
  }
}

export interface PayloadFetcherOptions {
  /** Base URL of the Liftlab API, e.g. https://liftlab.example.com */
  apiHost: string;
  /** API key with the ingest scope. */
  apiKey: string;
  fetch?: FetchLike;
  /** External ids whose stored assignments should be embedded in the payload. */
  customers?: readonly string[];
}

export interface PayloadFetchResult {
  payload: SdkPayload;
  /** False when the server answered 304 and the cached payload was reused. */
  changed: boolean;
}

function defaultFetch(): FetchLike {
  const f = (globalThis as { fetch?: unknown }).fetch;
  if (typeof f !== 'function') throw new Error('No global fetch: pass the `fetch` option');
  return f as FetchLike;
}

/**
 * Fetches GET /v1/sdk/payload and keeps the last payload with its ETag. Later fetches send If-None-Match, so an
 * unchanged payload costs a 304 with no body.
 */
export class PayloadFetcher {
  private etag: string | null = null;
  private cached: SdkPayload | null = null;
  private readonly fetchImpl: FetchLike;

  constructor(private readonly options: PayloadFetcherOptions) {
    this.fetchImpl = options.fetch ?? defaultFetch();
  }

  get payload(): SdkPayload | null {
    return this.cached;
  }

  async fetch(): Promise<PayloadFetchResult> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: 'application/json',
    };
    if (this.etag && this.cached) headers['if-none-match'] = this.etag;
    const url = new URL('/v1/sdk/payload', this.options.apiHost);
    if (this.options.customers && this.options.customers.length > 0) {
      url.searchParams.set('customers', this.options.customers.join(','));
    }
    const res = await this.fetchImpl(url.toString(), { method: 'GET', headers });
    if (res.status === 304 && this.cached) return { payload: this.cached, changed: false };
    if (!res.ok) throw new LiftlabHttpError(res.status, await res.text());
    const payload = (await res.json()) as SdkPayload;
    if (payload === null || typeof payload !== 'object' || payload.version !== 1) {
      throw new Error('Unsupported Liftlab SDK payload version');
    }
    this.cached = payload;
    this.etag = res.headers.get('etag');
    return { payload, changed: true };
  }
}
