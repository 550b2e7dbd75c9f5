import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { formatExact, formatUsd } from '../format';
import { Chart } from './Chart';
import { chartTable } from './chartTable';
import { barOption, donutOption, weekHourOption } from './options';

// jsdom has no canvas: the chart itself is a placeholder, the table is the real one.
vi.mock('./EChart', () => ({ default: ({ label }: { label: string }) => <div role="img" aria-label={label} /> }));

const bars = barOption({
  categories: ['ML', 'Data'],
  series: [
    { name: 'Cost', values: [12.5, 3] },
    { name: 'Budget', values: [20, null] },
  ],
  valueFormatter: formatUsd,
  horizontal: true,
});

describe('chartTable', () => {
  it('lays bars out by category, values as the tooltip writes them, with the click event of each bar', () => {
    const table = chartTable(bars)!;
    expect(table.columns).toEqual(['Cost', 'Budget']);
    expect(table.rows.map((r) => [r.label, ...r.cells.map((c) => c.text)])).toEqual([
      ['ML', '$12.50', '$20.00'],
      ['Data', '$3.00', '–'],
    ]);
    expect(table.rows[1].event).toMatchObject({ name: 'Data', dataIndex: 1, seriesName: 'Cost', value: 3 });
  });

  it('lays a donut out by slice', () => {
    const table = chartTable(donutOption({ items: [{ name: 'opus', value: 36.55 }], valueFormatter: formatUsd }))!;
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0].cells[0].text).toBe('$36.55');
    expect(table.rows[0].event).toMatchObject({ name: 'opus', dataIndex: 0, seriesType: 'pie' });
  });

  it('lays a heatmap out as its grid, each cell with its own event', () => {
    const option = weekHourOption({ cells: [{ x: 3, y: 1, value: 42 }], valueFormatter: formatExact, metricLabel: 'Events', theme: 'light' });
    const table = chartTable(option)!;
    expect(table.columns).toHaveLength(24);
    expect(table.rows.map((r) => r.label)).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(table.rows[1].cells[3]).toMatchObject({ text: '42', event: { value: [3, 1, 42], dataIndex: 0 } });
    expect(table.rows[0].cells[0]).toEqual({ text: '–' });
  });
});

describe('Chart', () => {
  it('opens its table from the keyboard, and a row does what a click on its bar does', async () => {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    render(<Chart label="Cost by practice" option={bars} onSelect={onSelect} />);
    await screen.findByRole('img', { name: 'Cost by practice' });

    await user.tab();
    const toggle = screen.getByRole('button', { name: 'Show as table: Cost by practice' });
    expect(toggle).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const table = screen.getByRole('table', { name: /Cost by practice/ });
    expect(within(table).getAllByRole('row')).toHaveLength(3);

    await user.tab();
    expect(screen.getByRole('button', { name: 'ML' })).toHaveFocus();
    await user.tab();
    await user.keyboard('{Enter}');
    expect(onSelect).toHaveBeenCalledOnce();
    expect(onSelect.mock.calls[0][0]).toMatchObject({ name: 'Data', dataIndex: 1 });
  });

  it('offers a table without buttons where a chart has nothing to click', async () => {
    const user = userEvent.setup();
    render(<Chart label="Cost" option={bars} />);
    await user.click(screen.getByRole('button', { name: 'Show as table: Cost' }));
    expect(within(screen.getByRole('table')).queryAllByRole('button')).toHaveLength(0);
    expect(screen.getByRole('rowheader', { name: 'ML' })).toBeInTheDocument();
  });
});
