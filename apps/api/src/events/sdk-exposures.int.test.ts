/**
 * The SDK's default exposure transport against the real POST /v1/events: a LiftlabClient (the built
 * @liftlab/sdk package, as an application would use it) fetches GET /v1/sdk/payload from the app listening on a
 * random port, evaluates customers locally, and flushes its exposures with an ingest key.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiftlabClient, LiftlabRejectedExposuresError } from '@liftlab/sdk';
import { createTestApp, type TestApp } from '../../test/app';

let t: TestApp;
let apiHost: string;
let apiKey: string;

async function runningExperiment(key: string, variants: { key: string; weight: number }[]): Promise<void> {
  await t.prisma.experiment.create({
    data: {
      workspaceId: t.workspaceId,
      key,
      name: key,
      kind: 'ab',
      seed: key,
      status: 'running',
      startedAt: t.clock.now(),
      variants: {
        create: variants.map((v, position) => ({
          key: v.key,
          name: v.key,
          weight: v.weight,
          isControl: position === 0,
          position,
        })),
      },
    },
  });
}

/** Stored exposures as `customer experiment variant` lines, sorted. */
async function storedExposures(customerPrefix: string): Promise<string[]> {
  const events = await t.prisma.event.findMany({
    where: {
      workspaceId: t.workspaceId,
      type: 'exposure',
      customer: { externalId: { startsWith: customerPrefix } },
    },
    include: { customer: true, experiment: true, variant: true },
  });
  return events.map((e) => `${e.customer.externalId} ${e.experiment?.key} ${e.variant?.key}`).sort();
}

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen(0, '127.0.0.1');
  apiHost = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  apiKey = await t.createApiKey('ingest', 'web shop');
  await runningExperiment('checkout-cta', [
    { key: 'control', weight: 0.5 },
    { key: 'green', weight: 0.5 },
  ]);
  await runningExperiment('pricing-page', [
    { key: 'monthly-first', weight: 0.3 },
    { key: 'annual-first', weight: 0.7 },
  ]);
});

afterAll(() => t?.close());

describe('SDK exposures → POST /v1/events', () => {
  it('stores every flushed exposure with the experiment and variant the SDK evaluated', async () => {
    const errors: unknown[] = [];
    const client = new LiftlabClient({
      apiHost,
      apiKey,
      // The client's clock agrees with the server's (a fixed clock in tests).
      now: () => t.clock.now(),
      maxBatchSize: 25,
      flushIntervalMs: 60_000,
      onError: (e) => errors.push(e),
    });
    expect(await client.refresh()).toBe(true);
    expect(client.experimentKeys().sort()).toEqual(['checkout-cta', 'pricing-page']);

    const expected: string[] = [];
    for (let i = 0; i < 60; i++) {
      const customer = `sdk-${i}`;
      for (const experiment of ['checkout-cta', 'pricing-page']) {
        const result = client.assign(customer, experiment);
        expect(result.inExperiment).toBe(true);
        expected.push(`${customer} ${experiment} ${result.variant}`);
      }
      // Seeing the same variant again is not a new exposure.
      client.assign(customer, 'checkout-cta');
    }
    await client.close();

    expect(errors).toEqual([]);
    expect(await storedExposures('sdk-')).toEqual(expected.sort());
    // Both variants of both experiments were reached, so a wrong variant mapping could not pass unnoticed.
    for (const variant of ['control', 'green', 'monthly-first', 'annual-first']) {
      expect(expected.some((line) => line.endsWith(` ${variant}`))).toBe(true);
    }

    const stored = await t.prisma.event.findFirst({
      where: { workspaceId: t.workspaceId, type: 'exposure', customer: { externalId: 'sdk-0' } },
    });
    expect(stored).toMatchObject({ name: 'experiment_exposure', occurredAt: t.clock.now() });
    expect(stored?.clientEventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports exposures the server refused instead of dropping them silently, and stores the rest', async () => {
    const errors: unknown[] = [];
    const client = new LiftlabClient({
      apiHost,
      apiKey,
      now: () => t.clock.now(),
      flushIntervalMs: 60_000,
      onError: (e) => errors.push(e),
    });
    await client.refresh();
    const tooLong = `sdk-long-${'x'.repeat(300)}`;
    const kept = client.assign('sdk-ok-1', 'checkout-cta');
    client.assign(tooLong, 'checkout-cta');
    await client.close();

    expect(await storedExposures('sdk-ok-')).toEqual([`sdk-ok-1 checkout-cta ${kept.variant}`]);
    expect(await storedExposures('sdk-long-')).toEqual([]);
    expect(errors).toHaveLength(1);
    const error = errors[0] as LiftlabRejectedExposuresError;
    expect(error).toBeInstanceOf(LiftlabRejectedExposuresError);
    expect(error.rejected).toEqual([
      {
        exposure: expect.objectContaining({ customerId: tooLong, experiment: 'checkout-cta' }),
        field: 'customerId',
        rule: 'max_length',
      },
    ]);
  });
});
