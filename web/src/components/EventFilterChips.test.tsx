import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FACETS, summary } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import { FilterBar } from './FilterBar';

describe('the event filters in the filter bar', () => {
  it('shows each as a chip that removes it, reading status codes and aborts as people say them', () => {
    mockApi({ '/api/v1/facets': () => FACETS, '/api/v1/summary': () => summary({ events: 10 }) });
    setUrl('/reliability?practice=A&status_code=undefined&error=Request%20was%20aborted.&tool=Bash');
    renderWithQueries(<FilterBar />);
    const chips = screen.getByRole('list', { name: 'Event filters' });
    expect(within(chips).getAllByRole('listitem').map((li) => li.querySelector('.chip__text')?.textContent)).toEqual([
      'Tool: Bash',
      'Status code: no response',
      'Error: Request was aborted. (by the user)',
    ]);
    fireEvent.click(within(chips).getByRole('button', { name: 'Remove Status code: no response' }));
    const search = new URLSearchParams(window.location.search);
    expect(search.get('status_code')).toBeNull();
    expect(search.get('error')).toBe('Request was aborted.');
    expect(search.get('tool')).toBe('Bash');
    expect(search.get('practice')).toBe('A');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(window.location.search).toBe('');
    expect(screen.queryByRole('list', { name: 'Event filters' })).toBeNull();
  });
});
