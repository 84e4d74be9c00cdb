import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignPlan, CampaignRoi, ExperimentResults } from '@liftlab/contracts';
import { ensureBuilt, startApi, type RunningApi } from './server';
import { call, createExperimentFixture, signIn, type ExperimentFixture, type Session } from './campaign-data';

/**
 * The money journey: results of a holdout test with a real lift, then its campaign. A marketer-admin reads the
 * results, creates the campaign (no return without costs), adds costs and sees the ROI and its verdict appear,
 * adds a large media cost and sees the verdict turn, and plans the next campaign. An executive signs in, lands on the portfolio, exports it, opens
 * the campaign and finds nothing to edit; the API refuses their edit too.
 */

const ADMIN_EMAIL = 'roi-admin@liftlab.test';
const ADMIN_PASSWORD = 'roi-admin-password-1';
const EXEC_EMAIL = 'roi-exec@liftlab.test';
const EXEC_PASSWORD = 'roi-exec-password-1';
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
let page: Page;
let admin: Session;
let fixture: ExperimentFixture;
let campaignId = '';
const CAMPAIGN_NAME = 'Win-back spring campaign';
const screenshotDir = mkdtempSync(join(tmpdir(), 'liftlab-roi-'));
const pageErrors: string[] = [];

/** "+798%", "−3.8%" → 7.98, −0.038 (the page uses a true minus sign). */
function percentText(text: string | null): number {
  const cleaned = (text ?? '').replace('−', '-').replace('+', '').replace('%', '').trim();
  return Number(cleaned) / 100;
}

/**
 * Paper is laid out once, without the resize events the screen gets: charts keep their screen size and must
 * scale with the print stylesheet. The page is frozen that way, shown as print media at A4 width, and shot.
 */
const FREEZE_RESIZE = `(() => {
  const Native = window.ResizeObserver;
  window.ResizeObserver = class extends Native {
    constructor(callback) {
      super((entries, observer) => { if (!window.__frozenForPrint) callback(entries, observer); });
    }
  };
})();`;

async function printScreenshot(p: Page, path: string): Promise<void> {
  const viewport = p.viewportSize();
  await p.evaluate(() => ((window as unknown as { __frozenForPrint: boolean }).__frozenForPrint = true));
  await p.emulateMedia({ media: 'print' });
  await p.setViewportSize({ width: 794, height: 1123 });
  await p.screenshot({ path, fullPage: true });
  await p.emulateMedia({ media: 'screen' });
  if (viewport) await p.setViewportSize(viewport);
  await p.evaluate(() => ((window as unknown as { __frozenForPrint: boolean }).__frozenForPrint = false));
}

