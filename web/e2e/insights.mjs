// The Insights page on a generated store with known incidents (scenarios/incidents.json): the
// anomaly the scenario planted is listed first and explained by the practice that caused it, the
// forecast's backtest is the API's, a budget made in the form alerts a webhook once per threshold
// (the receiver refuses the first delivery, which is retried) and shows in alarm, then is changed
// and deleted in the form; the period's report as a page and as a download; the Overview's cost
// trend with its forecast.
//
// The server's clock is set to 2026-01-31 12:00 UTC (CCANALYTICS_NOW), inside the generated window,
// so that the budget's month is January 2026 and holds the spend.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';

import { CONTENT_SECURITY_POLICY, watchCsp } from './csp.mjs';
import { exact, money, percent } from './expected.mjs';
import { waitForData } from './pageState.mjs';
import { check, equal, failures, step } from './report.mjs';
import { startServer } from './server.mjs';

const NOW = '2026-01-31T12:00:00Z';
// The generated window: 42 days to the generator's end date, 2026-02-01 (exclusive).
const FROM = '2025-12-21';
const TO = '2026-01-31';
const PERIOD = `from=${FROM}&to=${TO}`;
// What the scenario planted: ML Engineering's spend five times its usual on 2026-01-14, an error
// burst on claude-opus-4-6 on 2026-01-21.
const SPIKE_DAY = '2026-01-14';
const SPIKE_PRACTICE = 'ML Engineering';
const BURST_DAY = '2026-01-21';
const BURST_MODEL = 'claude-opus-4-6';
const REPORT_FROM = '2026-01-12';
const REPORT_TO = '2026-01-25';

const BUDGET = 'ML monthly';
const THRESHOLDS = [50, 100];
// The webhook's deliveries are retried from 200 ms, doubling: the one refused is retried at once.
const WEBHOOK_RETRY_MS = 200;

async function api(baseUrl, pathAndQuery) {
  const response = await fetch(`${baseUrl}${pathAndQuery}`);
  if (!response.ok) throw new Error(`GET ${pathAndQuery}: ${response.status} ${await response.text()}`);
  return response.json();
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(what, condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

// A webhook receiver on a free loopback port: it answers its first request 500, every later one
// 204, and records each request with the status it answered.
function startReceiver() {
  const requests = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const status = requests.length === 0 ? 500 : 204;
      let parsed = body;
      try {
        parsed = JSON.parse(body);
      } catch {
        // Recorded as sent: the check on the bodies says what is wrong with it.
      }
      requests.push({ method: request.method, url: request.url, contentType: request.headers['content-type'], status, body: parsed });
      response.writeHead(status);
      response.end(status === 500 ? 'not now' : undefined);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}/hooks/budget`,
        requests,
        delivered: () => requests.filter((r) => r.status === 204),
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

// A table's rows as objects keyed by its column headers (as shown, without the sort marks).
async function tableRows(table) {
  return table.evaluate((t) => {
    const headers = [...t.querySelectorAll('thead th')].map((th) => {
      const copy = th.cloneNode(true);
      copy.querySelector('.table__sort-mark')?.remove();
      return copy.textContent.trim();
    });
    return [...t.querySelectorAll('tbody tr')].map((tr) =>
      Object.fromEntries([...tr.querySelectorAll('td')].map((td, i) => [headers[i], td.textContent.trim()])),
    );
  });
}

// The buttons of a table row that stick out of their cell or that something else covers (a click
// on them would land elsewhere): their names.
async function misplacedButtons(row) {
  await row.scrollIntoViewIfNeeded();
  return row.evaluate((tr) =>
    [...tr.querySelectorAll('button')]
      .filter((button) => {
        const box = button.getBoundingClientRect();
        const cell = button.closest('td').getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return box.left < cell.left - 0.5 || box.right > cell.right + 0.5 || !(hit && button.contains(hit));
      })
      .map((button) => button.getAttribute('aria-label') ?? button.textContent),
  );
}

// Reloads until `condition()` holds (the Budgets and Alerts panels show what the server had when
// the page asked).
async function reloadUntil(page, what, condition, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.reload();
    await waitForData(page);
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s of reloading`);
    await sleep(250);
  }
}

