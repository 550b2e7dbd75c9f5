import { renderWithQueries } from '../test/render';
import { describe, expect, it } from 'vitest';

import { formatCount, formatPercent, formatUsd } from '../format';
import { DataTable } from './DataTable';
import { deltaColumns, formatDelta, formatRelative, relativeChange } from './Delta';

const NBSP = '\u00a0';

describe('changes against the previous period', () => {
  it('writes absolute changes signed, in the metric unit', () => {
    expect(formatDelta(160, 128, formatUsd)).toBe('+$32.00');
    expect(formatDelta(96, 128, formatUsd)).toBe('−$32.00');
    expect(formatDelta(5, 5, formatCount)).toBe('0');
    expect(formatDelta(null, 5, formatCount)).toBe('–');
    // Rates change in points.
    expect(formatDelta(0.012, 0.02, formatPercent, 'ratio')).toBe(`−0.8${NBSP}pt`);
  });

  it('writes relative changes, "new" when nothing came before', () => {
    expect(formatRelative(160, 128)).toBe(`+25.0${NBSP}%`);
    expect(formatRelative(0, 12)).toBe(`−100.0${NBSP}%`);
    expect(formatRelative(5, 0)).toBe('new');
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(150, 100)).toBe(0.5);
  });

  it('gives a table two columns whose cells read with an arrow and whose values are raw', () => {
    type Row = { key: string; cost: number; before?: number };
    const rows: Row[] = [
      { key: 'a', cost: 160, before: 128 },
      { key: 'b', cost: 10, before: 20 },
      { key: 'c', cost: 10 },
    ];
    const columns = deltaColumns<Row>({ key: 'cost', label: 'Cost', current: (r) => r.cost, previous: (r) => r.before, format: formatUsd });
    expect(columns.map((c) => c.label)).toEqual(['Cost change', 'Cost change %']);
    expect(rows.map((r) => columns[0].value(r))).toEqual([32, -10, null]);
    expect(rows.map((r) => columns[1].value(r))).toEqual([0.25, -0.5, null]);
    const { container } = renderWithQueries(
      <DataTable caption="t" csvName="t" rows={rows} rowKey={(r) => r.key} columns={[{ key: 'key', label: 'Key', value: (r) => r.key }, ...columns]} />,
    );
    const cells = [...container.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(cells).toEqual([
      ['a', '▲ +$32.00', `▲ +25.0${NBSP}%`],
      ['b', '▼ −$10.00', `▼ −50.0${NBSP}%`],
      ['c', '–', '–'],
    ]);
  });
});
