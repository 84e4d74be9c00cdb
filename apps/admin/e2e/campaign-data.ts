/**
 * Builds, through the public API only, a finished retention test with a real effect: customers, a 20% holdout
 * test on a revenue metric, exposures 35–55 days ago, orders in the month after exposure (treated customers
 * order more often), a results refresh, and a campaign on it with an empty cost ledger. The numbers the pages
 * show are then computed by the real analysis and ROI rules from these events.
 */

const DAY = 86_400_000;

/** mulberry32: a seeded stream, so the data (and thus the verdicts) are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Session {
  url: string;
  cookie: string;
}

export async function signIn(url: string, email: string, password: string): Promise<Session> {
  const res = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email} → ${res.status}: ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { url, cookie };
}

export async function call<T = unknown>(
  session: Session,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(`${session.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { cookie: session.cookie, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'POST'} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface ExperimentFixture {
  experimentId: string;
  experimentKey: string;
  experimentName: string;
  customers: number;
}

export const FIXTURE = {
  experimentKey: 'winback-retention-test',
  experimentName: 'Win-back retention test',
  customers: 1_000,
  /** Chance of one order in the month after exposure, and its mean amount: the lift is 0.15 × 60 = €9. */
  orderChance: { holdout: 0.2, treated: 0.35 },
  meanOrder: 60,
} as const;

/** Everything up to fresh results; the campaign itself is created in the browser. */
export async function createExperimentFixture(session: Session): Promise<ExperimentFixture> {
  const rnd = seeded(20260401);
  await call(session, '/v1/metrics', {
    body: {
      key: 'repurchase',
      name: 'Repurchase',
      kind: 'proportion',
      eventName: 'order',
      windowDays: 30,
    },
  });
  await call(session, '/v1/metrics', {
    body: {
      key: 'retention_revenue',
      name: 'Retention revenue per customer',
      kind: 'mean',
      eventName: 'order',
      windowDays: 30,
      revenueStream: 'retention',
    },
  });
  const experiment = await call<{ id: string }>(session, '/v1/experiments', {
    body: {
      key: FIXTURE.experimentKey,
      name: FIXTURE.experimentName,
      kind: 'holdout',
      hypothesis: 'Lapsing customers who get the win-back series buy again more often than the holdout.',
      variants: [
        { key: 'holdout', name: 'Holdout', weight: 0.2, isControl: true },
        { key: 'treated', name: 'Win-back series', weight: 0.8 },
      ],
      metrics: [
        { metricKey: 'repurchase', role: 'primary' },
        { metricKey: 'retention_revenue', role: 'secondary' },
      ],
    },
  });
  await call(session, `/v1/experiments/${experiment.id}/start`, { body: {} });

  const ids = Array.from({ length: FIXTURE.customers }, (_, i) => `rc-${String(i).padStart(5, '0')}`);
  await call(session, '/v1/customers/bulk', {
    body: {
      customers: ids.map((externalId, i) => ({
        externalId,
        segment: i % 3 === 0 ? 'lapsed' : 'regular',
        acquisitionDate: i % 2 === 0 ? '2025-03-15' : '2025-09-15',
      })),
    },
  });
  const assigned = await call<{ assignments: { customer: string; variant: string | null }[] }>(
    session,
    '/v1/assign',
    { body: { customers: ids, experiments: [FIXTURE.experimentKey] } },
  );

  const now = Date.now();
  const events: Record<string, unknown>[] = [];
  for (const a of assigned.assignments) {
    if (!a.variant) continue;
    const exposedAt = now - (35 + rnd() * 20) * DAY;
    events.push({
      clientEventId: `rc-exposure-${a.customer}`,
      type: 'exposure',
      customerId: a.customer,
      experimentKey: FIXTURE.experimentKey,
      variantKey: a.variant,
      occurredAt: new Date(exposedAt).toISOString(),
    });
    const chance = a.variant === 'treated' ? FIXTURE.orderChance.treated : FIXTURE.orderChance.holdout;
    if (rnd() < chance) {
      events.push({
        clientEventId: `rc-order-${a.customer}`,
        type: 'order',
        customerId: a.customer,
        amount: Math.round(FIXTURE.meanOrder * (0.5 + rnd()) * 100) / 100,
        currency: 'EUR',
        revenueStream: 'retention',
        occurredAt: new Date(exposedAt + (1 + rnd() * 27) * DAY).toISOString(),
      });
    }
  }
  const ingested = await call<{ accepted: number; rejected: unknown[] }>(session, '/v1/events', {
    body: { events },
  });
  if (ingested.rejected.length > 0) throw new Error(`events rejected: ${JSON.stringify(ingested.rejected)}`);

  await call(session, `/v1/experiments/${experiment.id}/results/refresh`, { body: {} });

  return {
    experimentId: experiment.id,
    experimentKey: FIXTURE.experimentKey,
    experimentName: FIXTURE.experimentName,
    customers: FIXTURE.customers,
  };
}
