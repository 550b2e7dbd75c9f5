// What a dashboard page shows: whether its panels have their figures, and its key figures.

import { failures } from './report.mjs';

// Every panel on the page has settled (its figures are current, not loading) and every chart in
// view shows them. Charts further down are drawn when scrolled to, as a person would see them.
// Returns the page's clock (ms since its navigation started) at the first frame that showed it.
export async function waitForData(page, timeout = 20_000) {
  try {
    const settledAt = await page.waitForFunction(
      () => {
        const panels = [...document.querySelectorAll('section.panel')];
        const chartsInView = [...document.querySelectorAll('.chart')].filter((c) => {
          const box = c.getBoundingClientRect();
          return box.bottom > 0 && box.top < window.innerHeight;
        });
        const settled =
          panels.length > 0 &&
          panels.every((p) => p.getAttribute('aria-busy') === 'false' && p.dataset.status !== 'loading') &&
          chartsInView.every((c) => c.dataset.drawn === 'true');
        return settled && performance.now();
      },
      null,
      { timeout, polling: 'raf' },
    );
    return settledAt.jsonValue();
  } catch (error) {
    const state = await page.evaluate(() => {
      const panels = [...document.querySelectorAll('section.panel')];
      if (panels.length === 0) return `no panels; the page reads: ${document.body.innerText.slice(0, 200)}`;
      return panels
        .filter((p) => p.getAttribute('aria-busy') !== 'false' || p.dataset.status === 'loading')
        .map((p) => `"${p.querySelector('h2')?.textContent}" still ${p.dataset.status}`)
        .join(', ');
    });
    throw new Error(`${page.url()} did not settle: ${state} (${error.message.split('\n')[0]})`);
  }
  const failed = await page.$$eval('section.panel[data-status="error"]', (panels) =>
    panels.map((p) => `${p.querySelector('h2')?.textContent}: ${p.querySelector('[role=alert]')?.textContent}`),
  );
  for (const f of failed) failures.push(`panel shows an error on ${page.url()}: ${f}`);
}

export async function kpiValues(page) {
  return page.$$eval('[data-kpi]', (cards) =>
    Object.fromEntries(cards.map((c) => [c.dataset.kpi, c.querySelector('.kpi__value')?.textContent])),
  );
}