// Runs its own server on a generated store; `screenshot(page, name)` is the harness's.
export async function testInsights({ bin, browser, repoDir, screenshotsDir, screenshot }) {
  const receiver = await startReceiver();
  let server = null;
  let context = null;
  const cspViolations = [];
  const unexpected = [];
  try {
    server = await startServer({
      bin,
      generate: { users: 40, sessions: 2000, days: 42, scenario: path.join(repoDir, 'scenarios', 'incidents.json') },
      env: { CCANALYTICS_NOW: NOW },
      serveArgs: ['--webhook-retry-ms', String(WEBHOOK_RETRY_MS)],
    });
    const { baseUrl } = server;
    console.log(`e2e: insights: ${server.ingestReport.accepted} generated events with incidents; serving on ${baseUrl}`);

    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', acceptDownloads: true });
    await watchCsp(context, cspViolations);
    context.on('page', (page) => {
      page.on('console', (message) => {
        if (message.type() === 'error') unexpected.push(`${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => unexpected.push(`${page.url()}: ${error.message}`));
      page.on('response', (response) => {
        if (response.status() >= 400) unexpected.push(`${response.status()} for ${response.url()}`);
      });
    });
    const page = await context.newPage();
    const insightsUrl = `${baseUrl}/insights?${PERIOD}`;
    const panel = (title) => page.getByRole('region', { name: title, exact: true });

    await step('insights: the forecast', async () => {
      await page.goto(insightsUrl);
      await waitForData(page);
      const search = new URL(page.url()).searchParams;
      equal(`${search.get('from')}..${search.get('to')}`, `${FROM}..${TO}`, 'the Insights page keeps the period in the URL');
      const forecast = await api(baseUrl, `/api/v1/forecast?metric=cost_usd&bucket=day&horizon=14&${PERIOD}`);
      if (!check(forecast.backtest, `the API backtests the forecast of ${forecast.history.length} days`)) return;
      const kpi = (id) => page.locator(`[data-kpi="${id}"] .kpi__value`).textContent();
      equal(await kpi('forecast_accuracy'), `MASE ${exact(forecast.backtest.mase)}`, "the forecast's MASE is the API's backtest");
      equal(await kpi('forecast_coverage80'), percent(forecast.backtest.coverage80, 0), "the forecast's 80 % coverage is the API's backtest");
      equal(await kpi('forecast_coverage95'), percent(forecast.backtest.coverage95, 0), "the forecast's 95 % coverage is the API's backtest");
      const hint = await page.locator('[data-kpi="forecast_accuracy"] .kpi__change').textContent();
      const words = forecast.backtest.mase < 1 ? 'better' : 'worse';
      check(
        hint === `${percent(Math.abs(1 - forecast.backtest.mase), 0)} ${words} than repeating last week`,
        `the MASE in words (${hint}) for ${forecast.backtest.mase}`,
      );
      const facts = await panel('Forecast').locator('.insight__facts').textContent();
      check(facts.includes(`${forecast.backtest.forecasts} forecasts from ${forecast.backtest.origins} points`), `the backtest's size is the API's (${facts})`);
    });

    await step('insights: anomalies and what drove them', async () => {
      const anomalies = await api(baseUrl, `/api/v1/anomalies?metric=cost_usd&bucket=day&${PERIOD}`);
      const strongest = [...anomalies.anomalies].sort((a, b) => b.score - a.score);
      if (!check(strongest.length > 0, 'the API finds a cost anomaly in the generated incidents')) return;
      const top = strongest[0];
      equal(top.start.slice(0, 10), SPIKE_DAY, "the API's strongest cost anomaly is the scenario's spend spike");
      const list = page.getByRole('list', { name: 'Anomalies, strongest first' });
      const items = list.locator(':scope > li');
      equal(await items.count(), strongest.length, 'the page lists every anomaly of the API');
      const first = items.first();
      equal(await first.locator('.anomaly__when').textContent(), SPIKE_DAY, 'the first anomaly listed is the spend spike');
      equal(
        await first.locator('.anomaly__values').textContent(),
        `${money(top.value)} against ${money(top.expected)} expected (${money(top.lo)} – ${money(top.hi)})`,
        "the first anomaly's value and expected range are the API's",
      );
      equal(await first.locator('.anomaly__score').textContent(), `score ${exact(top.score)}`, "the first anomaly's score is the API's");
      equal(await first.getAttribute('data-direction'), top.direction, "the first anomaly's direction is the API's");

      // Opened from the keyboard.
      const summary = first.locator(':scope > button.anomaly__summary');
      await summary.focus();
      await page.keyboard.press('Enter');
      equal(await summary.getAttribute('aria-expanded'), 'true', 'Enter opens the anomaly');
      const table = page.getByRole('table', { name: `What moved on ${SPIKE_DAY}` });
      await table.waitFor({ timeout: 5000 });
      const rows = await tableRows(table);
      const contributors = [...top.contributors].sort((a, b) => b.share - a.share);
      equal(rows.length, contributors.length, 'every contributor of the API is listed');
      equal(contributors[0]?.by, 'practice', 'the API explains the spike by practice');
      const keys = await table.locator('tbody tr td:first-child span[title]').evaluateAll((spans) => spans.map((s) => s.title));
      equal(keys[0], SPIKE_PRACTICE, 'the top contributor shown is the practice of the spike');
      equal(keys.join(','), contributors.map((c) => c.key).join(','), 'the contributors in the order of their share of the move');
      contributors.forEach((c, i) => {
        const row = rows[i] ?? {};
        equal(row.Value, money(c.value), `${c.key}'s value on ${SPIKE_DAY}`);
        equal(row.Expected, money(c.expected), `${c.key}'s expected value on ${SPIKE_DAY}`);
        equal(row['Share of the move'], percent(c.share), `${c.key}'s share of the move`);
      });
      check(Object.keys(rows[0] ?? {})[0] === 'Practice', `the contributors' first column is headed Practice (${Object.keys(rows[0] ?? {})})`);
      await page.keyboard.press('Enter');
      equal(await summary.getAttribute('aria-expanded'), 'false', 'Enter again closes the anomaly');
    });

    let budgetId = null;
    await step('insights: a budget made in the form', async () => {
      const budgets = panel('Budgets');
      await budgets.getByRole('button', { name: 'New budget' }).click();
      const form = page.getByRole('form', { name: 'New budget' });
      await form.getByLabel('Name', { exact: true }).fill(BUDGET);
      await form.getByLabel('Amount (USD)').fill('100');
      await form.getByLabel('Period').selectOption('month');
      await form.getByLabel('Webhook (optional)').fill(receiver.url);
      await form.getByRole('button', { name: /^Practice\b/ }).click();
      await form.getByRole('group', { name: 'Practice filter' }).getByRole('checkbox', { name: SPIKE_PRACTICE, exact: true }).check();
      await page.keyboard.press('Escape');
      for (const [i, percentOf] of THRESHOLDS.entries()) {
        const threshold = form.getByRole('group', { name: `Threshold ${i + 1}` });
        await threshold.getByLabel('Percent of the amount').fill(String(percentOf));
        await threshold.getByLabel('Reached by').selectOption('actual');
      }
      const [created] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/budgets' && r.request().method() === 'POST'),
        form.getByRole('button', { name: 'Create budget' }).click(),
      ]);
      equal(created.status(), 201, 'the server takes the budget (201 Created)');
      equal(
        JSON.stringify(created.request().postDataJSON()),
        JSON.stringify({
          name: BUDGET,
          amount_usd: 100,
          period: 'month',
          filters: { practice: SPIKE_PRACTICE },
          thresholds: THRESHOLDS.map((p) => ({ percent: p, basis: 'actual' })),
          webhook: receiver.url,
        }),
        'the budget the form sent',
      );
      budgetId = (await created.json()).id;
      await form.waitFor({ state: 'detached' });
    });

    await step('insights: the webhook told once per threshold', async () => {
      if (budgetId === null) throw new Error('no budget was made');
      await until(
        `the receiver had not answered two deliveries (${JSON.stringify(receiver.requests.map((r) => r.status))})\n${server.log()}`,
        () => receiver.delivered().length >= 2,
        30_000,
      );
      // Once per threshold per period: nothing more comes, whatever the retries and evaluations.
      await sleep(2000);
      const delivered = receiver.delivered();
      equal(delivered.length, 2, 'webhook deliveries answered, one per threshold');
      equal(receiver.requests.length, 3, 'webhook requests: the one refused, retried, and the other');
      const bodies = delivered.map((r) => r.body).sort((a, b) => a.percent - b.percent);
      equal(JSON.stringify(bodies.map((b) => b.percent)), JSON.stringify(THRESHOLDS), 'the deliveries are for the 50 % and 100 % thresholds');
      for (const body of bodies) {
        equal(body.budget, BUDGET, `the ${body.percent} % delivery names the budget`);
        equal(body.budget_id, budgetId, `the ${body.percent} % delivery has the budget's id`);
        equal(body.basis, 'actual', `the ${body.percent} % delivery's basis`);
        equal(body.amount_usd, 100, `the ${body.percent} % delivery's amount`);
        equal(body.period_start, '2026-01-01T00:00:00Z', `the ${body.percent} % delivery's period (the month of CCANALYTICS_NOW)`);
        check(body.spend_usd >= (body.percent / 100) * 100, `the ${body.percent} % delivery's spend (${body.spend_usd}) reached it`);
        check(typeof body.text === 'string' && body.text.includes(`"${BUDGET}" crossed ${body.percent}%`), `the ${body.percent} % delivery's text (${body.text})`);
      }
      const refused = receiver.requests[0];
      check(
        delivered.some((d) => JSON.stringify(d.body) === JSON.stringify(refused.body)),
        'the refused delivery is retried with the same body',
      );
      check(receiver.requests.every((r) => r.method === 'POST' && /^application\/json/.test(r.contentType ?? '')), 'the webhook is POSTed as JSON');
    });

    await step('insights: the budget in alarm and its alerts', async () => {
      if (budgetId === null) throw new Error('no budget was made');
      const alerts = await api(baseUrl, '/api/v1/alerts');
      equal(alerts.total, 2, 'the API lists an alert per threshold');
      const alertsTable = page.getByRole('table', { name: 'Budget alerts' });
      await reloadUntil(
        page,
        'the Alerts panel did not show two delivered alerts',
        async () => (await alertsTable.count()) === 1 && (await tableRows(alertsTable)).filter((r) => r.Status === 'Delivered').length === 2,
      );
      const budgetRow = page.getByRole('table', { name: 'Budgets' }).locator('tbody tr').filter({ hasText: BUDGET });
      equal(await budgetRow.count(), 1, 'the budget is listed');
      equal(await budgetRow.locator('.state-badge').textContent(), 'Alarm', "the budget's state");
      equal((await misplacedButtons(budgetRow)).join(', '), '', "the budget's buttons within their cell, uncovered");
      const thresholds = await budgetRow.locator('ul.thresholds > li').evaluateAll((items) => items.map((li) => [li.dataset.state, li.textContent]));
      equal(thresholds.length, 2, 'the budget shows its two thresholds');
      for (const [state, text] of thresholds) check(state === 'alarm' && /: fired \d{4}-\d\d-\d\d \d\d:\d\d UTC$/.test(text), `a threshold fired (${text})`);
      const rows = await tableRows(alertsTable);
      equal(rows.length, 2, 'the Alerts panel lists the two alerts');
      const shown = rows.map((r) => `${r.Budget} | ${r.Threshold} | ${r.Status} | ${r.Attempts}`).sort();
      const expected = alerts.alerts.map((a) => `${a.budget} | ${a.percent} % of the amount by the spend | Delivered | ${a.attempts}`).sort();
      equal(JSON.stringify(shown), JSON.stringify(expected), 'the Alerts panel shows the API’s alerts, delivered');
      equal(
        JSON.stringify(alerts.alerts.map((a) => a.attempts).sort()),
        JSON.stringify([1, 2]),
        'one alert was delivered at once, the other on its retry',
      );
      for (const row of rows) check(row['Spend then'].endsWith(' of $100.00'), `an alert's spend then (${row['Spend then']})`);
      await screenshot(page, 'insights');
    });

    await step('insights: a budget changed and deleted in the form', async () => {
      if (budgetId === null) throw new Error('no budget was made');
      const budgetRow = page.getByRole('table', { name: 'Budgets' }).locator('tbody tr').filter({ hasText: BUDGET });
      await budgetRow.getByRole('button', { name: `Edit ${BUDGET}` }).click();
      const form = page.getByRole('form', { name: `Edit budget ${BUDGET}` });
      equal(await form.getByLabel('Amount (USD)').inputValue(), '100', 'the edit form starts from the budget');
      await form.getByLabel('Amount (USD)').fill('5000');
      const [changed] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/budgets/${budgetId}` && r.request().method() === 'PUT'),
        form.getByRole('button', { name: 'Save changes' }).click(),
      ]);
      equal(changed.status(), 200, 'the server takes the change');
      const sent = changed.request().postDataJSON();
      equal(
        JSON.stringify([sent.name, sent.amount_usd, sent.period, sent.filters, sent.thresholds, sent.webhook]),
        JSON.stringify([BUDGET, 5000, 'month', { practice: SPIKE_PRACTICE }, THRESHOLDS.map((p) => ({ percent: p, basis: 'actual' })), receiver.url]),
        'the change keeps everything but the amount',
      );
      await form.waitFor({ state: 'detached' });
      const state = budgetRow.locator('.state-badge');
      await until('the budget did not show its state after the change', async () => (await state.textContent()) === 'OK', 10_000).catch(() => {});
      equal(await state.textContent(), 'OK', "the budget's state at 5000 dollars");
      check((await budgetRow.textContent()).includes('of $5,000.00'), 'the budget shows its new amount');

      await budgetRow.getByRole('button', { name: `Delete ${BUDGET}` }).click();
      const confirm = page.getByRole('group', { name: `Delete ${BUDGET}?` });
      await confirm.waitFor();
      equal(await page.evaluate(() => document.activeElement?.textContent), 'Keep', 'Delete asks first, with Keep focused');
      const [deleted] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/budgets/${budgetId}` && r.request().method() === 'DELETE'),
        confirm.getByRole('button', { name: 'Delete', exact: true }).click(),
      ]);
      check(deleted.ok(), `the server deletes the budget (${deleted.status()})`);
      await panel('Budgets').getByText('No budgets yet').waitFor({ timeout: 10_000 });
      equal((await api(baseUrl, '/api/v1/budgets')).budgets.length, 0, 'the API has no budget left');
      const alertsLeft = (await api(baseUrl, '/api/v1/alerts')).total;
      await waitForData(page);
      if (alertsLeft === 0) {
        await panel('Alerts').getByText('No budget has crossed a threshold yet.').waitFor({ timeout: 10_000 });
      } else {
        equal((await tableRows(page.getByRole('table', { name: 'Budget alerts' }))).length, alertsLeft, 'the Alerts panel after the delete');
      }
      // Neither the change nor the delete alerts again.
      await sleep(500);
      equal(receiver.requests.length, 3, 'no webhook after the change and the delete');
    });

    await step('insights: the report', async () => {
      // The downloads are for the filter bar's period.
      await page.goto(insightsUrl);
      await waitForData(page);
      const reportPanel = panel('Report');
      const [request, download] = await Promise.all([
        page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/report'),
        page.waitForEvent('download'),
        reportPanel.getByRole('button', { name: 'Download Markdown' }).click(),
      ]);
      const asked = new URL(request.url()).searchParams;
      equal(`${asked.get('format')} ${asked.get('from')} ${asked.get('to')}`, `md ${FROM} ${TO}`, 'Download Markdown asks for the period’s report in Markdown');
      equal(download.suggestedFilename(), `ccanalytics-report-${FROM}_${TO}.md`, 'the Markdown report is named for its period');
      const markdown = await readFile(await download.path(), 'utf8');
      const fromApi = await fetch(`${baseUrl}/api/v1/report?${PERIOD}&format=md`).then((r) => r.text());
      equal(markdown, fromApi, "the Markdown downloaded is the API's report");
      check(markdown.startsWith(`# Claude Code usage: ${FROM} to ${TO}`), `the Markdown report's heading (${markdown.split('\n')[0]})`);
      const html = new URL(await reportPanel.getByRole('link', { name: 'Open HTML' }).getAttribute('href'), baseUrl);
      equal(
        `${html.pathname} ${html.searchParams.get('format')} ${html.searchParams.get('from')} ${html.searchParams.get('to')}`,
        `/api/v1/report html ${FROM} ${TO}`,
        'Open HTML links to the period’s report page',
      );

      const reportPage = await context.newPage();
      try {
        const response = await reportPage.goto(`${baseUrl}/api/v1/report?from=${REPORT_FROM}&to=${REPORT_TO}&format=html`);
        equal(response.status(), 200, 'the HTML report is served');
        equal(response.headers()['content-security-policy'], CONTENT_SECURITY_POLICY, 'the HTML report is served under the Content-Security-Policy');
        equal(await reportPage.locator('h1').textContent(), `Claude Code usage: ${REPORT_FROM} to ${REPORT_TO}`, "the HTML report's heading");
        const sentences = await reportPage.locator('h1 + ul > li').allTextContents();
        check(sentences.length >= 5, `the HTML report opens with at least 5 sentences (has ${sentences.length})`);
        check(
          sentences.some((s) => s.startsWith(`On ${SPIKE_DAY}, spend was`) && s.includes(`practice ${SPIKE_PRACTICE}`)),
          `the report explains the spend spike by ${SPIKE_PRACTICE}: ${sentences.join(' | ')}`,
        );
        check(
          sentences.some((s) => s.startsWith(`On ${BURST_DAY}, the API error rate`) && s.includes(`model ${BURST_MODEL}`)),
          `the report explains the error burst by ${BURST_MODEL}: ${sentences.join(' | ')}`,
        );
        check((await reportPage.locator('svg').count()) >= 1, 'the HTML report draws its chart as SVG');
        check((await reportPage.locator('svg rect, svg path, svg polyline, svg line').count()) > 0, 'the chart has marks');
        await reportPage.screenshot({ path: path.join(screenshotsDir, 'report.png'), fullPage: true });
      } finally {
        await reportPage.close();
      }
    });

    await step("insights: the Overview's forecast", async () => {
      await page.goto(`${baseUrl}/?${PERIOD}`);
      await waitForData(page);
      const trend = panel('Cost over time');
      const toggle = trend.getByRole('button', { name: 'Forecast', exact: true });
      equal(await toggle.getAttribute('aria-pressed'), 'true', 'the cost trend has its forecast on');
      const subtitle = trend.locator('.panel__subtitle');
      const says = async () => {
        const text = await subtitle.textContent();
        return text.includes('then the forecast with its 80 % and 95 % intervals') && text.includes('an anomaly marked');
      };
      await until('', says, 10_000).catch(() => {});
      check(await says(), `the cost trend draws its forecast and marks the anomaly: "${await subtitle.textContent()}"`);
      await toggle.click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('forecast') === 'off');
      equal(await toggle.getAttribute('aria-pressed'), 'false', 'Forecast switches the forecast off');
      check(!(await subtitle.textContent()).includes('then the forecast'), 'the cost trend without its forecast says so');
    });

    console.log(
      `e2e: insights checked on a generated store: the ${SPIKE_DAY} spike explained by ${SPIKE_PRACTICE}, ${receiver.requests.length} webhook requests for 2 thresholds`,
    );
  } finally {
    await context?.close();
    await server?.stop();
    await receiver.close();
  }
  for (const v of cspViolations) failures.push(`insights: Content-Security-Policy violation: ${v}`);
  for (const e of unexpected) failures.push(`insights: console or network error: ${e}`);
}

