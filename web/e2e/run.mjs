// End-to-end test of the dashboard in Debian's chromium against the real server and a reference
// dataset. Asserts behaviour (no console errors, figures equal to the API's, filters in the URL,
// drill-down); reports page-load and redraw times without asserting them; saves a screenshot of
// every page to docs/screenshots.
//
// Then, on a store of its own that holds access tokens, signing in, a scoped viewer, signing out
// and a revoked token (accessControl.mjs); and on a store the binary generates with known
// incidents, the Insights page: anomalies, forecast, budgets and their webhooks, the report
// (insights.mjs). Every page must run under the server's Content-Security-Policy without a
// violation (csp.mjs).
//
// Environment: CCANALYTICS_BIN (default ../build/ccanalytics), CCANALYTICS_DATASETS (default
// ../../shared/datasets), CCANALYTICS_E2E_DATASET (default reference-30u-500s), CHROMIUM_PATH
// (default /usr/bin/chromium), CCANALYTICS_SCREENSHOTS (default ../docs/screenshots),
// CCANALYTICS_E2E_ONLY (comma-separated steps to run alone, e.g. `insights`; report.mjs).

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { testAccessControl } from './accessControl.mjs';
import { CONTENT_SECURITY_POLICY, inlineCodeIn, watchCsp } from './csp.mjs';
import { count, money, overviewKpis, percent } from './expected.mjs';
import { testInsights } from './insights.mjs';
import { kpiValues, waitForData } from './pageState.mjs';
import { testErrorsExplained, testWhatChanged } from './questions.mjs';
import { check, equal, failures, step } from './report.mjs';
import { startServer } from './server.mjs';

const WEB = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.resolve(WEB, process.env.CCANALYTICS_BIN ?? '../build/ccanalytics');
const datasetName = process.env.CCANALYTICS_E2E_DATASET ?? 'reference-30u-500s';
const datasetDir = path.resolve(WEB, process.env.CCANALYTICS_DATASETS ?? '../../shared/datasets', datasetName);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotsDir = path.resolve(WEB, process.env.CCANALYTICS_SCREENSHOTS ?? '../docs/screenshots');
// Real Claude Code OTLP bodies (logs with events beyond the original five and a user known only
// by user.id; metrics with code activity), posted while the dashboard is open.
const otlpDir = path.resolve(datasetDir, '..', 'claude-code-2.1.328-otlp');
// The reference generator's documented total for the small dataset (telemetry-format.md).
const DOCUMENTED_TOTAL_COST = { 'reference-30u-500s': 652.18 };

const PAGES = [
  { name: 'overview', path: '/' },
  { name: 'insights', path: '/insights' },
  { name: 'teams', path: '/teams' },
  { name: 'models', path: '/models' },
  { name: 'tools', path: '/tools' },
  { name: 'reliability', path: '/reliability' },
  { name: 'activity', path: '/activity' },
  { name: 'sessions', path: '/sessions' },
  { name: 'users', path: '/users' },
  { name: 'quality', path: '/quality' },
];

const loads = [];
const redraws = [];

