import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startApi, type RunningApi } from './server';
import { call, signIn, type Session } from './campaign-data';

/**
 * The cohort explorer journey: customers acquired three and two months ago (search and social) with orders and
 * activity on known days; the admin opens Customer value, reads the heatmap by acquisition month, switches the
 * grouping to acquisition channel and reads the cells again.
 *
 * Three months ago (search): c1, c2 order on day 6 → month 0 is 2 of 4 active; c1 is active in the next month
 * (month 1: 1 of 4); c2 clicks an e-mail and buys an upsell last month (month 2: 1 of 4). Two months ago
 * (social): s1 orders on day 6 → month 0 is 1 of 2; month 1 0 of 2. Then the admin enters the search channel's
 * spend (400 for 4 customers: CAC 100) and sees the upsell credited to e-mail on the attribution page.
 */

const ADMIN_EMAIL = 'cohort-admin@liftlab.test';
const ADMIN_PASSWORD = 'cohort-admin-password-1';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

let api: RunningApi;
let browser: Browser;
let page: Page;
let admin: Session;
const pageErrors: string[] = [];
const screenshotDir = mkdtempSync(join(tmpdir(), 'liftlab-cohorts-'));

/** First day of the UTC month `offset` months from now, plus `day − 1` days, at 10:00. */
function dayOfMonth(offset: number, day: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, day, 10));
}
const monthLabel = (d: Date) => d.toISOString().slice(0, 7);
const iso = (d: Date) => d.toISOString();

const OLD = dayOfMonth(-3, 5);
const YOUNG = dayOfMonth(-2, 5);

