import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

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

afterEach(() => vi.restoreAllMocks());

describe('DataTable', () => {
  it('sorts by a column, numbers descending first, missing values last either way', () => {
    render(<DataTable caption="t" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="t" />);
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
    render(
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

  it("links to the API's CSV export when there is one", () => {
    render(<DataTable caption="t" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="models" csvHref="/api/v1/export.csv?view=breakdown&by=model" />);
    const link = screen.getByRole('link', { name: 'Export CSV' });
    expect(link).toHaveAttribute('href', '/api/v1/export.csv?view=breakdown&by=model');
    expect(link).toHaveAttribute('download', 'models.csv');
  });

  it('exports the rows shown, in their order, when the API has no export', async () => {
    let blob: Blob | undefined;
    URL.createObjectURL = vi.fn((b: Blob) => {
      blob = b;
      return 'blob:csv';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    render(<DataTable caption="t" columns={columns} rows={rows} rowKey={(r) => r.key} csvName="t" initialSort={{ key: 'cost', order: 'desc' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(click).toHaveBeenCalledOnce();
    expect(await blob!.text()).toBe('Name,Cost\r\nBackend,40\r\nData,12.5\r\nL10,3\r\nML,\r\n');
  });
});

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