async function api(baseUrl, pathAndQuery) {
  const response = await fetch(`${baseUrl}${pathAndQuery}`);
  if (!response.ok) throw new Error(`GET ${pathAndQuery}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function screenshot(page, name) {
  // Charts below the fold are drawn once scrolled to: scroll through the page first, staying at
  // each position until what is in view has its figures, as a person reading it would.
  await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const inView = (e) => {
      const box = e.getBoundingClientRect();
      return box.bottom > 0 && box.top < window.innerHeight;
    };
    const settled = () =>
      [...document.querySelectorAll('section.panel')]
        .filter(inView)
        .every((p) => p.getAttribute('aria-busy') === 'false' && !['loading', 'deferred'].includes(p.dataset.status)) &&
      [...document.querySelectorAll('.chart')].filter(inView).every((c) => c.dataset.drawn === 'true');
    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await frame();
      await frame();
      for (const until = performance.now() + 5000; !settled() && performance.now() < until; ) await frame();
    }
    window.scrollTo(0, 0);
  });
  // Panels below the fold fetch their figures when scrolled to: every one must have them now.
  try {
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('section.panel')].every(
          (p) => p.getAttribute('aria-busy') === 'false' && !['loading', 'deferred'].includes(p.dataset.status),
        ) && [...document.querySelectorAll('.chart')].every((c) => c.dataset.drawn === 'true'),
      null,
      { timeout: 10_000 },
    );
  } catch (error) {
    const state = await page.evaluate(() => [
      ...[...document.querySelectorAll('section.panel')]
        .filter((p) => p.getAttribute('aria-busy') !== 'false' || ['loading', 'deferred'].includes(p.dataset.status))
        .map((p) => `"${p.querySelector('h2')?.textContent}" ${p.dataset.status}, busy ${p.getAttribute('aria-busy')}`),
      ...[...document.querySelectorAll('.chart')]
        .filter((c) => c.dataset.drawn !== 'true')
        .map((c) => `chart "${c.closest('section')?.querySelector('h2')?.textContent}" not drawn`),
    ]);
    throw new Error(`${page.url()} was not complete for its screenshot: ${state.join('; ')} (${error.message.split('\n')[0]})`);
  }
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

// From the start of the navigation to the figures shown, by the page's own clock, so that the
// time the test driver takes to issue the navigation is not counted.
// Chromium loads its own user interface (the omnibox's WebUI pages) in the first seconds after
// launch. On two cores that work would be counted against the dashboard's first visit, which
// measures the app's cold start, not the browser's: wait until the browser's processes are idle.
async function browserIdle(browser, timeoutMs = 10_000) {
  const session = await browser.newBrowserCDPSession();
  try {
    const cpuSeconds = async () =>
      (await session.send('SystemInfo.getProcessInfo')).processInfo.reduce((sum, process) => sum + process.cpuTime, 0);
    const deadline = Date.now() + timeoutMs;
    let before = await cpuSeconds();
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await cpuSeconds();
      // Under 10 % of one core across all of the browser's processes.
      if (now - before < 0.025) break;
      before = now;
    }
  } catch (error) {
    // A browser without this DevTools method still runs the test; its first visit then includes
    // the browser's own start-up, and the report says so.
    console.log(`e2e: could not wait for the browser to go idle (${error.message.split('\n')[0]}); the first visit includes its start-up`);
  } finally {
    await session.detach();
  }
}

async function timedLoad(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  return waitForData(page);
}

// Times a filter change by the page's clock, from the person's input (the first pointer or key
// event, or the form change it makes) to the new figures shown; the driver's own work in locating
// and checking the control beforehand is not counted. `until` waits for the figures to be current.
async function timedChange(page, change, until) {
  await page.evaluate(() => {
    window.__inputAt = null;
    if (window.__inputListening) return;
    window.__inputListening = true;
    for (const type of ['pointerdown', 'keydown', 'input', 'change']) {
      document.addEventListener(type, () => (window.__inputAt ??= performance.now()), { capture: true });
    }
  });
  await change();
  await until();
  const shownAt = await waitForData(page);
  const inputAt = await page.evaluate(() => window.__inputAt);
  if (inputAt === null) throw new Error('the filter change made no input event');
  redraws.push(shownAt - inputAt);
}

// Loads a page twice: the first visit compiles the page's code; the second is a returning visit
// with the code cached (the API answers are fetched afresh both times).
async function openPage(page, baseUrl, name, pathAndQuery) {
  const url = `${baseUrl}${pathAndQuery}`;
  const first = await timedLoad(page, url);
  const again = await timedLoad(page, url);
  loads.push({ name, first, again });
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
  await page.getByRole('button', { name: /^Practice\s/ }).click();
  await timedFilterChange(page, baseUrl, () => page.getByRole('checkbox', { name: practice }).check(), practice);
  equal(new URL(page.url()).searchParams.get('practice'), practice, 'the URL records the practice filter');
  const expected = overviewKpis(await api(baseUrl, `/api/v1/summary?practice=${encodeURIComponent(practice)}`));
  const afterFilter = await kpiValues(page);
  for (const [id, value] of Object.entries(expected)) equal(afterFilter[id], value, `Overview KPI ${id} with practice=${practice}`);
  check(afterFilter.cost !== shown.cost, 'the practice filter changed the total cost');

  // More filter changes, for the redraw times: the practice filter moves from one practice to the
  // next, one checkbox at a time, each change awaited until the figures match the API's.
  let current = practice;
  for (const next of facets.practice.slice(1)) {
    await timedFilterChange(page, baseUrl, () => page.getByRole('checkbox', { name: current }).setChecked(false), null);
    await timedFilterChange(page, baseUrl, () => page.getByRole('checkbox', { name: next }).setChecked(true), next);
    current = next;
  }
  await page.getByRole('checkbox', { name: current }).setChecked(false);
  await page.getByRole('checkbox', { name: practice }).setChecked(true);
  await waitForData(page);
  await page.keyboard.press('Escape');

  // A preset period: compared with the period before it.
  const lastDay = all.last_event.slice(0, 10);
  await timedChange(
    page,
    () => page.getByRole('combobox', { name: 'Date range preset' }).selectOption('7d'),
    async () => {
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
    },
  );
  const change = await page.$eval('[data-kpi="cost"] .kpi__change', (e) => e.textContent);
  check(/vs previous period/.test(change), `the cost KPI compares with the previous period (shows "${change}")`);

  // Back in history returns to the view before the period was chosen.
  await page.goBack();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('from'));
  await waitForData(page);
  equal((await kpiValues(page)).cost, expected.cost, 'Back restores the view before the period preset');
}

async function timedFilterChange(page, baseUrl, change, practice) {
  const answer = await api(baseUrl, `/api/v1/summary${practice ? `?practice=${encodeURIComponent(practice)}` : ''}`);
  await timedChange(page, change, () =>
    page.waitForFunction(
      (cost) => document.querySelector('[data-kpi="cost"] .kpi__value')?.textContent === cost,
      overviewKpis(answer).cost,
      { timeout: 10_000, polling: 'raf' },
    ),
  );
}

// CSV exports: the API's for a view it has, the rows on screen for one it has not.
async function testExports(page, baseUrl) {
  await page.goto(`${baseUrl}/tools`);
  await waitForData(page);
  const href = await page.getByRole('region', { name: 'All tools' }).getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  const csv = await fetch(`${baseUrl}${href}`).then((r) => r.text());
  const tools = await api(baseUrl, '/api/v1/breakdown?by=tool');
  equal(csv.trim().split('\n').length, tools.rows.length + 1, 'tools CSV export has a header and a row per tool');

  // The models table exports its rows as shown: the API's export has no latency.
  await page.goto(`${baseUrl}/models`);
  await waitForData(page);
  const [modelsDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('region', { name: 'All models' }).getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const modelLines = (await readFile(await modelsDownload.path(), 'utf8')).trim().split('\r\n');
  const models = await api(baseUrl, '/api/v1/breakdown?by=model');
  // A first line says the period and filters, then the header and a row per model.
  check(modelLines[0].startsWith('# ccanalytics: Models; period: '), `models CSV says its period (${modelLines[0]})`);
  equal(modelLines.length, models.rows.length + 2, 'models CSV export has a period line, a header and a row per model');
  check(modelLines[1].endsWith('p95 latency (ms),p99 latency (ms)'), `models CSV has the latency columns (${modelLines[1]})`);

  await page.goto(`${baseUrl}/teams`);
  await waitForData(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('region', { name: 'Practice × level' }).getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const matrix = await readFile(await download.path(), 'utf8');
  const practices = await api(baseUrl, '/api/v1/breakdown?by=practice');
  const lines = matrix.trim().split('\r\n');
  equal(lines.length, practices.rows.length + 2, 'practice × level CSV has its first line, a header and a row per practice');
  check(lines[0].startsWith('# ccanalytics: '), `practice × level CSV first line (${lines[0]})`);
  check(lines[1].startsWith('Practice,L1,'), `practice × level CSV header (${lines[1]})`);
}

// A saved export is named for its period, says its period and filters first, and rounds its
// figures to their meaning: the API's export of the tools, under the last seven days and a practice.
async function testExportFile(page, baseUrl) {
  const practice = (await api(baseUrl, '/api/v1/facets')).practice[0];
  const to = (await api(baseUrl, '/api/v1/summary')).last_event.slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  const query = `from=${from}&to=${to}&practice=${encodeURIComponent(practice)}`;
  await page.goto(`${baseUrl}/tools?${query}`);
  await waitForData(page);
  const [saved] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('region', { name: 'All tools' }).getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  equal(saved.suggestedFilename(), `ccanalytics-tools-${from}_${to}.csv`, 'the tools export is named for its period');
  const lines = (await readFile(await saved.path(), 'utf8')).trim().split('\r\n');
  equal(
    lines[0],
    `# ccanalytics: Tools; period: ${from} to ${to} (UTC days inclusive); filters: practice: ${practice}`,
    'the tools export says its period and filters first',
  );
  const tools = await api(baseUrl, `/api/v1/breakdown?by=tool&${query}`);
  equal(lines.length, tools.rows.length + 2, 'the saved tools export has that line, a header and a row per tool');
  const header = lines[1].split(',');
  const cells = (name) => lines.slice(2).map((line) => line.split(',')[header.indexOf(name)]);
  check(cells('cost_usd').every((c) => /^\d+\.\d{2}$/.test(c)), `the tools export writes costs in cents (${cells('cost_usd')})`);
  check(cells('tool_success_rate').every((c) => /^(\d(\.\d{1,4})?)?$/.test(c)), `the tools export writes rates to 4 decimals (${cells('tool_success_rate')})`);
}

