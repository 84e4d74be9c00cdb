import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallTask, CallTaskList } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { CallTaskChannel } from '../delivery/channels/call-task';
import { ChannelsRepository } from '../delivery/channels/channels.repository';
import { channelMessage, createCustomer, createMessage, createSequence } from '../outbox/test-messages';

let t: TestApp;
let lifecycle: Agent;
let fromTouch: string;
let fromSignal: string;
let sequenceId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  lifecycle = await t.loginAs('lifecycle');
  const ws = t.workspaceId;
  const seq = await createSequence(t.prisma, ws, 'tasks-seq');
  sequenceId = seq.id;
  const c1 = await createCustomer(t.prisma, ws, 'task-cust-1');
  const c2 = await createCustomer(t.prisma, ws, 'task-cust-2');
  // A call-task touch, sent by its channel now: due in 3 days (the touch's dueInDays), owner sales-team.
  const messageId = await createMessage(t.prisma, ws, seq, c1, 'call_task', {
    status: 'sending',
    subject: 'Call task-cust-1',
    body: 'Ask why they left',
  });
  const channel = new CallTaskChannel(new ChannelsRepository(t.prisma));
  await channel.send(await channelMessage(t.prisma, messageId), t.clock.now());
  fromTouch = (await t.prisma.callTask.findUniqueOrThrow({ where: { messageId } })).id;
  // A health signal's intervention, already past due.
  fromSignal = (
    await t.prisma.callTask.create({
      data: {
        workspaceId: ws,
        customerId: c2,
        signalId: randomUUID(),
        owner: 'success-team',
        title: 'Usage dropped 60%',
        dueAt: new Date(t.clock.now().getTime() - DAY),
        createdAt: new Date(t.clock.now().getTime() - 2 * DAY),
      },
    })
  ).id;
});

afterAll(() => t?.close());

async function list(query: Record<string, unknown> = {}): Promise<CallTaskList> {
  const res = await lifecycle.get('/v1/tasks').query(query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as CallTaskList;
}

describe('call tasks', () => {
  it('lists tasks from touches and signals, soonest due first, with overdue flagged', async () => {
    const all = await list();
    expect(all.items.map((x) => x.id)).toEqual([fromSignal, fromTouch]);
    expect(all.items[1]).toEqual({
      id: fromTouch,
      customerId: expect.any(String),
      externalId: 'task-cust-1',
      source: 'sequence',
      messageId: expect.any(String),
      sequenceId,
      signalId: null,
      owner: 'sales-team',
      title: 'Call task-cust-1',
      instructions: 'Ask why they left',
      dueAt: new Date(t.clock.now().getTime() + 3 * DAY).toISOString(),
      overdue: false,
      status: 'open',
      outcome: null,
      notes: null,
      completedAt: null,
      createdAt: t.clock.now().toISOString(),
    } satisfies CallTask);
    expect(all.items[0]).toMatchObject({ source: 'signal', overdue: true, externalId: 'task-cust-2' });
  });

  it('filters by owner, status and overdue, and pages', async () => {
    expect((await list({ owner: 'sales-team' })).items.map((x) => x.id)).toEqual([fromTouch]);
    expect((await list({ overdue: 'true' })).items.map((x) => x.id)).toEqual([fromSignal]);
    expect((await list({ overdue: 'false' })).items.map((x) => x.id)).toEqual([fromTouch]);
    expect((await list({ status: 'done' })).items).toEqual([]);
    const page1 = await list({ limit: 1 });
    expect(page1.items.map((x) => x.id)).toEqual([fromSignal]);
    const page2 = await list({ limit: 1, cursor: page1.nextCursor });
    expect(page2).toMatchObject({ items: [{ id: fromTouch }], nextCursor: null });
  });

  it('completes an open task once, with outcome and notes, and audits it', async () => {
    t.clock.advanceMinutes(30);
    const res = await lifecycle
      .post(`/v1/tasks/${fromSignal}/complete`)
      .send({ outcome: 'won_back', notes: 'Renewed for a year' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: fromSignal,
      status: 'done',
      outcome: 'won_back',
      notes: 'Renewed for a year',
      completedAt: t.clock.now().toISOString(),
      overdue: false,
    });
    expect((await list({ status: 'done' })).items.map((x) => x.id)).toEqual([fromSignal]);
    expect((await list({ overdue: 'true' })).items).toEqual([]);

    const again = await lifecycle.post(`/v1/tasks/${fromSignal}/complete`).send({ outcome: 'reached' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'invalid_transition', from: 'done', to: 'done' });
    const audit = await t.prisma.auditLog.findMany({ where: { entityId: fromSignal } });
    expect(audit.map((a) => a.action)).toEqual(['task.complete']);
  });

  it('names the field of bad input and 404s unknown tasks', async () => {
    const bad = await lifecycle.post(`/v1/tasks/${fromTouch}/complete`).send({ outcome: 'maybe', notes: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: 'outcome', rule: 'one_of' },
      { path: 'notes', rule: 'type_string' },
    ]);
    const missing = await lifecycle.post(`/v1/tasks/${fromTouch}/complete`).send({});
    // zod reports a missing enum value as "not one of the values".
    expect(missing.body.errors).toEqual([{ path: 'outcome', rule: 'one_of' }]);
    expect(
      (await lifecycle.post(`/v1/tasks/${randomUUID()}/complete`).send({ outcome: 'reached' })).status,
    ).toBe(404);
    const query = await lifecycle.get('/v1/tasks').query({ status: 'later', overdue: 'maybe' });
    expect(query.status).toBe(400);
    expect(query.body.errors).toEqual([
      { path: 'query.status', rule: 'one_of' },
      { path: 'query.overdue', rule: 'one_of' },
    ]);
  });

  it('is for the lifecycle team and marketers only', async () => {
    const executive = await t.loginAs('executive');
    expect((await executive.get('/v1/tasks')).status).toBe(403);
    expect(
      (await executive.post(`/v1/tasks/${fromTouch}/complete`).send({ outcome: 'reached' })).status,
    ).toBe(403);
    const key = await t.keyAgent('read');
    expect((await key.get('/v1/tasks')).status).toBe(403);
    const marketer = await t.loginAs('marketer');
    expect((await marketer.get('/v1/tasks')).status).toBe(200);
  });
});
