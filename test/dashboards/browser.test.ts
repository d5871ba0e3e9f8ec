import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dashboards } from '../../dashboards/registry.js';
import { writeStaticBundle } from '../../dashboards/static-bundle.js';
import * as f from './fixtures.js';
import { openBuiltWorld, type BuiltWorld } from './world.js';

/**
 * Real-browser tests: Debian's headless Chromium (never a downloaded browser) against the real app on
 * 127.0.0.1 with a real, built store. Every non-loopback request is aborted, so a page that needed the
 * internet would fail here.
 */
const chromiumPath = '/usr/bin/chromium';
const available = existsSync(chromiumPath);
if (!available && process.env.CI !== 'true') {
  console.warn(`browser tests skipped: ${chromiumPath} is missing (apt-get install chromium; under CI=true they run and fail without it)`);
}
const screenshots = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

describe.skipIf(!available && process.env.CI !== 'true')('dashboards in headless Chromium', () => {
  let world: BuiltWorld;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  const blocked: string[] = [];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    world = await openBuiltWorld();
    await world.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(world.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    // Offline proof: only the loopback server may answer.
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'file:') return route.continue();
      blocked.push(url.href);
      return route.abort('internetdisconnected');
    });
    // Sign in the way a person does: the /login form sets the session cookie.
    const page = await context.newPage();
    await page.goto(`${base}/login?next=/dashboards/`);
    await page.fill('input[name="key"]', world.keys.finance);
    await Promise.all([page.waitForURL(`${base}/dashboards/`), page.click('button[type="submit"]')]);
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  /** A page that records console errors, uncaught exceptions, failed requests and error responses. */
  async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    return { page, problems };
  }

  const markCount = (page: Page): Promise<number> => page.locator('#chart svg g.role-mark > path, #chart svg g.role-mark > rect, #chart svg g.role-mark > line, #chart svg g.role-mark > text').count();

  test('the index lists every dashboard and renders without errors', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${base}/dashboards/`);
    expect(await page.locator('.cards li').count()).toBe(dashboards.length);
    await page.screenshot({ path: join(screenshots, 'index.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  for (const dashboard of dashboards) {
    test(`${dashboard.name}: draws marks, no console error, no failed or external request`, async () => {
      const { page, problems } = await watchedPage();
      await page.goto(`${base}/dashboards/${dashboard.name}`);
      await page.waitForSelector('body[data-rendered]');
      expect(await page.getAttribute('body', 'data-rendered')).toBe('true');
      expect(await markCount(page)).toBeGreaterThan(0);
      await page.screenshot({ path: join(screenshots, `${dashboard.name}.png`), fullPage: true });
      expect(problems).toEqual([]);
      expect(blocked).toEqual([]);
      await page.close();
    });
  }

  test('clicking a batch drills down to exactly its RMAs', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${base}/dashboards/batch-quality`);
    await page.waitForSelector('body[data-rendered="true"]');
    const batchPoints = page.locator('#chart svg g.mark-symbol.role-mark').first().locator('path');
    expect(await batchPoints.count()).toBe(8);
    const point = batchPoints.nth(2);
    await Promise.all([page.waitForURL(/\/dashboards\/rmas\?batch_id=/), point.click({ force: true })]);
    const batchId = new URL(page.url()).searchParams.get('batch_id')!;
    await page.waitForSelector('body[data-rendered]');
    expect(await page.getAttribute('body', 'data-rendered')).toBe('true');
    const [{ n }] = await world.store.all<{ n: number }>('SELECT count(*) AS n FROM rma WHERE batch_id = $1', [batchId]);
    expect(n).toBeGreaterThan(0);
    const rows = page.locator('#rmas tbody tr');
    expect(await rows.count()).toBe(Math.min(n, 100));
    const batchColumn = (await page.locator('#rmas thead th').allTextContents()).indexOf('batch id');
    const shown = await rows.evaluateAll((trs, col) => trs.map((tr) => tr.children[col].textContent), batchColumn);
    expect(new Set(shown)).toEqual(new Set([batchId]));
    await page.screenshot({ path: join(screenshots, 'drilldown-batch.png'), fullPage: true });

    // Paging: with 20 a page, "More" follows X-Next-Cursor until every RMA of the batch is listed once.
    await page.goto(`${base}/dashboards/rmas?batch_id=${encodeURIComponent(batchId)}&limit=20`);
    await page.waitForSelector('body[data-rendered="true"]');
    for (let pages = 1; await page.locator('#rmas-more').isVisible(); pages++) {
      expect(pages).toBeLessThan(20);
      const before = await rows.count();
      await page.click('#rmas-more');
      await page.waitForFunction((count) => document.querySelectorAll('#rmas tbody tr').length > count, before);
    }
    expect(await rows.count()).toBe(n);
    const keys = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-rma-key')));
    expect(new Set(keys).size).toBe(n);
    expect(await page.locator('#rmas-status').textContent()).toBe(`${n} RMAs`);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('clicking a heatmap cell drills down by firmware build and failure code', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${base}/dashboards/firmware-heatmap`);
    await page.waitForSelector('body[data-rendered="true"]');
    const cell = page.locator('#chart svg g.mark-rect.role-mark').first().locator('path').first();
    await Promise.all([page.waitForURL(/\/dashboards\/rmas\?/), cell.click({ force: true })]);
    const params = new URL(page.url()).searchParams;
    expect(params.get('firmware_version')).toBeTruthy();
    expect(params.get('failure_code')).toBeTruthy();
    await page.waitForSelector('body[data-rendered]');
    expect(await page.getAttribute('body', 'data-rendered')).toBe('true');
    expect(await page.locator('#rmas-status').textContent()).toMatch(/^(\d+ RMAs?|No RMAs match\.)$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the interception is real: a request to the internet from a page is blocked', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/dashboards/`);
    const before = blocked.length;
    const outcome = await page.evaluate(() => fetch('https://cdn.jsdelivr.net/npm/vega@6').then(() => 'loaded', () => 'blocked'));
    expect(outcome).toBe('blocked');
    blocked.splice(before);
    await page.close();
  });

  test('the static bundle opens from the file system: the interactive page draws with the copied vendor scripts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rma-bundle-browser-'));
    try {
      const data = { batches: f.batchRows, firmware: f.firmwareRows, reserve: f.reserveRows, pareto: f.paretoRows, nevada: f.nevadaRows, weibull: f.weibullRows, km_curves: f.kmRows, sla: f.slaRows, ntf: f.ntfRows };
      await writeStaticBundle(dir, { data, alerts: f.alertRows });
      for (const name of ['batch-quality', 'reserve-burn']) {
        const { page, problems } = await watchedPage();
        await page.goto(`file://${dir}/interactive/${name}.html`);
        await page.waitForSelector('body[data-rendered]');
        expect(await page.getAttribute('body', 'data-rendered')).toBe('true');
        expect(await markCount(page)).toBeGreaterThan(0);
        await page.screenshot({ path: join(screenshots, `bundle-${name}.png`), fullPage: true });
        expect(problems).toEqual([]);
        await page.close();
      }
      expect(blocked).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