// A chart's drill-down from the keyboard: its table's row does what a click on its bar does.
async function testChartTable(page, baseUrl) {
  await page.goto(`${baseUrl}/`);
  await waitForData(page);
  const panel = page.getByRole('region', { name: 'Cost by practice' });
  const toggle = panel.locator('.chart-table__toggle');
  await toggle.focus();
  check(await toggle.isVisible(), 'the "Show as table" button shows when it has focus');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const practice = await page.evaluate(() => document.activeElement?.textContent);
  await page.keyboard.press('Enter');
  await page.waitForFunction((p) => new URL(window.location.href).searchParams.get('practice') === p, practice, { timeout: 10_000 });
  await waitForData(page);
}

async function testSessionDrillDown(page, baseUrl) {
  await openPage(page, baseUrl, 'sessions', '/sessions');
  await screenshot(page, 'sessions');
  // The session with the most API errors: a long one, with every kind of event to show.
  await page.getByRole('button', { name: 'Errors' }).click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'api_errors');
  await waitForData(page);
  const list = await api(baseUrl, '/api/v1/sessions?limit=1&sort=api_errors&order=desc');
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
  // From the leaderboard, as a person gets there...
  await page.locator('table a[href^="/users/"]').first().click();
  await page.waitForURL((url) => decodeURIComponent(url.pathname) === `/users/${top.email}`);
  await waitForData(page);
  equal((await kpiValues(page)).cost, money(top.cost_usd), 'user page cost');
  await screenshot(page, 'user');
  // ...and from a bookmark or a reload, which the server must answer with the dashboard.
  await openPage(page, baseUrl, 'user', `/users/${encodeURIComponent(top.email)}`);
  equal((await kpiValues(page)).cost, money(top.cost_usd), 'user page cost after a reload');
}

