import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerValueSummary, IncrementalLtv } from '@liftlab/contracts';
import { ensureBuilt, startApi, type RunningApi } from './server';
import { call, createExperimentFixture, signIn, type ExperimentFixture, type Session } from './campaign-data';

/**
 * The customer value journey: a shop with a year of order history and a finished win-back test. A marketer-admin
 * opens Value segments, fits the CLV model, reads the segments and the calibration check, is told which field of
 * the thresholds is wrong, lists the VIPs at risk, then finds the campaign's projected ROI (from predicted CLV)
 * beside its observed ROI on the campaign page. Every number on screen is checked against the API.
 */

const ADMIN_EMAIL = 'clv-admin@liftlab.test';
const ADMIN_PASSWORD = 'clv-admin-password-1';
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

let api: RunningApi;
let browser: Browser;
let page: Page;
let admin: Session;
let fixture: ExperimentFixture;
let campaignId = '';
const pageErrors: string[] = [];

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A year of purchases before the test for each fixture customer: first order 100–400 days ago, then orders at
 * a customer-specific rate until the customer lapses (a customer-specific chance after each order) or 60 days ago.
 */
async function addHistory(session: Session, customers: number): Promise<void> {
  const rnd = seeded(77);
  const now = Date.now();
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < customers; i++) {
    const id = `rc-${String(i).padStart(5, '0')}`;
    const meanGap = 15 + rnd() * 90;
    // Customers differ in how likely they are to lapse after an order, as BG/NBD assumes.
    const lapse = 0.05 + 0.5 * rnd();
    const spend = 20 + rnd() * 80;
    let day = -(100 + rnd() * 300);
    let n = 0;
    while (day < -60) {
      events.push({
        clientEventId: `clv-history-${id}-${n}`,
        type: 'order',
        customerId: id,
        amount: Math.round(spend * (0.6 + 0.8 * rnd()) * 100) / 100,
        currency: 'EUR',
        revenueStream: 'retention',
        occurredAt: new Date(now + day * DAY).toISOString(),
      });
      n++;
      if (rnd() < lapse) break;
      day += -Math.log(1 - rnd()) * meanGap;
    }
  }
  const ingested = await call<{ rejected: unknown[] }>(session, '/v1/events', { body: { events } });
  if (ingested.rejected.length > 0) throw new Error(`events rejected: ${JSON.stringify(ingested.rejected)}`);
}

beforeAll(async () => {
  ensureBuilt();
  api = await startApi({ adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
  admin = await signIn(api.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  fixture = await createExperimentFixture(admin);
  await addHistory(admin, fixture.customers);
  const campaign = await call<{ id: string }>(admin, '/v1/campaigns', {
    body: {
      key: 'winback-clv',
      name: 'Win-back with lifetime value',
      programKey: 'winback',
      experimentId: fixture.experimentId,
      variantKey: 'treated',
      horizonMonths: 12,
      annualDiscountRate: 0.1,
      grossMargins: { upsell: 0.8, cross_sell: 0.5, retention: 0.4, other: 0.3 },
      costs: [{ category: 'people', label: 'CRM manager', hours: 40, loadedRate: 60 }],
    },
  });
  campaignId = campaign.id;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(30_000);
  await page.goto('/login');
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/experiments$/);
}, 1_200_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe('customer value in headless Chromium', { timeout: 300_000 }, () => {
  it('fits the model from the page and shows the value segments and the calibration check', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Value segments' })
      .click();
    await page.getByTestId('clv-no-fit').waitFor();
    await page.getByTestId('clv-fit').click();
    await page.getByTestId('segments-table').waitFor();

    const summary = await call<CustomerValueSummary>(admin, '/v1/customer-value/summary');
    expect(summary.fit?.customers).toBe(fixture.customers);
    for (const s of summary.segments) {
      const row = page.locator(`[data-segment="${s.segment}"] td`).first();
      expect((await row.textContent())?.replace(/,/g, '')).toBe(String(s.customers));
    }
    expect(await page.getByTestId('clv-fit-info').textContent()).toContain(
      `r = ${summary.fit!.params.bgnbd.r.toFixed(3)}`,
    );
    const check = summary.fit!.calibration;
    expect(check).not.toBeNull();
    const table = page.getByTestId('calibration-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(check!.bins.length);
    await page.locator('figure.chart .recharts-wrapper').first().waitFor();
  });

  it('names the threshold field the API refuses, and lists the VIPs at risk', async () => {
    await page.getByLabel('CLV quantile (0.8 = top 20%)').fill('1.5');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    expect(await page.locator('[data-field-error="clv-quantile"]').textContent()).toContain('less than 1');
    await page.getByLabel('CLV quantile (0.8 = top 20%)').fill('0.9');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByText('Saved: refit to apply.').waitFor();

    await page.getByLabel('Segment', { exact: true }).selectOption('vip_at_risk');
    const list = page.getByTestId('value-customers');
    await list.waitFor();
    const vipsAtRisk = (await call<CustomerValueSummary>(admin, '/v1/customer-value/summary')).segments.find(
      (s) => s.segment === 'vip_at_risk',
    );
    await expect.poll(() => list.locator('tbody tr').count()).toBe(Math.min(25, vipsAtRisk?.customers ?? 0));
  });

  it('shows the projected ROI from predicted CLV beside the observed ROI on the campaign page', async () => {
    const ltv = await call<IncrementalLtv>(admin, `/v1/campaigns/${campaignId}/incremental-ltv`);
    await page.goto(`/campaigns/${campaignId}`);
    const section = page.getByTestId('incremental-ltv');
    await section.getByTestId('projected-roi').waitFor();
    expect(ltv.projectedRoi).not.toBeNull();
    expect(ltv.observedRoi).not.toBeNull();
    const percent = (x: number) => {
      const p = Math.abs(x * 100);
      return p >= 100 ? p.toFixed(0) : p.toFixed(1).replace(/\.0$/, '');
    };
    const projected = (await section.getByTestId('projected-roi').textContent()) ?? '';
    const observed = (await section.getByTestId('observed-roi').textContent()) ?? '';
    expect(projected).toContain('Projected ROI');
    expect(projected).toContain(`${percent(ltv.projectedRoi!.estimate)}%`);
    expect(observed).toContain('Observed ROI');
    expect(observed).toContain(`${percent(ltv.observedRoi!.estimate)}%`);
    expect(await section.textContent()).toContain(`${ltv.treated.customers.toLocaleString('en-GB')} treated`);
    expect(pageErrors).toEqual([]);
  });
});
