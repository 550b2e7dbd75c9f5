import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { ChartStub } from '../test/chartStub';
import { metrics } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries } from '../test/render';
import SessionPage from './SessionPage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

const SESSION = {
  session_id: 's-1',
  email: 'ada@example.com',
  practice: 'Data Engineering',
  level: 'L5',
  location: 'Poland',
  terminal: 'vscode',
  start: '2026-01-05T10:00:00Z',
  end: '2026-01-05T10:02:00Z',
  duration_s: 120,
  ...metrics({ user_prompts: 1, api_requests: 1, api_errors: 1, tool_decisions: 1, tool_results: 1, cost_usd: 0.071 }),
  events: [
    { t: '2026-01-05T10:00:00Z', event: 'user_prompt', prompt_length: 120 },
    { t: '2026-01-05T10:00:01Z', event: 'api_error', model: 'claude-opus-4-6', status_code: '429', error: 'Rate limited', attempt: 1, duration_ms: 300 },
    {
      t: '2026-01-05T10:00:05Z',
      event: 'api_request',
      model: 'claude-opus-4-6',
      input_tokens: 263,
      output_tokens: 454,
      cache_read_tokens: 73099,
      cache_creation_tokens: 3149,
      cost_usd: 0.071,
      duration_ms: 10230,
    },
    { t: '2026-01-05T10:00:20Z', event: 'tool_decision', tool: 'Bash', decision: 'accept', decision_source: 'config' },
    { t: '2026-01-05T10:02:00Z', event: 'tool_result', tool: 'Bash', success: false, duration_ms: 5169 },
  ],
};

describe('Session page', () => {
  it('lists the events in time order with what each says', async () => {
    mockApi({ '/api/v1/sessions/s-1': () => SESSION });
    renderWithQueries(<SessionPage params={{ id: 's-1' }} />);
    const list = await screen.findByRole('list', { name: 'Session events in time order' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('data-event'))).toEqual([
      'user_prompt',
      'api_error',
      'api_request',
      'tool_decision',
      'tool_result',
    ]);
    expect(items[0]).toHaveTextContent('120 characters');
    expect(items[1]).toHaveTextContent('429: Rate limited (attempt 1) — claude-opus-4-6');
    expect(items[1]).toHaveAttribute('data-failed', 'true');
    expect(items[2]).toHaveTextContent('claude-opus-4-6 — 263 in · 454 out · 73.1K cache read · 3.1K cache write');
    expect(items[2]).toHaveTextContent('$0.0710');
    expect(items[3]).toHaveTextContent('Bash accepted by config');
    expect(items[4]).toHaveTextContent('Bash failed');
    expect(items[4]).toHaveTextContent('+2 m 00 s');
    expect(screen.getByRole('link', { name: 'ada@example.com' })).toHaveAttribute('href', '/users/ada%40example.com');
  });

  it('hides an event type when its chip is turned off', async () => {
    mockApi({ '/api/v1/sessions/s-1': () => SESSION });
    renderWithQueries(<SessionPage params={{ id: 's-1' }} />);
    const chip = await screen.findByRole('button', { name: /API request/ });
    chip.click();
    const list = await screen.findByRole('list', { name: 'Session events in time order' });
    await vi.waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(4));
    expect(chip).toHaveAttribute('aria-pressed', 'false');
  });

  it('says so when the session does not exist', async () => {
    mockApi({});
    renderWithQueries(<SessionPage params={{ id: 'nope' }} />);
    expect(await screen.findByText('No session has this id.')).toBeInTheDocument();
  });
});