beforeAll(async () => {
  ensureBuilt();
  api = await startApi({ adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
  admin = await signIn(api.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  const acquired = (d: Date) => d.toISOString().slice(0, 10);
  await call(admin, '/v1/customers/bulk', {
    body: {
      customers: [
        ...['c1', 'c2', 'c3', 'c4'].map((externalId) => ({
          externalId,
          acquisitionDate: acquired(OLD),
          acquisitionChannel: 'search',
        })),
        ...['s1', 's2'].map((externalId) => ({
          externalId,
          acquisitionDate: acquired(YOUNG),
          acquisitionChannel: 'social',
        })),
      ],
    },
  });
  const order = (id: string, customerId: string, at: Date, amount: number) => ({
    clientEventId: id,
    type: 'order',
    customerId,
    amount,
    currency: 'EUR',
    occurredAt: iso(at),
  });
  const result = await call<{ rejected: unknown[] }>(admin, '/v1/events', {
    body: {
      events: [
        order('o1', 'c1', dayOfMonth(-3, 6), 120),
        order('o2', 'c2', dayOfMonth(-3, 6), 80),
        {
          clientEventId: 'a1',
          type: 'activity',
          name: 'login',
          customerId: 'c1',
          occurredAt: iso(dayOfMonth(-2, 10)),
        },
        order('o3', 's1', dayOfMonth(-2, 6), 60),
        {
          clientEventId: 't1',
          type: 'activity',
          name: 'email_click',
          customerId: 'c2',
          occurredAt: iso(dayOfMonth(-1, 3)),
          properties: { channel: 'email' },
        },
        { ...order('o4', 'c2', dayOfMonth(-1, 4), 50), revenueStream: 'upsell' },
      ],
    },
  });
  expect(result.rejected).toEqual([]);

  // A small upgrade-offer test for the segment finder: the offer lifts mid-tier customers (2 → 7 of 10), not VIPs
  // (3 → 3 of 10), imported as assignments with outcomes.
  await call(admin, '/v1/metrics', {
    body: { key: 'upgrade', name: 'Upgrade', kind: 'proportion', eventName: 'outcome', windowDays: 14 },
  });
  await call(admin, '/v1/experiments', {
    body: {
      key: 'upgrade-offer',
      name: 'Upgrade offer',
      kind: 'ab',
      variants: [
        { key: 'control', name: 'Control', weight: 0.5, isControl: true },
        { key: 'offer', name: 'Offer', weight: 0.5 },
      ],
      metrics: [{ metricKey: 'upgrade', role: 'primary' }],
    },
  });
  const tiers = { mid: { control: 2, offer: 7 }, vip: { control: 3, offer: 3 } };
  const rows: string[] = [];
  const people: { externalId: string; segment: string }[] = [];
  for (const [segment, converted] of Object.entries(tiers)) {
    for (const variant of ['control', 'offer'] as const) {
      for (let i = 0; i < 10; i++) {
        const id = `${segment}-${variant}-${i}`;
        people.push({ externalId: id, segment });
        rows.push(`${id},${variant},${iso(dayOfMonth(-1, 2))},${i < converted[variant] ? 1 : 0}`);
      }
    }
  }
  await call(admin, '/v1/customers/bulk', { body: { customers: people } });
  const upload = await fetch(`${api.url}/v1/imports/experiment?experimentKey=upgrade-offer`, {
    method: 'POST',
    headers: { cookie: admin.cookie, 'content-type': 'text/csv' },
    body: `customerId,variantKey,assignedAt,outcome\n${rows.join('\n')}\n`,
  });
  expect(upload.status, await upload.clone().text()).toBe(200);

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

const cell = (p: Page, cohort: string, month: number) => p.locator(`[data-cell="${cohort}:${month}"]`);

describe('cohort explorer', () => {
  it('signs in and opens Customer value', async () => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Customer value' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Cohort explorer' }).isVisible()).toBe(true);
  });

  it('shows the heatmap by acquisition month', async () => {
    const old = monthLabel(OLD);
    const young = monthLabel(YOUNG);
    await expect.poll(() => cell(page, old, 0).textContent(), { timeout: 20_000 }).toBe('50%');
    expect(await cell(page, old, 1).textContent()).toBe('25%');
    expect(await cell(page, old, 2).textContent()).toBe('25%');
    expect(await cell(page, young, 0).textContent()).toBe('50%');
    expect(await cell(page, young, 1).textContent()).toBe('0%');
    // The young cohort has not reached month 2: no cell.
    expect(await cell(page, young, 2).count()).toBe(0);
    expect(await cell(page, old, 0).getAttribute('title')).toBe('2 of 4 customers active');
    await page.screenshot({ path: join(screenshotDir, 'cohorts-by-month.png'), fullPage: true });
  });

  it('switches the grouping to acquisition channel', async () => {
    await page.getByLabel('Group by').selectOption('acquisitionChannel');
    await expect.poll(() => cell(page, 'search', 0).textContent(), { timeout: 20_000 }).toBe('50%');
    expect(await cell(page, 'search', 1).textContent()).toBe('25%');
    expect(await cell(page, 'social', 0).textContent()).toBe('50%');
    expect(new URL(page.url()).searchParams.get('dimension')).toBe('acquisitionChannel');
    const rows = await page.locator('[data-testid="cohort-heatmap"] tbody th').allTextContents();
    expect(rows).toEqual(['search', 'social', 'All customers']);
    await page.screenshot({ path: join(screenshotDir, 'cohorts-by-channel.png'), fullPage: true });
  });

  it('enters channel spend and reads CAC and LTV:CAC', async () => {
    await page.getByRole('link', { name: 'LTV:CAC & payback' }).click();
    await page.getByLabel('Channel', { exact: true }).fill('search');
    await page.getByLabel('Month', { exact: true }).fill(monthLabel(OLD));
    await page.getByLabel('Amount', { exact: true }).fill('400');
    await page.getByRole('button', { name: 'Add spend' }).click();
    const search = page.locator('[data-testid="ltv-cac-table"] tr', { hasText: 'search' });
    // CAC 400 / 4; cumulative revenue per customer (120 + 80 + 50) / 4 = 62.50 after three months.
    await expect.poll(() => search.locator('td').nth(2).textContent(), { timeout: 20_000 }).toBe('100');
    expect(await search.locator('td').nth(3).textContent()).toContain('62.50');
    expect(await search.locator('td').nth(4).textContent()).toBe('0.63×');
    expect(await page.locator('[data-testid="spend-table"] tbody tr').allTextContents()).toEqual([
      `${monthLabel(OLD)}search400Delete`,
    ]);
    await page.screenshot({ path: join(screenshotDir, 'ltv-cac.png'), fullPage: true });
  });

  it('credits the upsell to e-mail under every attribution model', async () => {
    await page.getByRole('link', { name: 'Attribution' }).click();
    const email = page.locator('[data-testid="attribution-table"] tbody tr', { hasText: 'email' });
    await expect.poll(() => email.count(), { timeout: 20_000 }).toBe(1);
    const cells = await email.locator('td').allTextContents();
    expect(cells).toHaveLength(6);
    for (const text of cells) expect(text.startsWith('1.00')).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'attribution.png'), fullPage: true });
  });

  it('finds the segment the upgrade offer works for', async () => {
    await page.getByRole('link', { name: 'Segment finder' }).click();
    await page.getByLabel('Experiment').selectOption({ label: 'Upgrade offer' });
    const mid = page.locator('[data-testid="segment-forest"] tbody tr', { hasText: 'mid' });
    await expect.poll(() => mid.count(), { timeout: 20_000 }).toBe(1);
    // Absolute lifts: mid 70% − 20% = 50 points, vip 0.
    expect(await mid.locator('td').nth(1).textContent()).toBe('50%');
    const vip = page.locator('[data-testid="segment-forest"] tbody tr', { hasText: 'vip' });
    expect(await vip.locator('td').nth(1).textContent()).toBe('0%');
    expect(await page.getByTestId('heterogeneity').textContent()).toContain('Cochran’s Q');
    await expect.poll(() => page.getByRole('heading', { name: /Qini curve/ }).isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'segments.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