async function postOtlp(baseUrl, pathname, file) {
  const body = await readFile(path.join(otlpDir, file));
  const response = await fetch(`${baseUrl}${pathname}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  if (!response.ok) throw new Error(`POST ${pathname} ${file}: ${response.status} ${await response.text()}`);
}

// OTLP exports are answered once committed and become visible shortly after.
async function waitUntilVisible(baseUrl) {
  const deadline = Date.now() + 30_000;
  while ((await api(baseUrl, '/health')).refresh_pending) {
    if (Date.now() > deadline) throw new Error('answered OTLP exports are not visible after 30 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

// Events ingested while the Overview is open appear on it without a reload.
async function testLiveOverview(page, baseUrl) {
  await page.goto(`${baseUrl}/`);
  await waitForData(page);
  // The dark theme step before left the dark theme on; the screenshots that follow are light.
  const light = page.getByRole('button', { name: 'Switch to light theme' });
  if (await light.count()) await light.click();
  await page.waitForFunction(() => document.querySelector('[data-live]')?.getAttribute('data-live') === 'live', null, { timeout: 10_000 });
  equal(await page.textContent('[data-live]'), 'Live', 'the header shows the live indicator');
  const before = await kpiValues(page);
  await page.evaluate(() => (window.__sameDocument = true));
  await postOtlp(baseUrl, '/v1/logs', 'logs-1.json');
  await postOtlp(baseUrl, '/v1/logs', 'logs-2.json');
  const exported = Date.now();
  await waitUntilVisible(baseUrl);
  const expected = overviewKpis(await api(baseUrl, '/api/v1/summary'));
  check(expected.sessions !== before.sessions, `the ingest adds a session (${before.sessions} before)`);
  try {
    await page.waitForFunction(
      (sessions) => document.querySelector('[data-kpi="sessions"] .kpi__value')?.textContent === sessions,
      expected.sessions,
      { timeout: 10_000 },
    );
  } catch {
    failures.push(`the Overview did not show the ingested session within 10 s (shows ${(await kpiValues(page)).sessions}, expected ${expected.sessions})`);
    return;
  }
  // A figure, not a check: how soon it shows depends on the machine's load.
  console.log(`e2e: the Overview showed the exported events ${Date.now() - exported} ms after the export`);
  await waitForData(page);
  const shown = await kpiValues(page);
  for (const [id, value] of Object.entries(expected)) equal(shown[id], value, `Overview KPI ${id} after a live update`);
  check(await page.evaluate(() => window.__sameDocument === true), 'the Overview updated without a reload');
}

// Newer Claude Code data: a user known only by user.id, events beyond the original five.
async function testNewerData(page, baseUrl) {
  await page.goto(`${baseUrl}/sessions`);
  await waitForData(page);
  const newest = (await api(baseUrl, '/api/v1/sessions?limit=1')).rows[0];
  const link = page.locator('table tbody tr').first().locator('a[href^="/users/"]');
  equal(await link.textContent(), `user ${newest.email.slice(0, 8)}`, 'a user known by user.id is shown by a short label');
  equal(await link.getAttribute('title'), newest.email, 'the full user id is in the tooltip');

  await page.goto(`${baseUrl}/quality`);
  await waitForData(page);
  const core = new Set(['user_prompt', 'api_request', 'api_error', 'tool_decision', 'tool_result']);
  const others = (await api(baseUrl, '/api/v1/breakdown?by=event_type')).rows.filter((r) => !core.has(r.key));
  check(others.length > 0, 'the Claude Code logs hold events beyond the original five');
  const rows = await page
    .getByRole('table', { name: 'Other events by name' })
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
  equal(
    JSON.stringify([...rows].sort()),
    JSON.stringify(others.map((r) => [r.key, new Intl.NumberFormat('en-US').format(r.events)]).sort()),
    'the Quality page lists the other events with their counts',
  );
  await screenshot(page, 'quality');
}

// The Code page, empty, then over the real Claude Code metrics.
async function testCodePage(page, baseUrl) {
  await openPage(page, baseUrl, 'code', '/code');
  if ((await api(baseUrl, '/api/v1/code')).lines_added === 0) {
    check((await page.textContent('main')).includes('No code metrics.'), 'the Code page explains an empty store');
    await screenshot(page, 'code-empty');
  }
  await postOtlp(baseUrl, '/v1/metrics', 'metrics-1.json');
  await postOtlp(baseUrl, '/v1/metrics', 'metrics-2.json');
  for (const folder of ['full-run', 'session-id-off-repository-on']) {
    const files = (await readdir(path.join(otlpDir, folder))).filter((f) => f.endsWith('_metrics.json')).sort();
    for (const file of files) await postOtlp(baseUrl, '/v1/metrics', path.join(folder, file));
  }
  await waitUntilVisible(baseUrl);
  const code = await api(baseUrl, '/api/v1/code');
  check(code.lines_added > 0, 'the Claude Code metrics add lines of code');
  try {
    await page.waitForFunction(
      (lines) => document.querySelector('[data-kpi="lines_added"] .kpi__value')?.textContent === lines,
      count(code.lines_added),
      { timeout: 10_000 },
    );
  } catch {
    const state = await page.evaluate(() => ({
      live: document.querySelector('[data-live]')?.getAttribute('data-live'),
      lines: document.querySelector('[data-kpi="lines_added"] .kpi__value')?.textContent ?? null,
      visibility: document.visibilityState,
    }));
    throw new Error(`the Code page did not show ${count(code.lines_added)} lines added within 10 s: ${JSON.stringify(state)}`);
  }
  await waitForData(page);
  const shown = await kpiValues(page);
  equal(shown.lines_added, count(code.lines_added), 'Code KPI lines added');
  equal(shown.lines_removed, count(code.lines_removed), 'Code KPI lines removed');
  equal(shown.commits, count(code.commits), 'Code KPI commits');
  equal(shown.edit_accept_rate, percent(code.edit_accept_rate), 'Code KPI edit accept rate');
  const languages = (await api(baseUrl, '/api/v1/code/breakdown?by=language')).rows.map((r) => r.key).sort();
  const listed = await page.getByRole('table', { name: 'Lines and edit accept rate by language' }).locator('tbody tr td:first-child').allTextContents();
  equal(JSON.stringify([...listed].sort()), JSON.stringify(languages), 'the Code page lists the languages of the metrics');
  await screenshot(page, 'code');
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
  const cspViolations = [];
  let browser;
  try {
    const { baseUrl } = server;
    console.log(`e2e: ${server.ingestReport.accepted} events accepted; serving on ${baseUrl}`);
    const indexResponse = await fetch(`${baseUrl}/`);
    const index = await indexResponse.text();
    const built = await readFile(path.join(WEB, 'dist/index.html'), 'utf8');
    if (index !== built) {
      throw new Error('the binary serves another build of the dashboard than web/dist: rebuild it after `npm run build` (`make build`)');
    }
    // The dashboard must run under the server's policy, which refuses inline code.
    for (const problem of inlineCodeIn(built)) failures.push(`dist/index.html holds ${problem}`);
    equal(indexResponse.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, 'the Content-Security-Policy the dashboard is served under');

    // Playwright gives the browser a fresh temporary profile of its own.
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
      ],
    });
    await mkdir(screenshotsDir, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', acceptDownloads: true });
    await watchCsp(context, cspViolations);
    const page = await context.newPage();
    await browserIdle(browser);
    const consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} for ${response.url()}`);
    });

    await step('overview', () => testOverview(page, baseUrl));
    for (const { name, path: pagePath } of PAGES.filter((p) => !['overview', 'sessions', 'users'].includes(p.name))) {
      await step(name, async () => {
        await openPage(page, baseUrl, name, pagePath);
        await screenshot(page, name);
      });
    }
    await step('CSV exports', () => testExports(page, baseUrl));
    await step('CSV file', () => testExportFile(page, baseUrl));
    await step('chart table', () => testChartTable(page, baseUrl));
    await step('session drill-down', () => testSessionDrillDown(page, baseUrl));
    await step('user page', () => testUserPage(page, baseUrl));
    await step('what changed', () => testWhatChanged(page, baseUrl));
    await step('errors explained', () => testErrorsExplained(page, baseUrl));

    await step('keyboard', async () => {
      // The first Tab reaches the skip link, which leads to the content.
      await page.goto(`${baseUrl}/`);
      await waitForData(page);
      await page.keyboard.press('Tab');
      equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'first Tab stop');
      await page.keyboard.press('Enter');
      equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the skip link moves focus to the content');
    });
    await step('dark theme', async () => {
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await screenshot(page, 'overview-dark');
    });
    await step('tablet', async () => {
      const tablet = await context.newPage();
      await tablet.setViewportSize({ width: 820, height: 1180 });
      await tablet.goto(`${baseUrl}/`);
      await waitForData(tablet);
      const overflow = await tablet.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `the tablet layout scrolls sideways by ${overflow} px`);
      await screenshot(tablet, 'overview-tablet');
      // The widest table scrolls inside its panel, not the page.
      await tablet.goto(`${baseUrl}/models`);
      await waitForData(tablet);
      const modelsOverflow = await tablet.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(modelsOverflow <= 0, `the Models page at tablet width scrolls sideways by ${modelsOverflow} px`);
    });

    // Every page at tablet width: no sideways scroll (a wide table scrolls inside its panel).
    await step('every page at 820 px', async () => {
      const tablet = await context.newPage();
      await tablet.setViewportSize({ width: 820, height: 1180 });
      for (const { name, path: pagePath } of PAGES) {
        await tablet.goto(`${baseUrl}${pagePath}`);
        await waitForData(tablet);
        const overflow = await tablet.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(overflow <= 0, `${name} at 820 px scrolls sideways by ${overflow} px`);
        await screenshot(tablet, `${name}-820`);
      }
      await tablet.close();
    });

    // The server dies and comes back: one banner while it is away, and the page recovers by
    // itself. The failed requests of the outage are expected, not console errors.
    await step('server outage', async () => {
      await page.goto(`${baseUrl}/`);
      await waitForData(page);
      const errorsBefore = consoleErrors.length;
      const banner = page.getByText(/Cannot reach the server/);
      await server.restart(async () => {
        await page.getByRole('link', { name: 'Models' }).first().click();
        await banner.first().waitFor({ timeout: 30_000 });
        equal(await banner.count(), 1, 'one outage banner, not one error per panel');
      });
      await banner.first().waitFor({ state: 'hidden', timeout: 90_000 });
      await waitForData(page);
      const models = await api(baseUrl, '/api/v1/breakdown?by=model');
      const table = page.getByRole('region', { name: 'All models' });
      await table.getByText(models.rows[0].key).first().waitFor({ timeout: 30_000 });
      consoleErrors.length = errorsBefore;
    });

    // Last: these post data, which the figures checked above must not include.
    if (existsSync(otlpDir)) {
      await step('live overview', () => testLiveOverview(page, baseUrl));
      await step('newer Claude Code data', () => testNewerData(page, baseUrl));
      await step('code page', () => testCodePage(page, baseUrl));
    } else {
      console.log(`e2e: live update and Code page checks SKIPPED: no Claude Code captures at ${otlpDir}`);
    }

    for (const error of consoleErrors) failures.push(`console or network error: ${error}`);
    for (const violation of cspViolations) failures.push(`Content-Security-Policy violation: ${violation}`);

    // On a store of its own, with a server of its own: the scenarios above run in open mode.
    await step('access control', () => testAccessControl({ bin, datasetDir, browser, screenshotsDir }));
    // On a store the binary generates with known incidents, with a server of its own whose clock is
    // set inside the data and a webhook receiver of its own.
    await step('insights', () => testInsights({ bin, browser, repoDir: path.dirname(WEB), screenshotsDir, screenshot }));
  } finally {
    await browser?.close();
    await server.stop();
  }

  console.log(`\ne2e: time to data shown on ${datasetName}, loopback (reported, not asserted)`);
  console.log('  page               first visit   again');
  for (const l of loads) console.log(`  ${l.name.padEnd(18)} ${l.first.toFixed(0).padStart(8)} ms ${l.again.toFixed(0).padStart(6)} ms`);
  if (redraws.length > 0) {
    const sorted = [...redraws].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`  Overview redraw after a filter change: median ${median.toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms over ${sorted.length} changes`);
    console.log(`  (in order: ${redraws.map((ms) => ms.toFixed(0)).join(', ')} ms; the last is a 7-day period)`);
  }
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