async function signInPage(p: Page, email: string, password: string): Promise<void> {
  await p.goto('/login');
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

async function addCost(p: Page, kind: string, label: string, values: Record<string, string>): Promise<void> {
  await p.getByRole('button', { name: 'Add cost', exact: true }).click();
  const form = p.getByRole('form', { name: 'Add a cost' });
  await form.getByLabel('Kind of cost').selectOption(kind);
  await form.getByLabel('Label', { exact: true }).fill(label);
  for (const [field, value] of Object.entries(values))
    await form.getByLabel(field, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Add to ledger' }).click();
  await p.getByTestId(`cost-${label}`).waitFor();
}

beforeAll(async () => {
  ensureBuilt();
  api = await startApi({ adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
  admin = await signIn(api.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  fixture = await createExperimentFixture(admin);
  await call(admin, '/v1/users', {
    body: { email: EXEC_EMAIL, name: 'Erin Executive', role: 'executive', password: EXEC_PASSWORD },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ baseURL: api.url, viewport: { width: 1280, height: 1000 } });
  await context.addInitScript(FREEZE_RESIZE);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(15_000);
  await signInPage(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.waitForURL(/\/experiments$/);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  console.info(`roi screenshots: ${screenshotDir}`);
});

describe('results, ROI and the executive portfolio in headless Chromium', () => {
  it('shows each metric with its lift, interval bar, p-value and a sentence in plain words', async () => {
    const results = await call<ExperimentResults>(admin, `/v1/experiments/${fixture.experimentId}/results`);
    await page.goto(`/experiments/${fixture.experimentId}`);
    await page.getByRole('link', { name: 'Results', exact: true }).click();
    await page.getByTestId('metric-table').waitFor();

    expect(await page.getByTestId('results-verdict').textContent()).toBe(results.verdict.reason);
    for (const metric of results.metrics) {
      const treated = metric.variants.find((v) => !v.isControl);
      const relative = treated?.relative;
      if (!treated || !relative) throw new Error(`no lift for ${metric.key}`);
      const shown = await page.getByTestId(`lift-${metric.key}-${treated.key}`).textContent();
      expect(
        Math.abs(percentText(shown?.match(/^[^\d−+]*([−+]?[\d.,]+%)/)?.[1] ?? '') - relative.estimate),
      ).toBeLessThan(0.01);
      const words = (await page.getByTestId(`words-${metric.key}-${treated.key}`).textContent()) ?? '';
      // The fixture's treated customers really do buy more: both metrics come out better, in words.
      expect(treated.verdict).toBe('better');
      expect(words).toMatch(/^Win-back series works: .* higher than for Holdout/);
      expect(words).toContain('unlikely to be chance');
    }
    expect(await page.locator('svg.interval-bar').count()).toBe(results.metrics.length);

    await page.getByLabel('Break down by').selectOption('segment');
    await page.getByTestId('breakdown-caveat').waitFor();
    await page.getByTestId('group-lapsed').waitFor();
    await page.getByTestId('group-regular').waitFor();
    await page.getByTestId('cumulative-chart').locator('.recharts-wrapper').waitFor();
    await page.screenshot({ path: join(screenshotDir, '1-results.png'), fullPage: true });
    await printScreenshot(page, join(screenshotDir, '1-results-print.png'));
  });

  it('creates a campaign on the experiment, which has no return until its costs are entered', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.locator('[data-field-error="experimentId"]').waitFor();

    await page.getByLabel('Name', { exact: true }).fill(CAMPAIGN_NAME);
    expect(await page.getByLabel('Key', { exact: true }).inputValue()).toBe('win-back-spring-campaign');
    await page.getByLabel('Program').fill('winback');
    await page
      .getByLabel('Measured by experiment')
      .selectOption({ label: `${fixture.experimentName} (holdout test, running)` });
    await page.getByLabel('Retention', { exact: true }).fill('140');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    expect(await page.locator('[data-field-error="margin-retention"]').textContent()).toContain(
      'at most 100%',
    );
    await page.getByLabel('Retention', { exact: true }).fill('40');
    await page.getByRole('button', { name: 'Create campaign' }).click();

    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    campaignId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByRole('heading', { name: CAMPAIGN_NAME }).waitFor();
    expect(await page.getByTestId('roi-missing').textContent()).toContain('cost ledger is empty');
  });

  it('adds costs and shows the ROI, its verdict, the waterfall and the payback curve', async () => {
    await addCost(page, 'people', 'CRM manager', { Hours: '40', 'Loaded hourly rate': '60' });
    await addCost(page, 'incentives', 'Win-back voucher', {
      Redemptions: '120',
      'Discount per redemption': '10',
    });
    await page.getByTestId('roi-verdict').waitFor();

    const roi = await call<CampaignRoi>(admin, `/v1/campaigns/${campaignId}/roi`);
    expect(roi.costs.total).toBe(40 * 60 + 120 * 10);
    expect(roi.projected.verdict).toBe('proven');
    await expect.poll(() => page.getByTestId('roi-verdict-label').textContent()).toContain('Proven to pay');
    expect(
      Math.abs(
        percentText(await page.getByTestId('roi-estimate').textContent()) - roi.projected.roi.estimate,
      ),
    ).toBeLessThan(0.01);
    expect(await page.getByTestId('ledger-total').textContent()).toBe('3,600');
    expect(await page.getByTestId('roi-payback').textContent()).toBe(`Month ${roi.projected.paybackMonth}`);
    const waterfall = (await page.getByTestId('waterfall-table').textContent()) ?? '';
    expect(waterfall).toContain('Retention margin');
    expect(waterfall).toContain('People');
    expect(waterfall).toContain('Incentives');
    await page.getByTestId('roi-waterfall').locator('.recharts-wrapper').waitFor();
    await page
      .getByTestId('payback-chart')
      .getByText(`Pays back in month ${roi.projected.paybackMonth}`)
      .waitFor();
    // The curve is drawn from the ledger month by month; where it crosses must be where the API says.
    expect(await page.getByTestId('payback-chart').getAttribute('data-curve-payback')).toBe(
      String(roi.projected.paybackMonth),
    );
    await page.screenshot({ path: join(screenshotDir, '2-roi-proven.png'), fullPage: true });
  });

  it('turns the verdict when a large media cost is added', async () => {
    const before = percentText(await page.getByTestId('roi-estimate').textContent());
    await addCost(page, 'media', 'Paid social', { Amount: '30000' });
    await expect
      .poll(() => page.getByTestId('roi-verdict-label').textContent())
      .toContain('Real lift, not yet paying');
    const roi = await call<CampaignRoi>(admin, `/v1/campaigns/${campaignId}/roi`);
    expect(roi.projected.verdict).toBe('incremental_not_profitable');
    const after = percentText(await page.getByTestId('roi-estimate').textContent());
    expect(after).toBeLessThan(before);
    expect(Math.abs(after - roi.projected.roi.estimate)).toBeLessThan(0.01);
    expect(await page.getByTestId('waterfall-table').textContent()).toContain('Media');
    expect(await page.getByTestId('roi-payback').textContent()).toBe('Not within horizon');
    expect(await page.getByTestId('payback-chart').getAttribute('data-curve-payback')).toBe('never');

    await page.getByLabel('Break down by').selectOption('segment');
    await page.getByTestId('roi-breakdown').waitFor();
    expect(await page.getByTestId('roi-breakdown').textContent()).toContain('lapsed');

    // The program's trend over launch quarters, as the API computes it.
    const program = await call<{ trend: { quarter: string; campaigns: number }[] }>(
      admin,
      `/v1/programs/${encodeURIComponent(roi.benchmark.programKey)}/targets`,
    );
    expect(program.trend.length).toBeGreaterThan(0);
    const trendRows = page.getByRole('table', { name: /ROI by launch quarter/ }).locator('tbody tr');
    await expect.poll(() => trendRows.count()).toBe(program.trend.length);
    expect(await trendRows.first().locator('th').textContent()).toBe(program.trend[0]?.quarter);
    await page.screenshot({ path: join(screenshotDir, '3-roi-not-paying.png'), fullPage: true });
    await printScreenshot(page, join(screenshotDir, '4-roi-print.png'));
  });

  it('plans a campaign: what-if ROI and whether the test can prove the break-even lift', async () => {
    await page.goto('/campaigns/plan');
    await page.getByTestId('plan-result').waitFor();
    await page.getByLabel('Holdout share (%)').fill('20');
    await page.getByRole('button', { name: 'Work out the plan' }).click();
    await expect.poll(() => page.getByTestId('plan-comparison').textContent()).toContain('20% holdout');
    const plan = await call<CampaignPlan>(admin, '/v1/campaigns/plan', {
      body: {
        audienceSize: 20000,
        holdoutShare: 0.2,
        metric: { type: 'mean', baselineMean: 20, standardDeviation: 40 },
        assumedLift: 0.05,
        stream: 'retention',
        grossMargin: 0.4,
        horizonMonths: 12,
        annualDiscountRate: 0.1,
        costs: [
          { category: 'media', label: 'Email and paid social', amount: 15000, month: 0 },
          {
            category: 'incentives',
            label: 'Win-back voucher',
            redemptions: 1000,
            discountPerRedemption: 10,
            month: 0,
          },
        ],
        alpha: 0.05,
        power: 0.8,
      },
    });
    const result = (await page.getByTestId('plan-result').textContent()) ?? '';
    expect(result).toContain(
      plan.canProvePayback
        ? 'The test can prove whether this campaign pays.'
        : 'The test cannot prove this campaign pays.',
    );
    expect(
      Math.abs(percentText(await page.getByTestId('plan-roi').textContent()) - plan.whatIf.roi),
    ).toBeLessThan(0.01);
    if (!plan.canProvePayback)
      expect(await page.getByTestId('plan-proposals').locator('li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshotDir, '5-plan.png'), fullPage: true });
  });

  it('lands an executive on the portfolio, exports it, and shows no edit control anywhere', async () => {
    const context = await browser.newContext({
      baseURL: api.url,
      viewport: { width: 1280, height: 1000 },
      acceptDownloads: true,
    });
    await context.addInitScript(FREEZE_RESIZE);
    const exec = await context.newPage();
    exec.on('pageerror', (error) => pageErrors.push(error.message));
    exec.setDefaultTimeout(15_000);
    await signInPage(exec, EXEC_EMAIL, EXEC_PASSWORD);
    await exec.waitForURL(/\/reports\/portfolio$/);
    const row = exec.getByTestId('portfolio-row-win-back-spring-campaign');
    await row.waitFor();
    expect(await row.textContent()).toContain('Real lift, not yet paying');
    expect(await exec.getByTestId('portfolio-headline').textContent()).toMatch(
      /^1 campaign launched, 1 measured/,
    );
    await exec.getByTestId('roi-distribution').locator('.recharts-wrapper').waitFor();

    const [download] = await Promise.all([
      exec.waitForEvent('download'),
      exec.getByTestId('portfolio-csv').click(),
    ]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.split('\n')[0]).toContain('campaign_key');
    expect(csv).toContain('win-back-spring-campaign');

    await exec.screenshot({ path: join(screenshotDir, '6-portfolio.png'), fullPage: true });
    await printScreenshot(exec, join(screenshotDir, '7-portfolio-print.png'));

    const editControls = [
      'Add cost',
      'Edit terms',
      'Delete',
      'Edit',
      'Remove',
      'New campaign',
      'Set target ROI',
    ];
    const noEditControl = async () => {
      for (const name of editControls) {
        expect(await exec.getByRole('button', { name, exact: true }).count(), name).toBe(0);
        expect(await exec.getByRole('link', { name, exact: true }).count(), name).toBe(0);
      }
    };
    await noEditControl();
    await row.getByRole('link', { name: CAMPAIGN_NAME }).click();
    await exec.getByTestId('roi-verdict').waitFor();
    await exec.getByTestId('cost-Paid social').waitFor();
    await noEditControl();
    await exec.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await exec.getByTestId('campaign-list').waitFor();
    await noEditControl();
    await exec.screenshot({ path: join(screenshotDir, '8-executive-campaigns.png'), fullPage: true });

    // The API refuses anyway.
    const refused = await exec.evaluate(async (id) => {
      const res = await fetch(`/v1/campaigns/${id}/costs`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'media', label: 'sneaky', amount: 1 }),
      });
      return res.status;
    }, campaignId);
    expect(refused).toBe(403);
    await context.close();
  });

  it('raised no error in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
