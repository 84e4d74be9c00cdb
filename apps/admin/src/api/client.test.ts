import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, buildUrl, errorMessage, normalisePath, request, setFetch, toApiError } from './client';

function jsonResponse(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

afterEach(() => setFetch((input, init) => fetch(input, init)));

describe('request', () => {
  it('sends JSON with the session cookie and returns the parsed body', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    setFetch(async (url, init) => {
      calls.push({ url, init });
      return jsonResponse(201, { id: 'e1' });
    });
    const out = await request<{ id: string }>('/v1/experiments', { method: 'POST', body: { key: 'a' } });
    expect(out).toEqual({ id: 'e1' });
    expect(calls[0]?.url).toBe('/v1/experiments');
    expect(calls[0]?.init.credentials).toBe('include');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.body).toBe('{"key":"a"}');
    expect((calls[0]?.init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('turns a problem document into an ApiError with field errors', async () => {
    setFetch(async () =>
      jsonResponse(
        400,
        {
          type: 'about:blank',
          title: 'Validation failed',
          status: 400,
          detail: 'The request is invalid.',
          errors: [
            { path: 'variants.1.weight', rule: 'max_1' },
            { path: 'key', rule: 'key_format' },
          ],
        },
        'application/problem+json',
      ),
    );
    const error = await request('/v1/experiments', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.fieldError('key')).toBe('key_format');
    expect(apiError.fieldError('variants')).toBe('max_1');
    expect(apiError.fieldError('name')).toBeUndefined();
    expect(apiError.fieldErrorMap()).toEqual({ 'variants.1.weight': 'max_1', key: 'key_format' });
  });

  it('checks the response against a schema when one is given', async () => {
    setFetch(async () => jsonResponse(200, { n: 'not a number' }));
    const schema = {
      parse(value: unknown): { n: number } {
        const n = (value as { n: unknown }).n;
        if (typeof n !== 'number') throw new Error('n: expected number');
        return { n };
      },
    };
    await expect(request('/x', { schema })).rejects.toThrow('n: expected number');
  });

  it('reports an unreachable server as status 0', async () => {
    setFetch(async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await request('/v1/auth/me').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.title).toBe('The server cannot be reached');
  });

  it('sends FormData and strings as they are', async () => {
    let body: unknown;
    let headers: Record<string, string> = {};
    setFetch(async (_url, init) => {
      body = init.body;
      headers = init.headers as Record<string, string>;
      return new Response(null, { status: 204 });
    });
    await request('/v1/imports/customers', {
      method: 'POST',
      body: 'a,b\n1,2',
      headers: { 'content-type': 'text/csv' },
    });
    expect(body).toBe('a,b\n1,2');
    expect(headers['content-type']).toBe('text/csv');
  });
});

describe('toApiError', () => {
  it('shows only the error id of an unexpected server error', () => {
    const e = toApiError(500, { errorId: 'abc123' });
    expect(e.errorId).toBe('abc123');
    expect(errorMessage(e)).toContain('abc123');
  });

  it('keeps a plain-text body short', () => {
    const e = toApiError(502, 'x'.repeat(1000), 'Bad Gateway');
    expect(e.title).toBe('Bad Gateway');
    expect(e.detail?.length).toBe(300);
  });

  it('names a 403 in terms of the role', () => {
    expect(toApiError(403, undefined).title).toBe('Your role does not allow this');
  });
});

describe('normalisePath', () => {
  it('joins array paths and converts bracket and pointer notations to dots', () => {
    expect(normalisePath(['variants', 0, 'weight'])).toBe('variants.0.weight');
    expect(normalisePath('variants[0].weight')).toBe('variants.0.weight');
    expect(normalisePath('/variants/0/weight')).toBe('variants.0.weight');
    expect(normalisePath(undefined)).toBe('');
  });
});

describe('buildUrl', () => {
  it('drops empty parameters and encodes the rest', () => {
    expect(buildUrl('/v1/customers', { search: 'a b&c', cursor: undefined, limit: 50, q: '' })).toBe(
      '/v1/customers?search=a+b%26c&limit=50',
    );
    expect(buildUrl('/v1/customers', {})).toBe('/v1/customers');
  });
});
