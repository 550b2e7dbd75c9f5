// The questions the Overview and Reliability answer with a comparison and a click: which practice's
// cost grew most over the last two weeks and who drove it; what the API errors were, without the
// requests people aborted. Expected answers are computed here from the API's own answers.

import { count, percent } from './expected.mjs';
import { kpiValues, waitForData } from './pageState.mjs';
import { check, equal } from './report.mjs';

async function api(baseUrl, pathAndQuery) {
  const response = await fetch(`${baseUrl}${pathAndQuery}`);
  if (!response.ok) throw new Error(`GET ${pathAndQuery}: ${response.status} ${await response.text()}`);
  return response.json();
}

const addDays = (day, days) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

// The keys of a compared breakdown by the absolute change of cost, largest first, ties by key.
function topMover(answer) {
  const movers = [
    ...answer.rows.map((r) => ({ key: r.key, change: r.cost_usd - r.previous.cost_usd })),
    ...(answer.previous_only ?? []).map((r) => ({ key: r.key, change: -r.previous.cost_usd })),
  ].filter((m) => m.change !== 0);
  movers.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return movers[0];
}

// How the dashboard names a user: the email, or "user " and 8 hex digits of a bare user.id.
const userName = (key) => (/^[0-9a-f]{64}$/.test(key) ? `user ${key.slice(0, 8)}` : key);

const firstCell = (page, region) =>
  page.getByRole('region', { name: region }).locator('tbody tr').first().locator('td').first().textContent();

export async function testWhatChanged(page, baseUrl) {
  const all = await api(baseUrl, '/api/v1/summary');
  const to = all.last_event.slice(0, 10);
  const from = addDays(to, -13);
  await page.goto(`${baseUrl}/?from=${from}&to=${to}`);
  await waitForData(page);
  const practices = await api(baseUrl, `/api/v1/breakdown?by=practice&sort=cost_usd&compare=previous&from=${from}&to=${to}`);
  check(practices.previous_range !== undefined, 'the breakdown answers compare=previous with the previous range');
  const practice = topMover(practices);
  if (!check(practice !== undefined, 'some practice changed cost over the last two weeks')) return;
  const shown = await firstCell(page, 'What changed');
  check(shown?.startsWith(practice.key), `What changed ranks ${practice.key} first (shows "${shown}")`);

  // One click: the practice becomes the filter and its users are ranked.
  await page.getByRole('region', { name: 'What changed' }).getByRole('button', { name: practice.key, exact: true }).click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('changed_by') === 'email');
  equal(new URL(page.url()).searchParams.get('practice'), practice.key, 'the click filters to the practice');
  await waitForData(page);
  const users = await api(
    baseUrl,
    `/api/v1/breakdown?by=email&sort=cost_usd&compare=previous&from=${from}&to=${to}&practice=${encodeURIComponent(practice.key)}`,
  );
  const user = topMover(users);
  if (user) {
    const first = await firstCell(page, 'What changed');
    check(first?.startsWith(userName(user.key)), `the users of ${practice.key} ranked, ${user.key} first (shows "${first}")`);
  }
  const previousTotal = await page.getByRole('region', { name: 'Cost over time' }).textContent();
  check(previousTotal.includes('previous period dashed'), 'the cost trend draws the previous period');
}

export async function testErrorsExplained(page, baseUrl) {
  await page.goto(`${baseUrl}/reliability`);
  await waitForData(page);
  const summary = await api(baseUrl, '/api/v1/summary');
  const shown = await kpiValues(page);
  equal(shown.api_failure_rate, percent(summary.api_failure_rate, 2), 'Reliability failure rate without aborts');
  equal(shown.api_error_rate, percent(summary.api_error_rate, 2), 'Reliability error rate including aborts');
  equal(shown.api_aborts, count(summary.api_aborts), 'Reliability aborts');
  check(summary.api_aborts === 0 || summary.api_failure_rate < summary.api_error_rate, 'aborts lower the failure rate');

  const messages = await api(baseUrl, '/api/v1/breakdown?by=error&sort=api_errors');
  const listed = await page.getByRole('table', { name: 'API errors by message' }).locator('tbody tr').count();
  equal(listed, messages.rows.length, 'every API error message is listed');

  // A day of the errors trend, chosen from the keyboard's table, lands on that day's sessions, the
  // most errors first.
  const trend = page.getByRole('region', { name: 'API errors over time' });
  // From the keyboard, as the toggle shows itself only when focused.
  await trend.getByRole('button', { name: 'Show as table' }).focus();
  await page.keyboard.press('Enter');
  await trend.locator('button.chart-table__select').first().focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.pathname === '/sessions');
  const landed = new URL(page.url()).searchParams;
  check(landed.get('from') !== null && landed.get('from') === landed.get('to'), `the day click sets that day as the period (${page.url()})`);
  equal(landed.get('sort'), 'api_errors', 'the sessions of the day, most API errors first');
  await waitForData(page);
  const daySessions = await api(baseUrl, `/api/v1/sessions?from=${landed.get('from')}&to=${landed.get('to')}&limit=1`);
  const subtitle = await page.getByRole('region', { name: 'Sessions' }).first().textContent();
  check(subtitle.includes(`${count(daySessions.total)} sessions`), `the day's sessions: ${daySessions.total} expected`);
  await page.goto(`${baseUrl}/reliability`);
  await waitForData(page);

  const codes = await api(baseUrl, '/api/v1/breakdown?by=status_code&sort=api_errors');
  if (codes.rows.some((r) => r.key === 'undefined')) {
    await page.getByRole('table', { name: 'API errors by status code' }).getByRole('button', { name: 'no response' }).click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('status_code') === 'undefined');
    await waitForData(page);
    const filtered = await api(baseUrl, '/api/v1/summary?status_code=undefined');
    equal((await kpiValues(page)).api_errors, count(filtered.api_errors), 'API errors with no response, after the click');
    check(await page.getByRole('button', { name: 'Remove Status code: no response' }).isVisible(), 'the filter bar shows the status code chip');
  }
}
