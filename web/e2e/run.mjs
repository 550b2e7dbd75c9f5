// End-to-end test of the dashboard in Debian's chromium against the real server and a reference
// dataset. Asserts behaviour (no console errors, figures equal to the API's, filters in the URL,
// drill-down); reports page-load and redraw times without asserting them; saves a screenshot of
// every page to docs/screenshots.
//
// Environment: CCANALYTICS_BIN (default ../build/ccanalytics), CCANALYTICS_DATASETS (default
// ../../shared/datasets), CCANALYTICS_E2E_DATASET (default reference-30u-500s), CHROMIUM_PATH
// (default /usr/bin/chromium), CCANALYTICS_SCREENSHOTS (default ../docs/screenshots).

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { money, overviewKpis } from './expected.mjs';
import { startServer } from './server.mjs';

const WEB = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.resolve(WEB, process.env.CCANALYTICS_BIN ?? '../build/ccanalytics');
const datasetName = process.env.CCANALYTICS_E2E_DATASET ?? 'reference-30u-500s';
const datasetDir = path.resolve(WEB, process.env.CCANALYTICS_DATASETS ?? '../../shared/datasets', datasetName);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotsDir = path.resolve(WEB, process.env.CCANALYTICS_SCREENSHOTS ?? '../docs/screenshots');
// The reference generator's documented total for the small dataset (telemetry-format.md).
const DOCUMENTED_TOTAL_COST = { 'reference-30u-500s': 652.18 };

const PAGES = [
  { name: 'overview', path: '/' },
  { name: 'teams', path: '/teams' },
  { name: 'models', path: '/models' },
  { name: 'tools', path: '/tools' },
  { name: 'reliability', path: '/reliability' },
  { name: 'activity', path: '/activity' },
  { name: 'sessions', path: '/sessions' },
  { name: 'users', path: '/users' },
  { name: 'quality', path: '/quality' },
];

const failures = [];
const timings = [];

function check(condition, message) {
  if (!condition) failures.push(message);
  return condition;
}

