import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { renderWithQueries, setUrl } from '../test/render';
import { type Column, DataTable, Pagination } from './DataTable';

interface Row {
  key: string;
  cost: number | null;
}

const rows: Row[] = [
  { key: 'Data', cost: 12.5 },
  { key: 'ML', cost: null },
  { key: 'Backend', cost: 40 },
  { key: 'L10', cost: 3 },
];
const columns: Column<Row>[] = [
  { key: 'key', label: 'Name', value: (r) => r.key },
  { key: 'cost', label: 'Cost', value: (r) => r.cost, numeric: true, render: (r) => (r.cost === null ? '–' : `$${r.cost}`) },
];

const firstColumn = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[0].textContent);

afterEach(() => {
  vi.restoreAllMocks();
  window.localStorage.clear();
});

describe('DataTable', () => {
  it('sorts by a column, numbers descending first, missing values last either way', () => {
    renderWithQueries(<DataTable caption="t" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="t" />);
    expect(firstColumn()).toEqual(['Data', 'ML', 'Backend', 'L10']);

    fireEvent.click(screen.getByRole('button', { name: /Cost/ }));
    expect(firstColumn()).toEqual(['Backend', 'Data', 'L10', 'ML']);
    expect(screen.getByRole('columnheader', { name: /Cost/ })).toHaveAttribute('aria-sort', 'descending');

    fireEvent.click(screen.getByRole('button', { name: /Cost/ }));
    expect(firstColumn()).toEqual(['L10', 'Data', 'Backend', 'ML']);

    fireEvent.click(screen.getByRole('button', { name: /Name/ }));
    expect(firstColumn()).toEqual(['Backend', 'Data', 'L10', 'ML']);
  });

  it('leaves sorting to its owner when controlled', () => {
    const onSort = vi.fn();
    renderWithQueries(
      <DataTable
        caption="t"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.key}
        csvName="t"
        sort={{ key: 'cost', order: 'asc' }}
        onSort={onSort}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: /Cost/ }));
    expect(onSort).toHaveBeenCalledWith('cost');
    expect(firstColumn()).toEqual(['Data', 'ML', 'Backend', 'L10']);
  });

  it("exports the API's CSV with the period in its name, the filters on its first line and rounded figures", async () => {
    setUrl('/models?from=2025-12-01&to=2025-12-14&practice=ML');
    const fetch = vi.fn(async () => new Response('key,cost_usd\r\nclaude,12.345678901\r\n', { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const blob = captureDownload();
    renderWithQueries(<DataTable caption="Models" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="models" csvHref="/api/v1/export.csv?view=breakdown&by=model" />);
    const link = screen.getByRole('link', { name: 'Export CSV' });
    expect(link).toHaveAttribute('href', '/api/v1/export.csv?view=breakdown&by=model');
    expect(link).toHaveAttribute('download', 'ccanalytics-models-2025-12-01_2025-12-14.csv');
    fireEvent.click(link);
    await waitFor(() => expect(blob.file).toBeDefined());
    expect(String(fetch.mock.calls[0][0 as never])).toBe('/api/v1/export.csv?view=breakdown&by=model');
    expect(blob.name).toBe('ccanalytics-models-2025-12-01_2025-12-14.csv');
    expect(await blob.file!.text()).toBe(
      '# ccanalytics: Models; period: 2025-12-01 to 2025-12-14 (UTC days inclusive); filters: practice: ML\r\nkey,cost_usd\r\nclaude,12.35\r\n',
    );
  });

  it('exports the rows and columns shown, in their order, when the API has no export', async () => {
    const blob = captureDownload();
    renderWithQueries(<DataTable caption="t" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="t" initialSort={{ key: 'cost', order: 'desc' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(blob.name).toBe('ccanalytics-t.csv');
    expect(await blob.file!.text()).toBe('# ccanalytics: t; period: all data; no filters\r\nName,Cost\r\nBackend,40.00\r\nData,12.50\r\nL10,3.00\r\nML,\r\n');

    fireEvent.click(screen.getByRole('button', { name: 'Columns' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Name' }));
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await blob.file!.text()).toBe('# ccanalytics: t; period: all data; no filters\r\nCost\r\n40.00\r\n12.50\r\n3.00\r\n\r\n');
  });

  it('hides and shows columns, remembers the choice per table and keeps at least one', () => {
    const { unmount } = renderWithQueries(<DataTable caption="t" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="models" />);
    const chooser = screen.getByRole('button', { name: 'Columns' });
    fireEvent.click(chooser);
    expect(chooser).toHaveAttribute('aria-expanded', 'true');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Cost' }));
    expect(screen.queryByRole('columnheader', { name: /Cost/ })).toBeNull();
    expect(screen.getByRole('checkbox', { name: 'Name' })).toBeDisabled();
    unmount();

    renderWithQueries(<DataTable caption="t" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="models" />);
    expect(screen.queryByRole('columnheader', { name: /Cost/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Columns (1/2)' })).toBeInTheDocument();
    expect(JSON.parse(window.localStorage.getItem('ccanalytics.columns.models')!)).toEqual({ cost: false });
  });

  it('shows a column a page adds hidden by default as hidden, whatever was chosen before', () => {
    window.localStorage.setItem('ccanalytics.columns.models', JSON.stringify({ cost: false }));
    const more: Column<Row>[] = [...columns, { key: 'p99', label: 'p99', value: () => 1, kind: 'ms', hidden: true }];
    renderWithQueries(<DataTable caption="t" columns={more} rows={rows} rowKey={(r) => r.key} csvName="models" />);
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name']);
    fireEvent.click(screen.getByRole('button', { name: 'Columns (1/3)' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'p99' }));
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'p99']);
    expect(JSON.parse(window.localStorage.getItem('ccanalytics.columns.models')!)).toEqual({ cost: false, p99: true });
  });

  it('writes and right-aligns a numeric column by its kind, and hides columns hidden by default', () => {
    const typed: Column<Row>[] = [
      { key: 'key', label: 'Name', value: (r) => r.key },
      { key: 'cost', label: 'Cost', value: (r) => r.cost, kind: 'usd' },
      { key: 'p99', label: 'p99', value: () => 1500, kind: 'ms', hidden: true },
    ];
    renderWithQueries(<DataTable caption="t" columns={typed} rows={rows.slice(0, 2)} rowKey={(r) => r.key} csvName="typed" />);
    const cells = within(screen.getAllByRole('row')[1]).getAllByRole('cell');
    expect(cells.map((c) => c.textContent)).toEqual(['Data', '$12.50']);
    expect(cells[1]).toHaveClass('num');
    expect(within(screen.getAllByRole('row')[2]).getAllByRole('cell')[1].textContent).toBe('–');
    fireEvent.click(screen.getByRole('button', { name: /Columns/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'p99' }));
    expect(within(screen.getAllByRole('row')[1]).getAllByRole('cell')[2].textContent).toBe('1.5\u00a0s');
  });

  it('closes the column menu on Escape, returning focus to its button', () => {
    renderWithQueries(<DataTable caption="t" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="t" />);
    const chooser = screen.getByRole('button', { name: 'Columns' });
    fireEvent.click(chooser);
    fireEvent.keyDown(screen.getByRole('checkbox', { name: 'Name' }), { key: 'Escape' });
    expect(chooser).toHaveAttribute('aria-expanded', 'false');
    expect(chooser).toHaveFocus();
  });
});

// Catches the file a download would save.
function captureDownload(): { file?: Blob; name?: string } {
  const captured: { file?: Blob; name?: string } = {};
  URL.createObjectURL = vi.fn((b: Blob) => {
    captured.file = b;
    return 'blob:csv';
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    captured.name = this.download;
  });
  return captured;
}

describe('Pagination', () => {
  it('pages by the limit and stops at the ends', () => {
    const onChange = vi.fn();
    const { rerender } = render(<Pagination offset={0} limit={50} total={120} onChange={onChange} />);
    expect(screen.getByText('1–50 of 120')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(onChange).toHaveBeenLastCalledWith(50);

    rerender(<Pagination offset={100} limit={50} total={120} onChange={onChange} />);
    expect(screen.getByText('101–120 of 120')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(onChange).toHaveBeenLastCalledWith(50);
  });
});
