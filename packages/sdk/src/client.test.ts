import { describe, expect, it } from 'vitest';
import { LiftlabClient, httpExposureTransport } from './client';
import { PayloadFetcher, LiftlabHttpError, type FetchLike } from './payload';
import type { Exposure } from './exposures';
import type { SdkPayload } from './types';

const payload: SdkPayload = {
  version: 1,
  generatedAt: '2025-01-01T00:00:00.000Z',
  globalHoldout: null,
  experiments: [
    {
      key: 'winback',
      kind: 'ab',
      seed: 'winback',
      hashVersion: 2,
      coverage: 1,
      variants: [
        { key: 'control', weight: 0.5, isControl: true },
        { key: 'email', weight: 0.5, isControl: false },
      ],
      namespace: null,
      targeting: [],
    },
  ],
  sticky: { 'c-sticky': { assignments: { winback: 'email' } } },
};

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function fakeServer(respond: (call: Call) => { status: number; body?: unknown; etag?: string }) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    const call = { url, ...init };
    calls.push(call);
    const r = respond(call);
    return {
      status: r.status,
      ok: r.status >= 200 && r.status < 300,
      headers: { get: (name: string) => (name.toLowerCase() === 'etag' ? (r.etag ?? null) : null) },
      json: async () => r.body,
      text: async () => JSON.stringify(r.body ?? ''),
    };
  };
  return { fetch, calls };
}

describe('PayloadFetcher', () => {
  it('sends the key, then If-None-Match, and reuses the cached payload on 304', async () => {
    const { fetch, calls } = fakeServer((call) =>
      call.headers['if-none-match'] === '"v1"'
        ? { status: 304 }
        : { status: 200, body: payload, etag: '"v1"' },
    );
    const fetcher = new PayloadFetcher({
      apiHost: 'http://api.test',
      apiKey: 'k',
      fetch,
      customers: ['a', 'b'],
    });
    const first = await fetcher.fetch();
    expect(first.changed).toBe(true);
    expect(calls[0]!.url).toBe('http://api.test/v1/sdk/payload?customers=a%2Cb');
    expect(calls[0]!.headers.authorization).toBe('Bearer k');
    expect(calls[0]!.headers['if-none-match']).toBeUndefined();
    const second = await fetcher.fetch();
    expect(calls[1]!.headers['if-none-match']).toBe('"v1"');
    expect(second).toEqual({ payload, changed: false });
  });

  it('raises the HTTP status of a failed fetch and refuses an unknown payload version', async () => {
    const failing = new PayloadFetcher({
      apiHost: 'http://api.test',
      apiKey: 'k',
      fetch: fakeServer(() => ({ status: 403, body: { title: 'Forbidden' } })).fetch,
    });
    await expect(failing.fetch()).rejects.toBeInstanceOf(LiftlabHttpError);
    const future = new PayloadFetcher({
      apiHost: 'http://api.test',
      apiKey: 'k',
      fetch: fakeServer(() => ({ status: 200, body: { ...payload, version: 2 } })).fetch,
    });
    await expect(future.fetch()).rejects.toThrow(/version/);
  });
});

describe('LiftlabClient', () => {
  it('evaluates locally, honours stored assignments and batches exposures', async () => {
    const sent: Exposure[][] = [];
    const client = new LiftlabClient({
      apiHost: 'http://api.test',
      apiKey: 'k',
      fetch: fakeServer(() => ({ status: 500 })).fetch,
      transport: async (batch) => void sent.push(batch),
      maxBatchSize: 10,
      payload,
    });
    expect(client.experimentKeys()).toEqual(['winback']);
    const sticky = client.assign('c-sticky', 'winback');
    expect(sticky).toMatchObject({ variant: 'email', reason: 'sticky' });
    const fresh = client.assign('c-new', 'winback');
    expect(fresh.reason).toBe('assigned');
    client.assign('c-new', 'winback');
    expect(client.assign('c-new', 'unknown')).toMatchObject({
      inExperiment: false,
      reason: 'unknown_experiment',
    });
    client.setSticky('c-other', { assignments: { winback: 'control' } });
    expect(client.assign('c-other', 'winback').variant).toBe('control');
    await client.close();
    expect(sent.flat().map((e) => [e.customerId, e.variant])).toEqual([
      ['c-sticky', 'email'],
      ['c-new', fresh.variant],
      ['c-other', 'control'],
    ]);
  });

  it('loads the payload with refresh', async () => {
    const { fetch } = fakeServer(() => ({ status: 200, body: payload, etag: '"x"' }));
    const client = new LiftlabClient({
      apiHost: 'http://api.test',
      apiKey: 'k',
      fetch,
      trackExposures: false,
    });
    expect(client.assign('a', 'winback').inExperiment).toBe(false);
    expect(await client.refresh()).toBe(true);
    expect(client.assign('a', 'winback').inExperiment).toBe(true);
  });
});

describe('httpExposureTransport', () => {
  it('posts exposures as exposure events', async () => {
    const { fetch, calls } = fakeServer(() => ({ status: 200, body: { accepted: 1 } }));
    const send = httpExposureTransport({ apiHost: 'http://api.test', apiKey: 'k', fetch });
    await send([
      { clientEventId: 'e1', customerId: 'c', experiment: 'winback', variant: 'email', occurredAt: 't' },
    ]);
    expect(calls[0]!.url).toBe('http://api.test/v1/events');
    expect(calls[0]!.method).toBe('POST');
    const body = JSON.parse(calls[0]!.body!) as { events: Record<string, unknown>[] };
    expect(body.events[0]).toMatchObject({
      clientEventId: 'e1',
      type: 'exposure',
      customerId: 'c',
      occurredAt: 't',
    });
  });

  it('rejects on a non-2xx answer so the batch is retried', async () => {
    const { fetch } = fakeServer(() => ({ status: 503 }));
    const send = httpExposureTransport({ apiHost: 'http://api.test', apiKey: 'k', fetch });
    await expect(send([])).rejects.toBeInstanceOf(LiftlabHttpError);
  });
});
