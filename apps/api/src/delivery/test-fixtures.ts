/**
 * Test data for the delivery engine: a workspace, customers, a running sequence with touches, enrollments due
 * now, and a delivery service wired like the module does (without Nest). Used by the integration tests, the
 * SIGKILL worker and the bench.
 */
import { Client } from 'pg';
import { AppConfig, loadConfig } from '../config/config';
import { uuidv7 } from '../database/ids';
import type { PrismaService } from '../database/prisma.service';
import type { Channel } from './channels/channel';
import { EmailChannel } from './channels/email';
import { ChannelRegistry } from './channels/registry';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryOptions, DeliveryService } from './delivery.service';
import { LinkSigner } from './links';

export const TEST_LINK_SECRET = 'delivery-test-link-secret-0123456789abcdef';

export function deliveryConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LINK_SECRET: TEST_LINK_SECRET,
    PUBLIC_URL: 'https://liftlab.test',
    DELIVERY_LEASE_SECONDS: '60',
    ...env,
  });
}

export interface TestDelivery {
  service: DeliveryService;
  repo: DeliveryRepository;
  email: EmailChannel;
  registry: ChannelRegistry;
  close(): void;
}

/** A delivery service on `prisma`: e-mail through `SMTP_URL` (or the outbox), plus any extra channels. */
export function createDelivery(
  prisma: PrismaService,
  config: AppConfig,
  options: Partial<DeliveryOptions> = {},
  extra: Partial<Record<'in_app' | 'webhook' | 'call_task', Channel>> = {},
): TestDelivery {
  const repo = new DeliveryRepository(prisma);
  const links = new LinkSigner(config);
  const email = new EmailChannel(config, repo, links);
  const registry = new ChannelRegistry({ email, ...extra });
  const service = new DeliveryService(
    repo,
    registry,
    links,
    config,
    Object.assign(new DeliveryOptions(), options),
  );
  return { service, repo, email, registry, close: () => email.close() };
}

export interface SeedSettings {
  frequencyCapCount?: number;
  frequencyCapDays?: number;
  quietHoursStart?: string;
  quietHoursEnd?: string;
  defaultTimezone?: string;
}

export async function createWorkspace(prisma: PrismaService, settings: SeedSettings = {}): Promise<string> {
  const id = uuidv7();
  await prisma.workspace.create({ data: { id, name: 'Delivery test', globalHoldoutSeed: 'seed' } });
  await prisma.messagingSettings.create({
    data: {
      workspaceId: id,
      webhookSecret: 'webhook-secret',
      fromAddress: 'Liftlab <hello@liftlab.test>',
      ...settings,
    },
  });
  return id;
}

export interface TouchSpec {
  delayDays: number;
  channel?: 'email' | 'in_app' | 'webhook' | 'call_task';
  content?: Record<string, unknown>;
  conditions?: unknown[];
  offerId?: string | null;
}

export const EMAIL_CONTENT = {
  subject: 'We miss you, {{ customer.externalId }}',
  text: 'Come back! Unsubscribe: {{ links.unsubscribe }}',
  html: '<p>Come back, {{ customer.externalId }}!</p>',
};

export async function createSequence(
  prisma: PrismaService,
  workspaceId: string,
  key: string,
  touches: TouchSpec[],
  exitEventTypes: string[] = ['order', 'activity'],
): Promise<{ id: string; touchIds: string[] }> {
  const id = uuidv7();
  await prisma.sequence.create({
    data: {
      id,
      workspaceId,
      key,
      name: `Sequence ${key}`,
      status: 'running',
      audience: {},
      exitEventTypes,
      touches: {
        create: touches.map((t, position) => ({
          id: uuidv7(),
          position,
          delayDays: t.delayDays,
          channel: t.channel ?? 'email',
          content: (t.content ?? EMAIL_CONTENT) as object,
          conditions: (t.conditions ?? []) as object[],
          offerId: t.offerId ?? null,
        })),
      },
    },
  });
  const rows = await prisma.sequenceTouch.findMany({
    where: { sequenceId: id },
    orderBy: { position: 'asc' },
  });
  return { id, touchIds: rows.map((r) => r.id) };
}

export interface CustomerSpec {
  externalId: string;
  timezone?: string | null;
  segment?: string | null;
  email?: string | null;
}

/** Customers with an `email` trait (`<externalId>@example.test` unless given). Returns their ids in order. */
export async function createCustomers(
  prisma: PrismaService,
  workspaceId: string,
  specs: CustomerSpec[],
): Promise<string[]> {
  const rows = specs.map((s) => ({
    id: uuidv7(),
    workspaceId,
    externalId: s.externalId,
    timezone: s.timezone ?? null,
    segment: s.segment ?? null,
    traits: s.email === null ? {} : { email: s.email ?? `${s.externalId}@example.test` },
  }));
  await prisma.customer.createMany({ data: rows });
  return rows.map((r) => r.id);
}

/** Treated, active enrollments at position 0, due at `enrolledAt` + the first touch's delay (0 here). */
export async function enroll(
  prisma: PrismaService,
  workspaceId: string,
  sequenceId: string,
  customerIds: string[],
  enrolledAt: Date,
  firstDelayDays = 0,
): Promise<string[]> {
  const rows = customerIds.map((customerId) => ({
    id: uuidv7(),
    workspaceId,
    sequenceId,
    customerId,
    arm: 'treated' as const,
    status: 'active' as const,
    enrolledAt,
    nextPosition: 0,
    nextDueAt: new Date(enrolledAt.getTime() + firstDelayDays * 86_400_000),
  }));
  for (let i = 0; i < rows.length; i += 5000)
    await prisma.enrollment.createMany({ data: rows.slice(i, i + 5000) });
  return rows.map((r) => r.id);
}

/**
 * `count` customers (`<prefix><i>`, e-mail trait `<prefix><i>@example.test`) each with a treated, active
 * enrollment due at `enrolledAt`, written by two set-based statements (fast enough for 100k rows).
 */
export async function seedStep(
  prisma: PrismaService,
  workspaceId: string,
  sequenceId: string,
  count: number,
  prefix: string,
  enrolledAt: Date,
): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO customers (id, workspace_id, external_id, traits, created_at, updated_at)
    SELECT gen_random_uuid(), ${workspaceId}::uuid, ${prefix} || i,
           jsonb_build_object('email', ${prefix} || i || '@example.test'), ${enrolledAt}, ${enrolledAt}
      FROM generate_series(0, ${count - 1}) AS i`;
  await prisma.$executeRaw`
    INSERT INTO enrollments (id, workspace_id, sequence_id, customer_id, reentry, arm, status, enrolled_at,
                             next_position, next_due_at)
    SELECT gen_random_uuid(), c.workspace_id, ${sequenceId}::uuid, c.id, 0, 'treated', 'active', ${enrolledAt},
           0, ${enrolledAt}
      FROM customers c
     WHERE c.workspace_id = ${workspaceId}::uuid AND c.external_id LIKE ${prefix + '%'}`;
}

/** A PostgreSQL server several processes can reach: TEST_DATABASE_URL, else the local cluster. */
export const LOCAL_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