function equal(actual, expected, what) {
  return check(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function api(baseUrl, pathAndQuery) {
  const response = await fetch(`${baseUrl}${pathAndQuery}`);
  if (!response.ok) throw new Error(`GET ${pathAndQuery}: ${response.status} ${await response.text()}`);
  return response.json();
}

// Every panel on the page has settled: its figures are current (not busy) and not loading.
async function waitForData(page, timeout = 20_000) {
  await page.waitForFunction(
    () => {
      const panels = [...document.querySelectorAll('section.panel')];
      return (
        panels.length > 0 &&
        panels.every((p) => p.getAttribute('aria-busy') === 'false' && p.dataset.status !== 'loading')
      );
    },
    null,
    { timeout, polling: 'raf' },
  );
  const failed = await page.$$eval('section.panel[data-status="error"]', (panels) =>
    panels.map((p) => `${p.querySelector('h2')?.textContent}: ${p.querySelector('[role=alert]')?.textContent}`),
  );
  for (const f of failed) failures.push(`panel shows an error on ${page.url()}: ${f}`);
}

async function kpiValues(page) {
  return page.$$eval('[data-kpi]', (cards) =>
    Object.fromEntries(cards.map((c) => [c.dataset.kpi, c.querySelector('.kpi__value')?.textContent])),
  );
}

async function screenshot(page, name) {
  // Charts animate for 250 ms after their data arrives.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

async function openPage(page, baseUrl, name, pathAndQuery) {
  const started = performance.now();
  await page.goto(`${baseUrl}${pathAndQuery}`, { waitUntil: 'commit' });
  await waitForData(page);
  const ms = performance.now() - started;
  timings.push({ what: `load ${name}`, ms });
  return ms;
}

async function testOverview(page, baseUrl) {
  await openPage(page, baseUrl, 'overview', '/');
  const all = await api(baseUrl, '/api/v1/summary');
  const shown = await kpiValues(page);
  for (const [id, value] of Object.entries(overviewKpis(all))) equal(shown[id], value, `Overview KPI ${id}`);
  const documented = DOCUMENTED_TOTAL_COST[datasetName];
  if (documented !== undefined) equal(shown.cost, money(documented), 'Overview total cost against the dataset documentation');
  await screenshot(page, 'overview');

  // A filter from the filter bar: the URL records it and every figure follows.
  const facets = await api(baseUrl, '/api/v1/facets');
  const practice = facets.practice[0];
  await page.getByRole('button', { name: /^Practice/ }).click();
  const started = performance.now();
  await page.getByRole('checkbox', { name: practice }).check();
  await page.waitForFunction((p) => new URL(location.href).searchParams.get('practice') === p, practice);
  const filtered = await api(baseUrl, `/api/v1/summary?practice=${encodeURIComponent(practice)}`);
  const expected = overviewKpis(filtered);
  await page.waitForFunction(
    (cost) => document.querySelector('[data-kpi="cost"] .kpi__value')?.textContent === cost,
    expected.cost,
    { timeout: 10_000, polling: 'raf' },
  );
  await waitForData(page);
  timings.push({ what: 'redraw Overview after a practice filter', ms: performance.now() - started });
  const afterFilter = await kpiValues(page);
  for (const [id, value] of Object.entries(expected)) equal(afterFilter[id], value, `Overview KPI ${id} with practice=${practice}`);
  check(afterFilter.cost !== shown.cost, 'the practice filter changed the total cost');
  await page.keyboard.press('Escape');

  // A preset period: compared with the period before it.
  const lastDay = all.last_event.slice(0, 10);
  const presetStarted = performance.now();
  await page.getByRole('combobox', { name: 'Date range preset' }).selectOption('7d');
  await page.waitForFunction((to) => new URL(location.href).searchParams.get('to') === to, lastDay);
  const search = new URL(page.url()).searchParams;
  equal(search.get('practice'), practice, 'the practice filter survives a period change');
  const weekFilters = new URLSearchParams({ from: search.get('from'), to: search.get('to'), practice });
  const week = await api(baseUrl, `/api/v1/summary?${weekFilters}`);
  await page.waitForFunction(
    (cost) => document.querySelector('[data-kpi="cost"] .kpi__value')?.textContent === cost,
    overviewKpis(week).cost,
    { timeout: 10_000, polling: 'raf' },
  );
  await waitForData(page);
  timings.push({ what: 'redraw Overview after a period preset', ms: performance.now() - presetStarted });
  const change = await page.$eval('[data-kpi="cost"] .kpi__change', (e) => e.textContent);
  check(/vs previous period/.test(change), `the cost KPI compares with the previous period (shows "${change}")`);

  // Back to the unfiltered view through history, as a user would.
  await page.goBack();
  await page.goBack();
  await waitForData(page);
  equal((await kpiValues(page)).cost, overviewKpis(all).cost, 'Back restores the unfiltered Overview');
}

async function testSessionDrillDown(page, baseUrl) {
  await openPage(page, baseUrl, 'sessions', '/sessions');
  await screenshot(page, 'sessions');
  const list = await api(baseUrl, '/api/v1/sessions?limit=1&sort=start&order=desc');
  const first = list.rows[0];
  await page.locator('table a[href^="/sessions/"]').first().click();
  await page.waitForURL((url) => url.pathname === `/sessions/${first.session_id}`);
  await waitForData(page);
  const detail = await api(baseUrl, `/api/v1/sessions/${encodeURIComponent(first.session_id)}`);
  const shown = await page.$$eval('ol.timeline > li', (items) => items.map((i) => i.dataset.event));
  equal(shown.length, detail.events.length, 'session page lists every event of the session');
  equal(shown.join(','), detail.events.map((e) => e.event).join(','), 'session events in the API order');
  await screenshot(page, 'session');
}

async function testUserPage(page, baseUrl) {
  await openPage(page, baseUrl, 'users', '/users');
  await screenshot(page, 'users');
  const top = (await api(baseUrl, '/api/v1/users?limit=1&sort=cost_usd&order=desc')).rows[0];
  await openPage(page, baseUrl, 'user', `/users/${encodeURIComponent(top.email)}`);
  equal((await kpiValues(page)).cost, money(top.cost_usd), 'user page cost');
  await screenshot(page, 'user');
}

async function main() {
  if (!existsSync(path.join(datasetDir, 'telemetry_logs.jsonl.gz'))) {
    console.log(`e2e: SKIPPED: the reference dataset is not at ${datasetDir} (set CCANALYTICS_DATASETS).`);
    return 0;
  }
  for (const [what, file, hint] of [
    ['the ccanalytics binary', bin, 'build it with `make build`, or set CCANALYTICS_BIN'],
    ['chromium', chromiumPath, 'install it with `apt-get install -y chromium`, or set CHROMIUM_PATH'],
    ['the built dashboard', path.join(WEB, 'dist/index.html'), 'run `npm run build`'],
  ]) {
    if (!existsSync(file)) throw new Error(`${what} is missing at ${file}: ${hint}`);
  }

  console.log(`e2e: ingesting ${datasetName} and starting ${bin}`);
  const server = await startServer({ bin, datasetDir });
  const profile = await mkdtemp(path.join(tmpdir(), 'ccanalytics-chromium-'));
  let browser;
  try {
    const { baseUrl } = server;
    console.log(`e2e: ${server.ingestReport.accepted} events accepted; serving on ${baseUrl}`);
    const index = await fetch(`${baseUrl}/`).then((r) => r.text());
    const built = await readFile(path.join(WEB, 'dist/index.html'), 'utf8');
    if (index !== built) {
      throw new Error('the binary serves another build of the dashboard than web/dist: rebuild it after `npm run build` (`make build`)');
    }

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
      ],
    });
    await mkdir(screenshotsDir, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} for ${response.url()}`);
    });

    await testOverview(page, baseUrl);
    for (const { name, path: pagePath } of PAGES.filter((p) => !['overview', 'sessions', 'users'].includes(p.name))) {
      await openPage(page, baseUrl, name, pagePath);
      await screenshot(page, name);
    }
    await testSessionDrillDown(page, baseUrl);
    await testUserPage(page, baseUrl);

    // Keyboard: the first Tab reaches the skip link, which leads to the content.
    await page.goto(`${baseUrl}/`);
    await page.keyboard.press('Tab');
    equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'first Tab stop');

    // Dark theme, and a tablet's width without sideways scrolling.
    await waitForData(page);
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await screenshot(page, 'overview-dark');
    const tablet = await context.newPage();
    await tablet.setViewportSize({ width: 820, height: 1180 });
    await tablet.goto(`${baseUrl}/`);
    await waitForData(tablet);
    const overflow = await tablet.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `the tablet layout scrolls sideways by ${overflow} px`);
    await screenshot(tablet, 'overview-tablet');

    for (const error of consoleErrors) failures.push(`console or network error: ${error}`);
  } finally {
    await browser?.close();
    await server.stop();
    await rm(profile, { recursive: true, force: true });
  }

  console.log(`\ne2e timings on ${datasetName} (loopback; reported, not asserted):`);
  for (const t of timings) console.log(`  ${t.what.padEnd(44)} ${t.ms.toFixed(0).padStart(6)} ms`);
  console.log(`screenshots in ${screenshotsDir}`);
  if (failures.length > 0) {
    console.error(`\ne2e: ${failures.length} failure(s):`);
    for (const f of failures) console.error(`  - ${f}`);
    return 1;
  }
  console.log('\ne2e: all checks passed');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`e2e: ${error.stack ?? error}`);
    process.exit(1);
  },
);
