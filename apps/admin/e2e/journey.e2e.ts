import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startApi, type RunningApi } from './server';

/**
 * The proof that the admin app works end to end: a marketer-admin signs in, designs a 10% holdout test with the
 * power calculator, starts it, events arrive through the public API with an ingest key, and the experiment page
 * shows the exposure counts per variant. Then an executive opens the same page and finds nothing to edit.
 */

const ADMIN_EMAIL = 'journey-admin@liftlab.test';
const ADMIN_PASSWORD = 'journey-admin-password-1';
const CUSTOMERS = 120;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let api: RunningApi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let experimentUrl = '';
let ingestKey = '';
let expected: Record<string, number> = {};
const screenshotDir = mkdtempSync(join(tmpdir(), 'liftlab-journey-'));
const pageErrors: string[] = [];

async function apiCall(
  path: string,
  init: { method?: string; key?: string; body?: unknown },
): Promise<unknown> {
  const res = await fetch(`${api.url}${path}`, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'POST'} ${path} → ${res.status}: ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

beforeAll(async () => {
  ensureBuilt();
  api = await startApi({ adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  context = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  console.info(`journey screenshots: ${screenshotDir}`);
});

describe('admin journey in headless Chromium', () => {
  it('signs in and lands on the experiments list', async () => {
    await page.goto('/experiments');
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBeTruthy();

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/experiments$/);
    await page.getByRole('heading', { name: 'Experiments' }).waitFor();
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(1);
  });

  it('creates a 10% holdout test, with the power plan comparing it to 50/50', async () => {
    await page.getByRole('link', { name: 'New experiment' }).first().click();
    await page.getByRole('heading', { name: 'New experiment' }).waitFor();

    // Submitting the empty form names the missing fields next to them.
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.locator('[data-field-error="name"]').waitFor();
    expect(await page.locator('[data-field-error="hypothesis"]').textContent()).toContain('Required');

    await page.getByLabel('Name', { exact: true }).fill('Win-back email holdout');
    expect(await page.getByLabel('Key', { exact: true }).inputValue()).toBe('win-back-email-holdout');
    await page
      .getByLabel('Hypothesis')
      .fill('Lapsed customers who get the win-back email reactivate more within 30 days than the holdout.');
    await page.getByLabel('Holdout test').check();
    await page.getByLabel('Holdout share (%)').fill('10');

    const summary = page.getByTestId('power-summary');
    await expect.poll(() => summary.textContent()).toMatch(/10% holdout .* a 50\/50 split would need/);
    const total = Number((await page.getByTestId('power-total').textContent())?.replace(/\D/g, ''));
    expect(total).toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshotDir, '1-create-holdout.png'), fullPage: true });

    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.waitForURL(/\/experiments\/[^/]+$/);
    await page.getByRole('heading', { name: 'Win-back email holdout' }).waitFor();
    experimentUrl = new URL(page.url()).pathname;
    expect(await page.locator('.badge').first().textContent()).toBe('Draft');
  });

  it('starts the experiment', async () => {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm start' }).click();
    await expect.poll(() => page.locator('.badge').first().textContent()).toBe('Running');
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).count()).toBe(1);
    await page.getByTestId('exposures').waitFor();
  });

  it('creates an ingest key in the settings', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Name', { exact: true }).first().fill('Journey events');
    await page.getByLabel('Scope').selectOption('ingest');
    await page.getByRole('button', { name: 'Create key' }).click();
    ingestKey = ((await page.getByTestId('new-api-key').textContent()) ?? '').trim();
    expect(ingestKey.length).toBeGreaterThan(16);
  });

  it('shows live exposure counts per variant once events arrive through the API', async () => {
    await page.goto(experimentUrl);
    await page.getByTestId('exposure-table').waitFor();

    const ids = Array.from({ length: CUSTOMERS }, (_, i) => `journey-${String(i).padStart(4, '0')}`);
    await apiCall('/v1/customers/bulk', {
      key: ingestKey,
      body: {
        customers: ids.map((externalId, i) => ({ externalId, segment: i % 2 ? 'lapsed' : 'dormant' })),
      },
    });
    const assigned = (await apiCall('/v1/assign', {
      key: ingestKey,
      body: { customers: ids, experiments: ['win-back-email-holdout'] },
    })) as { assignments: Array<{ customer: string; variant: string | null; inExperiment: boolean }> };
    const inExperiment = assigned.assignments.filter((a) => a.inExperiment && a.variant);
    expect(inExperiment).toHaveLength(CUSTOMERS);

    const occurredAt = new Date().toISOString();
    const result = (await apiCall('/v1/events', {
      key: ingestKey,
      body: {
        events: inExperiment.map((a, i) => ({
          clientEventId: `journey-exposure-${i}`,
          type: 'exposure',
          name: 'win-back-email',
          customerId: a.customer,
          experimentKey: 'win-back-email-holdout',
          variantKey: a.variant,
          occurredAt,
        })),
      },
    })) as { accepted: number; rejected: unknown[] };
    expect(result.rejected).toEqual([]);
    expect(result.accepted).toBe(CUSTOMERS);

    expected = {};
    for (const a of inExperiment) expected[a.variant ?? ''] = (expected[a.variant ?? ''] ?? 0) + 1;
    expect(Object.keys(expected).sort()).toEqual(['holdout', 'treated']);

    // No reload: the page polls every few seconds while the experiment runs.
    for (const [variant, count] of Object.entries(expected)) {
      await expect
        .poll(() => page.getByTestId(`exposed-${variant}`).textContent(), { timeout: 20_000 })
        .toBe(count.toLocaleString('en-GB'));
    }
    expect(await page.getByTestId('total-exposed').textContent()).toBe(CUSTOMERS.toLocaleString('en-GB'));
    await page.screenshot({ path: join(screenshotDir, '2-live-exposures.png'), fullPage: true });
  });

  it('finds a customer and shows their assignment and exposure event', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Search').fill('journey-0007');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'journey-0007' }).click();
    await page.getByRole('heading', { name: /journey-0007/ }).waitFor();
    await page.getByRole('link', { name: 'Win-back email holdout' }).waitFor();
    expect(await page.locator('table').last().textContent()).toContain('exposure');
    await page.screenshot({ path: join(screenshotDir, '3-customer.png'), fullPage: true });
  });

  it('imports customers from a CSV and reports the rejected row', async () => {
    await page.getByRole('link', { name: 'Imports' }).click();
    await page.getByLabel('What are you importing?').selectOption('customers');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'customers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'External ID,segment,country\nimport-1,vip,DE\nimport-2,vip,Germany\nimport-3,,US\n',
      ),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.getByTestId('import-total').textContent()).toBe('3');
    expect(await page.getByTestId('import-accepted').textContent()).toBe('2');
    expect(await page.getByTestId('import-rejected').textContent()).toBe('1');
    const errors = (await page.getByTestId('import-errors').textContent()) ?? '';
    expect(errors).toContain('country');
    expect(errors).toContain('two-letter country code');
    await page.screenshot({ path: join(screenshotDir, '4-import.png'), fullPage: true });
  });

  it('never shows an executive an edit or status control', async () => {
    const created = (await page.evaluate(async () => {
      const res = await fetch('/v1/users', {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'exec@liftlab.test',
          name: 'Exec',
          role: 'executive',
          password: 'executive-password-1',
        }),
      });
      return res.status;
    })) as number;
    expect(created).toBe(201);

    const execContext = await browser.newContext({
      baseURL: api.url,
      viewport: { width: 1280, height: 900 },
    });
    const exec = await execContext.newPage();
    await exec.goto('/login');
    await exec.getByLabel('Email').fill('exec@liftlab.test');
    await exec.getByLabel('Password').fill('executive-password-1');
    await exec.getByRole('button', { name: 'Sign in' }).click();
    // Executives start on the portfolio; the experiments are one click away.
    await exec.waitForURL(/\/reports\/portfolio$/);
    await exec.getByRole('link', { name: 'Experiments', exact: true }).click();
    await exec.getByRole('heading', { name: 'Experiments' }).waitFor();
    expect(await exec.getByRole('link', { name: 'New experiment' }).count()).toBe(0);
    expect(await exec.getByRole('link', { name: 'Settings' }).count()).toBe(0);

    await exec.goto(experimentUrl);
    await exec.getByTestId('exposure-table').waitFor();
    for (const name of ['Edit', 'Start', 'Ramp', 'Stop', 'Conclude']) {
      expect(await exec.getByRole('button', { name, exact: true }).count()).toBe(0);
      expect(await exec.getByRole('link', { name, exact: true }).count()).toBe(0);
    }
    await exec.screenshot({ path: join(screenshotDir, '5-executive.png'), fullPage: true });
    // The counts are there for them to read.
    for (const [variant, count] of Object.entries(expected)) {
      expect(await exec.getByTestId(`exposed-${variant}`).textContent()).toBe(count.toLocaleString('en-GB'));
    }
    // And the API refuses anyway.
    const refused = await exec.evaluate(async (path) => {
      const id = path.split('/').pop() ?? '';
      const res = await fetch(`/v1/experiments/${id}/stop`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return res.status;
    }, experimentUrl);
    expect(refused).toBe(403);
    await execContext.close();
  });

  it('ramps, stops and concludes the experiment', async () => {
    await page.goto(experimentUrl);
    await page.getByRole('button', { name: 'Ramp', exact: true }).click();
    await page.getByLabel('Coverage (%)').fill('50');
    await page.getByRole('button', { name: 'Confirm ramp' }).click();
    await expect.poll(() => page.locator('.facts').first().textContent()).toContain('Coverage50%');

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByLabel('Reason (optional)').fill('Enough evidence');
    await page.getByRole('button', { name: 'Confirm stop' }).click();
    await expect.poll(() => page.locator('.badge').first().textContent()).toBe('Stopped');
    expect(await page.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Conclude', exact: true }).click();
    await page.getByLabel('Decision').selectOption('ship');
    await page.getByLabel('Winning variant').selectOption('treated');
    await page.getByRole('button', { name: 'Confirm conclude' }).click();
    await expect.poll(() => page.locator('.badge').first().textContent()).toBe('Concluded');
    expect(await page.getByRole('button', { name: 'Conclude', exact: true }).count()).toBe(0);
    // Final counts stay readable after the end.
    expect(await page.getByTestId('total-exposed').textContent()).toBe(CUSTOMERS.toLocaleString('en-GB'));
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
