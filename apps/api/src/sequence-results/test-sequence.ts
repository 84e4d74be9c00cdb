import type { PrismaService } from '../database/prisma.service';
import { uuidv7 } from '../database/ids';

/**
 * Test support: a launched sequence written straight to the database (its holdout experiment with the
 * `holdout` and `treated` variants, its touches), so offers, surveys and results can be tested without the
 * audience planner and the delivery engine.
 */

export interface TestTouch {
  channel?: 'email' | 'in_app' | 'webhook' | 'call_task';
  delayDays: number;
  offerId?: string | null;
}

export interface TestSequence {
  sequenceId: string;
  experimentId: string;
  touchIds: string[];
}

export async function insertSequence(
  prisma: PrismaService,
  workspaceId: string,
  options: { key: string; touches: TestTouch[]; measurementDays?: number; launchedAt: Date },
): Promise<TestSequence> {
  const at = options.launchedAt;
  const experiment = await prisma.experiment.create({
    data: {
      workspaceId,
      key: `seq-${options.key}`,
      name: `Sequence ${options.key}`,
      kind: 'holdout',
      status: 'running',
      seed: `seq-${options.key}`,
      startedAt: at,
      frozenAt: at,
      variants: {
        create: [
          { key: 'holdout', name: 'Holdout', weight: 0.1, isControl: true, position: 0 },
          { key: 'treated', name: 'Treated', weight: 0.9, isControl: false, position: 1 },
        ],
      },
    },
  });
  const sequence = await prisma.sequence.create({
    data: {
      workspaceId,
      key: options.key,
      name: `Win-back ${options.key}`,
      status: 'running',
      audience: {},
      measurementDays: options.measurementDays ?? 30,
      experimentId: experiment.id,
      launchedAt: at,
      touches: {
        create: options.touches.map((t, position) => ({
          position,
          delayDays: t.delayDays,
          channel: t.channel ?? 'email',
          content: { subject: `Touch ${position}`, body: 'Hello {{ customer.externalId }}' },
          offerId: t.offerId ?? null,
        })),
      },
    },
    include: { touches: { orderBy: { position: 'asc' } } },
  });
  return {
    sequenceId: sequence.id,
    experimentId: experiment.id,
    touchIds: sequence.touches.map((t) => t.id),
  };
}

/** Customers by externalId (created when missing); returns externalId → id. */
export async function ensureCustomers(
  prisma: PrismaService,
  workspaceId: string,
  externalIds: string[],
  now: Date,
): Promise<Map<string, string>> {
  await prisma.customer.createMany({
    data: externalIds.map((externalId) => ({ id: uuidv7(now.getTime()), workspaceId, externalId })),
    skipDuplicates: true,
  });
  const rows = await prisma.customer.findMany({
    where: { workspaceId, externalId: { in: externalIds } },
    select: { id: true, externalId: true },
  });
  return new Map(rows.map((r) => [r.externalId, r.id]));
}

/** One treated enrollment with one message per given touch, as the delivery engine would leave them. */
export async function insertEnrollment(
  prisma: PrismaService,
  workspaceId: string,
  sequence: TestSequence,
  customerId: string,
  options: {
    arm?: 'treated' | 'holdout';
    enrolledAt: Date;
    messages?: {
      touch: number;
      status?: 'pending' | 'sent' | 'failed' | 'suppressed';
      sentAt?: Date | null;
      offerCode?: string | null;
      offerExpiresAt?: Date | null;
    }[];
  },
): Promise<{ enrollmentId: string; messageIds: string[] }> {
  const arm = options.arm ?? 'treated';
  const enrollment = await prisma.enrollment.create({
    data: {
      workspaceId,
      sequenceId: sequence.sequenceId,
      customerId,
      arm,
      status: arm === 'holdout' ? 'holdout' : 'active',
      enrolledAt: options.enrolledAt,
    },
  });
  const messageIds: string[] = [];
  for (const m of options.messages ?? []) {
    const status = m.status ?? 'sent';
    const sentAt = m.sentAt === undefined ? (status === 'sent' ? options.enrolledAt : null) : m.sentAt;
    const created = await prisma.message.create({
      data: {
        workspaceId,
        sequenceId: sequence.sequenceId,
        enrollmentId: enrollment.id,
        touchId: sequence.touchIds[m.touch]!,
        customerId,
        channel: 'email',
        status,
        subject: 'Hello',
        nextAttemptAt: options.enrolledAt,
        sentAt,
        offerCode: m.offerCode ?? null,
        offerExpiresAt: m.offerExpiresAt ?? null,
      },
    });
    messageIds.push(created.id);
  }
  return { enrollmentId: enrollment.id, messageIds };
}
