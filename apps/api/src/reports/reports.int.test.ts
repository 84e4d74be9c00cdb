import { existsSync, readFileSync } from 'node:fs';
import { SchedulerRegistry } from '@nestjs/schedule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { FixedClock } from '../common/clock';
import { ReportsScheduler } from './reports.scheduler';

/** The digest without an SMTP server: written to the outbox under DATA_DIR; and its schedule. */

let t: TestApp;
let admin: Agent;

beforeAll(async () => {
  t = await createTestApp({
    clock: new FixedClock('2025-05-12T07:00:00Z'),
    env: { DIGEST_RECIPIENTS: 'board@liftlab.test, cfo@liftlab.test', DIGEST_CRON: '0 7 * * 1' },
  });
  admin = await t.login(t.admin.email, t.admin.password);
});

afterAll(() => t?.close());

describe('digest without SMTP_URL', () => {
  it('writes the message to the outbox, to DIGEST_RECIPIENTS, for the quarter to date', async () => {
    const res = await admin.post('/v1/reports/digest/send').send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      transport: 'outbox',
      recipients: ['board@liftlab.test', 'cfo@liftlab.test'],
      period: { from: '2025-04-01', to: '2025-05-12' },
      link: `http://127.0.0.1:${t.config.PORT}/v1/reports/portfolio?from=2025-04-01&to=2025-05-12&format=html`,
    });
    const file = res.body.outboxFile as string;
    expect(file.startsWith(t.config.DATA_DIR)).toBe(true);
    expect(existsSync(file)).toBe(true);
    const eml = readFileSync(file, 'utf8');
    expect(eml).toContain('To: board@liftlab.test, cfo@liftlab.test');
    expect(eml).toContain('Subject: Liftlab portfolio 2025-04-01 to 2025-05-12: 0 proven of 0');

    const audit = await admin.get('/v1/audit-log?entityType=report&entityId=digest');
    expect(audit.body.items[0]).toMatchObject({ action: 'report.digest.send', actorType: 'user' });
  });

  it('explicit recipients win; a bad address is a 400 naming it', async () => {
    const ok = await admin.post('/v1/reports/digest/send').send({ recipients: ['ceo@liftlab.test'] });
    expect(ok.body.recipients).toEqual(['ceo@liftlab.test']);
    const bad = await admin.post('/v1/reports/digest/send').send({ recipients: ['not-an-address'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'recipients.0', rule: 'format_email' }]);
  });

  it('is scheduled on DIGEST_CRON and the scheduled run reaches executives too', async () => {
    const job = t.app.get(SchedulerRegistry).getCronJob('executive-digest');
    expect(job.cronTime.source).toBe('0 7 * * 1');
    const exec = await t.createUser('executive');
    await t.app.get(ReportsScheduler).tick();
    const audit = await admin.get('/v1/audit-log?entityType=report&entityId=digest');
    const last = audit.body.items[0] as {
      actorType: string;
      after: { recipients: string[]; transport: string };
    };
    expect(last.actorType).toBe('system');
    expect(last.after.transport).toBe('outbox');
    expect(last.after.recipients).toEqual([exec.email, 'board@liftlab.test', 'cfo@liftlab.test']);
  });

  it('an empty period still renders a portfolio', async () => {
    const res = await admin.get('/v1/reports/portfolio');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      period: { from: '2025-04-01', to: '2025-05-12' },
      previousPeriod: { from: '2025-01-01', to: '2025-02-12' },
      totals: { campaigns: 0, measurable: 0, pooledRoi: null, provenIncrementalMarginPvShrunk: 0 },
      campaigns: [],
      scale: [],
      stop: [],
    });
  });
});
