/**
 * The one HTTP entry point of the admin app. Every call goes to the same origin (the API serves this app),
 * carries the session cookie, and turns RFC 7807 problem responses into an ApiError whose field errors can
 * be shown next to the form field they name.
 */

/** Anything with a zod-like `parse`; lets responses be checked against @liftlab/contracts schemas. */
export interface Parser<T> {
  parse(value: unknown): T;
}

export interface FieldProblem {
  /** Dotted path of the offending field as the API names it, e.g. `variants.1.weight`. */
  path: string;
  rule: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly fieldErrors: FieldProblem[] = [],
    readonly errorId?: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
  }

  /** The rule broken by `path` (or by any field nested under it), if the API named it. */
  fieldError(path: string): string | undefined {
    const exact = this.fieldErrors.find((e) => e.path === path);
    if (exact) return exact.rule;
    return this.fieldErrors.find((e) => e.path.startsWith(`${path}.`))?.rule;
  }

  /** Field errors keyed by path, the shape the forms use for their own validation. */
  fieldErrorMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.fieldErrors) if (!(e.path in out)) out[e.path] = e.rule;
    return out;
  }
}

/** Zod issue paths arrive as arrays or dotted strings depending on the serializer; the UI uses dotted strings. */
export function normalisePath(path: unknown): string {
  if (Array.isArray(path)) return path.map((p) => String(p)).join('.');
  if (typeof path === 'string')
    return path
      .replace(/\[(\d+)\]/g, '.$1')
      .replace(/^\//, '')
      .replace(/\//g, '.');
  return '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds an ApiError from a status code and whatever body the server sent (problem JSON, JSON, or text). */
export function toApiError(status: number, body: unknown, statusText = ''): ApiError {
  if (isRecord(body)) {
    const title = typeof body.title === 'string' ? body.title : statusText || defaultTitle(status);
    const detail =
      typeof body.detail === 'string'
        ? body.detail
        : typeof body.message === 'string'
          ? body.message
          : undefined;
    const rawErrors = Array.isArray(body.errors) ? body.errors : [];
    const fieldErrors: FieldProblem[] = [];
    for (const e of rawErrors) {
      if (!isRecord(e)) continue;
      const path = normalisePath(e.path ?? e.field);
      const rule =
        typeof e.rule === 'string' ? e.rule : typeof e.message === 'string' ? e.message : 'invalid';
      fieldErrors.push({ path, rule });
    }
    const errorId = typeof body.errorId === 'string' ? body.errorId : undefined;
    const fallbackDetail = errorId ? `Something went wrong on the server (error id ${errorId}).` : undefined;
    return new ApiError(status, title, detail ?? fallbackDetail, fieldErrors, errorId);
  }
  const text = typeof body === 'string' && body.trim() ? body.trim().slice(0, 300) : undefined;
  return new ApiError(status, statusText || defaultTitle(status), text);
}

function defaultTitle(status: number): string {
  switch (status) {
    case 400:
      return 'The request is not valid';
    case 401:
      return 'Please sign in';
    case 403:
      return 'Your role does not allow this';
    case 404:
      return 'Not found';
    case 409:
      return 'Conflict';
    case 429:
      return 'Too many attempts; wait a moment and try again';
    default:
      return status >= 500 ? 'Server error' : `Request failed (${status})`;
  }
}

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON-serialised unless it is a FormData, Blob or string. */
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  schema?: Parser<T>;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: RequestOptions<unknown>['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

let fetchImpl: FetchLike = (input, init) => fetch(input, init);

/** Tests replace the transport; the app never does. */
export function setFetch(impl: FetchLike): void {
  fetchImpl = impl;
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204 || res.status === 304) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export async function request<T = unknown>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  const { method = 'GET', body, query, schema, signal } = options;
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...options.headers,
  };
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    if (body instanceof FormData || body instanceof Blob || typeof body === 'string') {
      payload = body;
    } else {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
  }
  let res: Response;
  try {
    res = await fetchImpl(buildUrl(path, query), {
      method,
      headers,
      body: payload,
      credentials: 'include',
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'The server cannot be reached', 'Check your connection and try again.');
  }
  const data = await readBody(res);
  if (!res.ok) throw toApiError(res.status, data, res.statusText);
  return schema ? schema.parse(data) : (data as T);
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** A human sentence for any error thrown by a query or mutation. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail ? `${error.title}. ${error.detail}` : error.title;
  if (error instanceof Error) return error.message;
  return 'Unexpected error';
}
