import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { CodeActivity } from '../api/types';
import { ChartStub } from '../test/chartStub';
import { metrics } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries } from '../test/render';
import CodePage from './CodePage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

const NONE: CodeActivity = {
  lines_added: 0,
  lines_removed: 0,
  commits: 0,
  pull_requests: 0,
  active_time_s: 0,
  sessions_started: 0,
  edit_decisions: 0,
  edit_accept_rate: null,
};
const USER_ID = '3f9a2c1b' + '0123456789abcdef'.repeat(3) + '01234567';

function activity(figures: Partial<CodeActivity>): CodeActivity {
  return { ...NONE, ...figures };
}

function serve(total: CodeActivity) {
  return mockApi({
    '/api/v1/code': () => total,
    '/api/v1/code/timeseries': (p) => ({ bucket: p.get('bucket'), points: [{ t: '2026-01-26T00:00:00Z', ...total }] }),
    '/api/v1/code/breakdown': (p) => {
      const by = p.get('by');
      if (by === 'practice') return { by, rows: [{ key: 'Platform', ...activity({ lines_added: 1500, lines_removed: 500 }) }] };
      if (by === 'email') return { by, rows: [{ key: USER_ID, ...activity({ lines_added: 40, commits: 2 }) }] };
      return { by, rows: [{ key: by === 'language' ? 'TypeScript' : 'Edit', ...activity({ lines_added: 40, edit_decisions: 4, edit_accept_rate: 0.75 }) }] };
    },
    '/api/v1/breakdown': (p) => ({ by: p.get('by'), rows: [{ key: 'Platform', ...metrics({ cost_usd: 30 }) }] }),
  });
}

describe('CodePage', () => {
  it('shows the code figures, a cost per 1k lines, and users by a short label', async () => {
    const api = serve(
      activity({ lines_added: 1234, lines_removed: 56, commits: 7, pull_requests: 2, active_time_s: 5400, edit_decisions: 8, edit_accept_rate: 0.875 }),
    );
    renderWithQueries(<CodePage />);
    const kpi = async (id: string) => (await screen.findByText((_, e) => e?.getAttribute('data-kpi') === id)).querySelector('.kpi__value')?.textContent;
    expect(await kpi('lines_added')).toBe('1.2K');
    expect(await kpi('commits')).toBe('7');
    expect(await kpi('pull_requests')).toBe('2');
    expect(await kpi('edit_accept_rate')).toMatch(/^87\.5\s%$/);
    expect(await screen.findByRole('img', { name: 'Lines added and removed by language' })).toBeInTheDocument();
    const languages = await screen.findByRole('table', { name: /by language/ });
    expect(within(languages).getByText('TypeScript')).toBeInTheDocument();
    expect(within(languages).getByText(/^75(\.0)?\s%$/)).toBeInTheDocument();
    // $30 over 2,000 lines changed: $15 per 1,000.
    expect(await screen.findByRole('img', { name: 'Cost per 1,000 lines changed by practice' })).toBeInTheDocument();
    const person = await screen.findByRole('link', { name: 'user 3f9a2c1b' });
    expect(person).toHaveAttribute('title', USER_ID);
    expect(person).toHaveAttribute('href', `/users/${USER_ID}`);
    expect(api.callsTo('/api/v1/code/breakdown').map((p) => p.get('by'))).toEqual(expect.arrayContaining(['language', 'tool', 'model']));
  });

  it('explains where code figures come from when there are none', async () => {
    serve(NONE);
    renderWithQueries(<CodePage />);
    expect(await screen.findByText('No code metrics.')).toBeInTheDocument();
    expect(screen.getByText('No code-activity metrics for these filters.')).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });
});
