import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudiencePreview, EnrollmentList, OutboxMessageList, SequenceView } from '@liftlab/contracts';
import { call, signIn, type Session } from './campaign-data';
import { ensureBuilt, startApi, type RunningApi } from './server';

/**
 * The win-back journey: a lifecycle user builds a sequence in the browser (live audience counts with exclusions,
 * an e-mail touch whose Liquid subject is previewed on a real customer, a render error shown on its field, an
 * offer created in the builder, the default 10% holdout), launches it after a confirmation with the counts, and sees the e-mails the
 * delivery engine wrote in the outbox page, with the HTML part in a sandboxed frame.
 *
 * Delivery is the API's own tick (SEQUENCE_TICK_CRON, every 2 s here instead of 30 s); there is no test-only
 * trigger. With no SMTP_URL, e-mails go to the database outbox. Customers live in a time zone where it is
 * afternoon now, so the quiet hours (21:00–08:00 local) never defer the send, whatever time the test runs.
 */

const ADMIN_EMAIL = 'seq-admin@liftlab.test';
const ADMIN_PASSWORD = 'seq-admin-password-1';
const LIFECYCLE_EMAIL = 'lena@liftlab.test';
const LIFECYCLE_PASSWORD = 'lena-lifecycle-password-1';
const SEQUENCE_NAME = 'Spring win-back';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const DAY = 86_400_000;
/** Live previews wait for typing to pause, then for the API; give them time on a busy machine. */
const POLL = { timeout: 15_000, interval: 200 };
const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];

/** 30 dormant customers (last order 70–110 days ago), 5 recently active, 5 dormant for too long. */
const DORMANT = 30;
const externalId = (i: number) => `wb-${String(i).padStart(3, '0')}`;
const firstName = (i: number) => `${FIRST_NAMES[i % FIRST_NAMES.length]}${i}`;
/** Prior spend: the dormant customer wb-017 spent most, so the audience lists (and previews) them first. */
const spend = (i: number) => (i === 17 ? 900 : 20 + i * 3);

