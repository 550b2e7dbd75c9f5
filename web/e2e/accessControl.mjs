// Signing in to a server whose store holds access tokens: the sign-in page, a wrong token, an admin
// and a viewer scoped to one practice, the session cookie, signing out, a revoked token.

import path from 'node:path';

import { CONTENT_SECURITY_POLICY, watchCsp } from './csp.mjs';
import { overviewKpis } from './expected.mjs';
import { kpiValues, waitForData } from './pageState.mjs';
import { check, equal, failures, step } from './report.mjs';
import { run, startServer } from './server.mjs';

export const ADMIN = 'e2e-admin';
export const VIEWER = 'e2e-viewer';
const SESSION_COOKIE = 'ccanalytics_session';
const WRONG_TOKEN = `cca_${'0'.repeat(64)}`;

async function get(baseUrl, pathAndQuery, token) {
  const response = await fetch(`${baseUrl}${pathAndQuery}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const body = await response.json().catch(() => null);
  return { status: response.status, body };
}

async function apiAs(baseUrl, pathAndQuery, token) {
  const { status, body } = await get(baseUrl, pathAndQuery, token);
  if (status !== 200) throw new Error(`GET ${pathAndQuery}: ${status} ${JSON.stringify(body)}`);
  return body;
}

// The practice the scoped viewer sees: one with events, and not the only one, so that a scope the
// server ignored would show in the figures.
async function choosePractice(baseUrl, adminToken) {
  const rows = (await apiAs(baseUrl, '/api/v1/breakdown?by=practice&sort=cost_usd', adminToken)).rows.filter((r) => r.events > 0);
  if (rows.length < 2) throw new Error(`the dataset needs two practices with events (has ${rows.length})`);
  return rows[1].key;
}

async function signIn(page, token) {
  await page.getByLabel('Access token').fill(token);
  await page.getByLabel('Access token').press('Enter');
}

async function badge(page) {
  return page.$$eval('[data-session]', (parts) => Object.fromEntries(parts.map((p) => [p.dataset.session, p.textContent])));
}

// Starts its own server on a fresh copy of the dataset, so that the open-mode scenarios keep theirs.
export async function testAccessControl({ bin, datasetDir, browser, screenshotsDir }) {
  // The viewer's practice is known only once the data is in: it is created scoped after the first
  // start, which also shows that a running server takes up new tokens.
  const server = await startServer({ bin, datasetDir, tokens: [{ name: ADMIN, role: 'admin' }] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  const cspViolations = [];
  // Errors the browser logs for answers the scenario expects (a wrong token's 401, a revoked
  // token's 401s, a scope's 403s) are tolerated while `expecting` says so; any other fails.
  let expecting = null;
  const unexpected = [];
  try {
    await watchCsp(context, cspViolations);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !expecting) unexpected.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => unexpected.push(`${page.url()}: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && !(expecting && expecting.test(`${response.status()} ${new URL(response.url()).pathname}`))) {
        unexpected.push(`${response.status()} for ${response.url()}`);
      }
    });
    const { baseUrl } = server;
    const adminToken = server.tokens[ADMIN];
    check(/^cca_[0-9a-f]{64}$/.test(adminToken), `token create prints one token (printed ${JSON.stringify(adminToken)})`);
    const practice = await choosePractice(baseUrl, adminToken);
    const viewerToken = (await run(bin, ['token', 'create', '--db', server.db, '--name', VIEWER, '--role', 'viewer', '--practice', practice])).trim();

    await step('access control: the sign-in page', async () => {
      const response = await page.goto(`${baseUrl}/models?practice=${encodeURIComponent(practice)}`);
      equal(response.headers()['content-security-policy'], CONTENT_SECURITY_POLICY, 'the dashboard is served under the Content-Security-Policy');
      await page.getByLabel('Access token').waitFor();
      const url = new URL(page.url());
      equal(url.pathname, '/signin', 'a store with tokens shows the sign-in page');
      equal(url.searchParams.get('next'), `/models?practice=${encodeURIComponent(practice)}`, 'the sign-in page keeps the address wanted');
      equal(await page.getByLabel('Access token').getAttribute('type'), 'password', 'the token field hides the token');
      equal(await page.getByLabel('Access token').getAttribute('autocomplete'), 'off', 'the token field is not remembered');
      check(await page.evaluate(() => document.activeElement?.getAttribute('name') === 'token'), 'the token field has focus');
      equal((await get(baseUrl, '/api/v1/summary')).status, 401, 'the API answers 401 without credentials');
      await page.screenshot({ path: path.join(screenshotsDir, 'signin.png') });
    });

    await step('access control: a wrong token', async () => {
      expecting = /^401 \/api\/v1\/session$/;
      await signIn(page, WRONG_TOKEN);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      check((await alert.textContent()).includes('This token is not valid.'), `a wrong token is refused in words (shows "${await alert.textContent()}")`);
      equal(new URL(page.url()).pathname, '/signin', 'a wrong token stays on the sign-in page');
      expecting = null;
    });

    let cookieValue = null;
    await step('access control: an admin signs in', async () => {
      await signIn(page, adminToken);
      await page.waitForURL((url) => url.pathname === '/models');
      equal(new URL(page.url()).searchParams.get('practice'), practice, 'signing in returns to the address wanted');
      await waitForData(page);
      await page.goto(`${baseUrl}/`);
      await waitForData(page);
      const expected = overviewKpis(await apiAs(baseUrl, '/api/v1/summary', adminToken));
      const shown = await kpiValues(page);
      for (const [id, value] of Object.entries(expected)) equal(shown[id], value, `admin's Overview KPI ${id}`);
      const who = await badge(page);
      equal(who.name, ADMIN, 'the header names the token signed in with');
      equal(who.role, 'admin', "the header shows the token's role");
      equal(who.scope, 'all practices', "the header shows the admin's scope");

      const cookie = (await context.cookies(baseUrl)).find((c) => c.name === SESSION_COOKIE);
      if (check(cookie !== undefined, `signing in sets the ${SESSION_COOKIE} cookie`)) {
        equal(cookie.httpOnly, true, 'the session cookie is HttpOnly');
        equal(cookie.sameSite, 'Strict', 'the session cookie is SameSite=Strict');
        equal(cookie.path, '/', 'the session cookie is for the whole site');
        cookieValue = cookie.value;
      }
      check(!(await page.evaluate(() => document.cookie)).includes(SESSION_COOKIE), 'scripts cannot read the session cookie');
    });

    await step('access control: signing out', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Access token').waitFor();
      equal(new URL(page.url()).pathname, '/signin', 'signing out returns to the sign-in page');
      check((await page.textContent('body')).includes('You have signed out.'), 'the sign-in page says the person signed out');
      equal((await get(baseUrl, '/api/v1/summary')).status, 401, 'after signing out the API answers 401 without credentials');
      if (cookieValue) {
        const withOldCookie = await fetch(`${baseUrl}/api/v1/summary`, { headers: { Cookie: `${SESSION_COOKIE}=${cookieValue}` } });
        equal(withOldCookie.status, 401, 'the server ended the session: its cookie no longer admits');
      }
      // Nothing seen under the admin's session is shown or kept for the next.
      check(!(await page.textContent('body')).includes(ADMIN), 'the sign-in page shows nothing of the last session');
    });

    await step('access control: a viewer scoped to one practice', async () => {
      await signIn(page, viewerToken);
      await page.waitForURL((url) => url.pathname === '/');
      await waitForData(page);
      const scoped = await apiAs(baseUrl, '/api/v1/summary', viewerToken);
      const filtered = await apiAs(baseUrl, `/api/v1/summary?practice=${encodeURIComponent(practice)}`, adminToken);
      const all = await apiAs(baseUrl, '/api/v1/summary', adminToken);
      equal(scoped.events, filtered.events, "the viewer's events equal the admin's filtered to the practice");
      check(Math.abs(scoped.cost_usd - filtered.cost_usd) < 1e-6, `the viewer's cost (${scoped.cost_usd}) equals the admin's filtered to ${practice} (${filtered.cost_usd})`);
      check(scoped.events < all.events, `the viewer sees fewer events (${scoped.events}) than the whole store (${all.events})`);
      const shown = await kpiValues(page);
      for (const [id, value] of Object.entries(overviewKpis(scoped))) equal(shown[id], value, `viewer's Overview KPI ${id}`);
      equal(shown.cost, overviewKpis(filtered).cost, "the viewer's Overview cost equals the admin's with practice=");

      const who = await badge(page);
      equal(who.name, VIEWER, "the header names the viewer's token");
      equal(who.role, 'viewer', "the header shows the viewer's role");
      equal(who.scope, practice, "the header shows the viewer's practice");

      await page.getByRole('button', { name: /^Practice\s/ }).click();
      const listed = await page
        .getByRole('group', { name: 'Practice filter' })
        .getByRole('checkbox')
        .evaluateAll((boxes) =>
          boxes.map((b) => {
            // The value's name, without the number of events shown beside it.
            const label = b.closest('label')?.cloneNode(true);
            label?.querySelector('.multiselect__count')?.remove();
            return label?.textContent;
          }),
        );
      equal(JSON.stringify(listed), JSON.stringify([practice]), 'the practice filter lists only the viewer’s practice');
      await page.keyboard.press('Escape');
    });

    await step("access control: a request outside the viewer's scope", async () => {
      const other = (await apiAs(baseUrl, '/api/v1/facets', adminToken)).practice.find((p) => p !== practice);
      expecting = /^403 \/api\/v1\//;
      await page.goto(`${baseUrl}/?practice=${encodeURIComponent(other)}`);
      const notice = page.locator('[data-scope-notice]');
      await notice.waitFor();
      check((await notice.textContent()).includes("Your token's scope does not cover this request."), 'a 403 says the scope does not cover it');
      await page.waitForFunction(() =>
        [...document.querySelectorAll('section.panel')].every((p) => p.getAttribute('aria-busy') === 'false' && p.dataset.status !== 'loading'),
      );
      equal(await page.getByRole('alert').count(), 1, 'one message for the page, not one per panel');
      equal(await page.locator('section.panel[data-status="error"]').count(), 0, 'no panel shows an error box for a 403');
      await page.getByRole('button', { name: 'Clear the filters' }).click();
      await waitForData(page);
      expecting = null;
      equal(await notice.count(), 0, 'clearing the filters leaves the scope');
    });

    await step('access control: a revoked token', async () => {
      await page.goto(`${baseUrl}/`);
      await waitForData(page);
      // From here the live stream may be refused too.
      expecting = /^401 \/api\/v1\//;
      await run(bin, ['token', 'revoke', '--db', server.db, '--name', VIEWER]);
      // The server takes up token changes within its poll interval.
      const deadline = Date.now() + 10_000;
      while ((await get(baseUrl, '/api/v1/summary', viewerToken)).status !== 401) {
        if (Date.now() > deadline) throw new Error('the revoked token still reads after 10 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      await page.getByRole('link', { name: 'Teams' }).click();
      await page.getByLabel('Access token').waitFor({ timeout: 10_000 });
      const url = new URL(page.url());
      equal(url.pathname, '/signin', 'a revoked token leads to the sign-in page');
      equal(url.searchParams.get('next'), '/teams', 'the sign-in page keeps the page the person was going to');
      check((await page.textContent('body')).includes('Your session has ended'), 'the sign-in page says the session ended');
      equal(await page.getByRole('alert').count(), 0, 'no error boxes on the way to the sign-in page');
      expecting = null;
    });

    await page.close();
    console.log(`e2e: access control checked on its own store: an admin, and a viewer scoped to ${practice}`);
  } finally {
    await context.close();
    await server.stop();
  }
  for (const v of cspViolations) failures.push(`Content-Security-Policy violation: ${v}`);
  for (const e of unexpected) failures.push(`access control: console or network error: ${e}`);
}