/** An IANA zone where the local hour is 14–15 now: quiet hours never apply during the test. */
function afternoonZone(now: Date): string {
  const offset = 14 - now.getUTCHours();
  if (offset === 0) return 'Etc/GMT';
  // Etc/GMT zones have inverted signs: Etc/GMT-3 is UTC+3.
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

let api: RunningApi;
let browser: Browser;
let page: Page;
let admin: Session;
let lifecycle: Session;
let sequenceId = '';
const screenshotDir = mkdtempSync(join(tmpdir(), 'liftlab-sequence-'));
const pageErrors: string[] = [];

async function seed(session: Session): Promise<void> {
  const now = Date.now();
  const zone = afternoonZone(new Date());
  const customers = Array.from({ length: 40 }, (_, i) => ({
    externalId: externalId(i),
    segment: i % 2 === 0 ? 'lapsed' : 'regular',
    timezone: zone,
    traits: { email: `${externalId(i)}@shop.example`, first_name: firstName(i) },
  }));
  const bulk = await call<{ rejected: unknown[] }>(session, '/v1/customers/bulk', { body: { customers } });
  if (bulk.rejected.length > 0) throw new Error(`customers rejected: ${JSON.stringify(bulk.rejected)}`);
  const events = customers.map((c, i) => {
    const daysAgo = i < DORMANT ? 70 + (i % 40) : i < 35 ? 10 : 200;
    return {
      clientEventId: `wb-order-${c.externalId}`,
      type: 'order',
      customerId: c.externalId,
      amount: spend(i),
      currency: 'EUR',
      occurredAt: new Date(now - daysAgo * DAY).toISOString(),
    };
  });
  const ingested = await call<{ rejected: unknown[] }>(session, '/v1/events', { body: { events } });
  if (ingested.rejected.length > 0) throw new Error(`events rejected: ${JSON.stringify(ingested.rejected)}`);
  // Two dormant customers must not be contacted: one blocked by hand, one who unsubscribed.
  await call(session, '/v1/suppressions', { body: { externalId: externalId(1), reason: 'manual' } });
  await call(session, '/v1/suppressions', { body: { externalId: externalId(2), reason: 'unsubscribe' } });
  // Two recently active customers opened two support tickets each this week (conversions, so they stay active).
  const tickets = [30, 30, 31, 31].map((i, n) => ({
    clientEventId: `wb-ticket-${n}`,
    type: 'conversion',
    name: 'support_ticket',
    customerId: externalId(i),
    occurredAt: new Date(now - (n + 1) * 3_600_000).toISOString(),
  }));
  await call(session, '/v1/events', { body: { events: tickets } });
  await call(session, '/v1/users', {
    body: { email: LIFECYCLE_EMAIL, name: 'Lena Lifecycle', role: 'lifecycle', password: LIFECYCLE_PASSWORD },
  });
}

beforeAll(async () => {
  ensureBuilt();
  // The harness passes the environment on to the API: a fast delivery tick, and the database outbox for e-mail.
  process.env.SEQUENCE_TICK_CRON = '*/2 * * * * *';
  delete process.env.SMTP_URL;
  api = await startApi({ adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
  admin = await signIn(api.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  await seed(admin);
  lifecycle = await signIn(api.url, LIFECYCLE_EMAIL, LIFECYCLE_PASSWORD);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  delete process.env.SEQUENCE_TICK_CRON;
  console.info(`sequence screenshots: ${screenshotDir}`);
});

describe('win-back sequence journey in headless Chromium', () => {
  it('signs in as lifecycle and finds the sequence pages, and no money pages, in the navigation', async () => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(LIFECYCLE_EMAIL);
    await page.getByLabel('Password').fill(LIFECYCLE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/experiments$/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['Sequences', 'Outbox', 'Tasks', 'Signals']) {
      await nav.getByRole('link', { name: label, exact: true }).waitFor();
    }
    expect(await nav.getByRole('link', { name: 'Campaigns', exact: true }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Sequences', exact: true }).click();
    await page.getByRole('heading', { name: 'Sequences', exact: true }).waitFor();
  });

  it('builds a sequence with live audience counts and a template previewed on a real customer', async () => {
    await page.getByRole('link', { name: 'New sequence' }).click();
    await page.getByLabel('Name', { exact: true }).fill(SEQUENCE_NAME);
    expect(await page.getByLabel('Key', { exact: true }).inputValue()).toBe('spring-win-back');
    expect(await page.getByLabel('Holdout share (%)').inputValue()).toBe('10');

    // The counts the page shows are the API's, and they are the audience the seed data describes.
    const expected = await call<AudiencePreview>(lifecycle, '/v1/sequences/audience-preview', {
      body: { audience: {}, holdoutPercent: 10 },
    });
    expect(expected.matched).toBe(DORMANT);
    expect(expected.excluded.suppressed).toBe(1);
    expect(expected.excluded.unsubscribed).toBe(1);
    expect(expected.eligible).toBe(DORMANT - 2);
    await expect.poll(() => page.getByTestId('audience-matched').textContent(), POLL).toBe(String(DORMANT));
    expect(await page.getByTestId('excluded-suppressed').textContent()).toBe('1');
    expect(await page.getByTestId('excluded-unsubscribed').textContent()).toBe('1');
    expect(await page.getByTestId('audience-eligible').textContent()).toBe(String(DORMANT - 2));
    expect(await page.getByTestId('audience-treated').textContent()).toBe(String(expected.expectedTreated));
    expect(await page.getByTestId('audience-holdout').textContent()).toBe(String(expected.expectedHoldout));
    expect(expected.expectedTreated + expected.expectedHoldout).toBe(DORMANT - 2);

    // Narrowing the rules re-counts the audience once typing pauses.
    await page.getByLabel('Segments').fill('lapsed');
    await expect
      .poll(() => page.getByTestId('audience-matched').textContent(), POLL)
      .toBe(String(DORMANT / 2));
    await page.getByLabel('Segments').fill('');
    await expect.poll(() => page.getByTestId('audience-matched').textContent(), POLL).toBe(String(DORMANT));

    // The highest prior spender is the first customer the audience lists, and the preview's customer.
    expect(expected.sample[0]?.externalId).toBe(externalId(17));
    await expect.poll(() => page.getByLabel('Preview on customer').inputValue(), POLL).toBe(externalId(17));

    // The offer is created in the builder and then picked on the touch.
    const offer = page.getByTestId('new-offer');
    await offer.locator('summary').click();
    await offer.getByLabel('Offer key').fill('winback20');
    await offer.getByLabel('Offer name').fill('Win-back 20% off');
    await offer.getByLabel('Code prefix').fill('w-20');
    await offer.getByRole('button', { name: 'Create offer' }).click();
    expect(await page.locator('[data-field-error="offer-codePrefix"]').textContent()).not.toBe('');
    await offer.getByLabel('Code prefix').fill('WB20');
    await offer.getByRole('button', { name: 'Create offer' }).click();
    await page.getByText('Offer winback20 created; pick it on a touch.').waitFor();

    const touch = page.getByTestId('touch-0');
    await touch.getByLabel('Subject', { exact: true }).fill('Welcome back, {{ customer.traits.frist_name }}');
    await touch
      .getByLabel('Text body')
      .fill('Hi {{ customer.traits.first_name }}, use {{ offer.code }} for 20% off.');
    await touch.getByLabel('Offer', { exact: true }).selectOption('winback20');
    // A typo in a variable is shown on the subject field, in the renderer's words.
    const renderError = page.locator('[id="touches.0.content.subject-render"]');
    await renderError.waitFor();
    expect(await renderError.textContent()).toContain('frist_name');

    await touch.getByLabel('Subject', { exact: true }).fill('Welcome back, {{ customer.traits.first_name }}');
    await touch
      .getByLabel('HTML body (optional)')
      .fill(
        '<h1>We miss you, {{ customer.traits.first_name }}</h1><p>Your code: <b>{{ offer.code }}</b></p>',
      );
    await expect
      .poll(() => page.getByTestId('preview-subject-0').textContent())
      .toBe(`Welcome back, ${firstName(17)}`);
    expect(await renderError.count()).toBe(0);
    const previewText = (await page.getByTestId('preview-text-0').textContent()) ?? '';
    expect(previewText).toMatch(new RegExp(`^Hi ${firstName(17)}, use WB20-[A-Z0-9]+ for 20% off\\.$`));

    // A second touch three days later: a call task for the lifecycle user.
    await page.getByLabel('Channel of the next touch').selectOption('call_task');
    await page.getByRole('button', { name: 'Add touch' }).click();
    const task = page.getByTestId('touch-1');
    expect(await task.getByLabel('Day', { exact: true }).inputValue()).toBe('3');
    await task.getByLabel('Owner (person or team)').fill(LIFECYCLE_EMAIL);
    await task.getByLabel('Title').fill('Call {{ customer.traits.first_name }}');
    await page.screenshot({ path: join(screenshotDir, '1-builder.png'), fullPage: true });

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/sequences\/[0-9a-f-]{36}$/);
    sequenceId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const saved = await call<SequenceView>(lifecycle, `/v1/sequences/${sequenceId}`);
    expect(saved.status).toBe('draft');
    expect(saved.holdoutPercent).toBe(10);
    expect(saved.touches.map((t) => [t.position, t.delayDays, t.channel, t.offerKey])).toEqual([
      [0, 0, 'email', 'winback20'],
      [1, 3, 'call_task', null],
    ]);
  });

  it('launches after a confirmation that states the counts', async () => {
    await page.getByRole('button', { name: 'Launch', exact: true }).click();
    const confirm = page.getByTestId('launch-confirm');
    await confirm.getByTestId('launch-counts').waitFor();
    expect(await confirm.getByTestId('launch-counts').textContent()).toContain(
      `${DORMANT - 2} customers enrolled now`,
    );
    await confirm.getByRole('button', { name: 'Confirm launch' }).click();
    await page.getByTestId('launch-result').waitFor();
    expect(await page.getByTestId('sequence-status').textContent()).toBe('Running');

    const launched = await call<SequenceView>(lifecycle, `/v1/sequences/${sequenceId}`);
    expect(launched.enrollments.total).toBe(DORMANT - 2);
    expect(await page.getByTestId('launch-result').textContent()).toContain(
      `${launched.enrollments.treated} treated, ${launched.enrollments.holdout} in the holdout`,
    );
    expect(launched.experimentKey).toBe('seq-spring-win-back');
  });

  it('shows every treated customer’s e-mail in the outbox once the delivery tick has run', async () => {
    const treated = await call<EnrollmentList>(
      lifecycle,
      `/v1/sequences/${sequenceId}/enrollments?arm=treated&limit=100`,
    );
    const holdout = await call<EnrollmentList>(
      lifecycle,
      `/v1/sequences/${sequenceId}/enrollments?arm=holdout&limit=100`,
    );
    expect(treated.items.length + holdout.items.length).toBe(DORMANT - 2);

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Outbox', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    // The page refreshes itself; the tick writes and "sends" (stores) one e-mail per treated customer.
    await expect
      .poll(() => page.locator('[data-testid="outbox-list"] tbody tr').count(), {
        timeout: 60_000,
        interval: 1000,
      })
      .toBe(treated.items.length);
    const log = await call<OutboxMessageList>(lifecycle, '/v1/outbox?limit=100');
    expect(log.items.every((m) => m.channel === 'email' && m.status === 'sent' && m.outbox)).toBe(true);
    const recipients = new Set(log.items.map((m) => m.externalId));
    for (const e of treated.items) expect(recipients.has(e.externalId)).toBe(true);
    for (const e of holdout.items) expect(recipients.has(e.externalId)).toBe(false);

    const one = treated.items.map((e) => e.externalId).sort()[0] ?? '';
    const index = Number(one.slice(3));
    await page.getByTestId(`message-${one}-0`).getByRole('link').click();
    await page.getByTestId('message-subject').waitFor();
    expect(await page.getByTestId('message-subject').textContent()).toBe(`Welcome back, ${firstName(index)}`);
    expect(await page.getByTestId('message-recipient').textContent()).toBe(`${one}@shop.example`);
    expect(await page.getByTestId('message-text').textContent()).toMatch(
      new RegExp(`^Hi ${firstName(index)}, use WB20-[A-Z0-9]+ for 20% off\\.`),
    );
    expect(await page.getByTestId('message-html').getAttribute('sandbox')).toBe('');
    const frame = page.frameLocator('[data-testid="message-html"]');
    expect(await frame.locator('h1').textContent()).toBe(`We miss you, ${firstName(index)}`);
    await page.screenshot({ path: join(screenshotDir, '2-outbox-message.png'), fullPage: true });
  });

  it('shows the funnel of the first touch on the results page, and pauses and resumes the sequence', async () => {
    await page.goto(`/sequences/${sequenceId}`);
    await page.getByRole('link', { name: 'Results', exact: true }).click();
    await page.getByTestId('funnel-table').waitFor();
    const results = await call<{
      funnel: { position: number; sent: number }[];
      enrollments: { treated: number };
    }>(lifecycle, `/v1/sequences/${sequenceId}/results`);
    const first = results.funnel.find((t) => t.position === 0);
    expect(first?.sent).toBe(results.enrollments.treated);
    const row = page.getByTestId('funnel-table').locator('tbody tr').first();
    expect(await row.locator('th').textContent()).toBe('1. Day 0 e-mail');
    // Reached 100%, then the sent count.
    expect(await row.locator('td').nth(0).textContent()).toBe('100%');
    expect(await row.locator('td').nth(1).textContent()).toBe(String(results.enrollments.treated));
    // Nobody has finished the 30-day window: the comparison says so instead of showing a number.
    expect(await page.getByTestId('reactivation-sentence').textContent()).not.toBe('');
    await page.getByTestId('funnel-chart').locator('.recharts-wrapper').waitFor();
    await page.screenshot({ path: join(screenshotDir, '3-results.png'), fullPage: true });

    await page.getByRole('link', { name: `← ${SEQUENCE_NAME}` }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => page.getByTestId('sequence-status').textContent(), POLL).toBe('Paused');
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(() => page.getByTestId('sequence-status').textContent(), POLL).toBe('Running');

    // While running, content can change; the holdout share and the touches' number and channels cannot.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    const touch = page.getByTestId('touch-0');
    await touch.getByLabel('Subject', { exact: true }).waitFor();
    expect(await page.getByLabel('Holdout share (%)').isDisabled()).toBe(true);
    expect(await touch.getByRole('button', { name: 'Remove touch 1' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add touch' }).count()).toBe(0);
    await touch
      .getByLabel('Subject', { exact: true })
      .fill('We kept a gift for you, {{ customer.traits.first_name }}');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(new RegExp(`/sequences/${sequenceId}$`));
    const edited = await call<SequenceView>(lifecycle, `/v1/sequences/${sequenceId}`);
    expect(edited.status).toBe('running');
    expect(edited.touches.find((t) => t.position === 0)?.content.subject).toBe(
      'We kept a gift for you, {{ customer.traits.first_name }}',
    );
  });

  it('shows open signals on the board and completes the task they created', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('radio', { name: 'My tasks' }).waitFor();
    // The sequence's call task is due on day 3: nothing yet.
    await page.getByText('No task here.').waitFor();
    await nav.getByRole('link', { name: 'Signals', exact: true }).click();
    await page.getByText('No open signal. Nothing needs attention.').waitFor();

    // A rule: two support tickets in 7 days → a task for the lifecycle user, to be answered within 24 h.
    const rule = await call<{ id: string }>(lifecycle, '/v1/signal-rules', {
      body: {
        key: 'support-tickets',
        name: 'Many support tickets',
        kind: 'support_tickets',
        params: { count: 2, days: 7, eventName: 'support_ticket' },
        ownerTeam: 'Customer care',
        slaHours: 24,
        intervention: { type: 'task', owner: LIFECYCLE_EMAIL, title: 'Call about the tickets' },
      },
    });
    const run = await call<{ opened: number; interventionsApplied: number }>(
      lifecycle,
      `/v1/signal-rules/${rule.id}/evaluate`,
      { body: {} },
    );
    expect(run.opened).toBe(2);
    expect(run.interventionsApplied).toBe(2);

    await page.reload();
    const card = page.getByTestId('rule-support-tickets');
    await card.waitFor();
    expect(await page.getByRole('heading', { name: /^Customer care/ }).count()).toBe(1);
    expect(await card.locator('tbody tr').count()).toBe(2);
    expect(await card.locator('[data-sla="on_time"]').count()).toBe(2);
    expect(await page.getByTestId('signals-breached').textContent()).toBe('0');

    await nav.getByRole('link', { name: 'Tasks', exact: true }).click();
    const list = page.getByTestId('task-list');
    await list.waitFor();
    expect(await list.locator('tbody tr').count()).toBe(2);
    await list.getByRole('button', { name: 'Complete' }).first().click();
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await page.locator('[data-field-error$="-outcome"]').waitFor();
    await page.getByLabel('Outcome').selectOption('reached');
    await page.getByLabel('Notes').fill('Promised a callback from billing.');
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await expect.poll(() => list.locator('tbody tr').count(), POLL).toBe(1);
    await page.getByLabel('Status').selectOption('done');
    // The open list stays on screen until the done list has loaded.
    await expect.poll(() => list.locator('tbody tr').first().textContent(), POLL).toContain('Reached');
    expect(await list.locator('tbody tr').count()).toBe(1);
    expect(await list.locator('tbody tr').first().textContent()).toContain(
      'Promised a callback from billing.',
    );
    await page.screenshot({ path: join(screenshotDir, '4-tasks.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
