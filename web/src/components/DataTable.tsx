import { type ReactNode, useMemo, useState } from 'react';

import { compareNatural, formatExact } from '../format';
import { downloadText, toCsv } from './csv';

type CellValue = string | number | boolean | null | undefined;

export interface Column<R> {
  key: string;
  label: string;
  // The raw value: sorted by, and written to CSV.
  value: (row: R) => CellValue;
  // How the cell reads on screen; the raw value when absent.
  render?: (row: R) => ReactNode;
  numeric?: boolean;
  sortable?: boolean;
}

export interface SortState {
  key: string;
  order: 'asc' | 'desc';
}

interface DataTableProps<R> {
  caption: string;
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R) => string;
  // Export file name (without extension) for the client-side CSV of the rows shown.
  csvName: string;
  // The API's CSV export of the same view; preferred when given, since it is not limited to a page.
  csvHref?: string;
  // Controlled sorting (the server sorts); without it the table sorts its rows itself.
  sort?: SortState;
  onSort?: (key: string) => void;
  initialSort?: SortState;
  footer?: ReactNode;
  maxHeight?: number;
}

function compareValues(a: NonNullable<CellValue>, b: NonNullable<CellValue>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareNatural(String(a), String(b));
}

export function DataTable<R>({
  caption,
  columns,
  rows,
  rowKey,
  csvName,
  csvHref,
  sort: controlledSort,
  onSort,
  initialSort,
  footer,
  maxHeight,
}: DataTableProps<R>) {
  const [localSort, setLocalSort] = useState<SortState | undefined>(initialSort);
  const sort = controlledSort ?? localSort;

  const shown = useMemo(() => {
    if (controlledSort || !localSort) return rows;
    const column = columns.find((c) => c.key === localSort.key);
    if (!column) return rows;
    const sign = localSort.order === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const va = column.value(a);
      const vb = column.value(b);
      // Missing values stay last whichever the direction.
      if (va === null || va === undefined) return vb === null || vb === undefined ? 0 : 1;
      if (vb === null || vb === undefined) return -1;
      return sign * compareValues(va, vb);
    });
  }, [rows, columns, controlledSort, localSort]);

  const handleSort = (column: Column<R>) => {
    if (onSort) {
      onSort(column.key);
      return;
    }
    setLocalSort((current) =>
      current?.key === column.key
        ? { key: column.key, order: current.order === 'desc' ? 'asc' : 'desc' }
        : { key: column.key, order: column.numeric ? 'desc' : 'asc' },
    );
  };

  const exportRows = () => {
    const csv = toCsv(
      columns.map((c) => c.label),
      shown.map((row) => columns.map((c) => c.value(row))),
    );
    downloadText(`${csvName}.csv`, csv);
  };

  return (
    <div className="table">
      <div className="table__toolbar">
        <span className="table__count">
          {formatExact(rows.length)} {rows.length === 1 ? 'row' : 'rows'}
        </span>
        {csvHref ? (
          <a className="button button--small" href={csvHref} download={`${csvName}.csv`}>
            Export CSV
          </a>
        ) : (
          <button type="button" className="button button--small" onClick={exportRows}>
            Export CSV
          </button>
        )}
      </div>
      <div className="table__scroll" style={maxHeight ? { maxHeight } : undefined}>
        <table>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => {
                const sortable = column.sortable !== false;
                const active = sort?.key === column.key;
                const ariaSort = active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined;
                return (
                  <th key={column.key} scope="col" className={column.numeric ? 'num' : undefined} aria-sort={ariaSort}>
                    {sortable ? (
                      <button type="button" className="table__sort" onClick={() => handleSort(column)}>
                        {column.label}
                        <span aria-hidden="true" className="table__sort-mark">
                          {active ? (sort.order === 'asc' ? '▲' : '▼') : ''}
                        </span>
                      </button>
                    ) : (
                      column.label
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.key} className={column.numeric ? 'num' : undefined}>
                    {column.render ? column.render(row) : String(column.value(row) ?? '')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {footer}
    </div>
  );
}

interface PaginationProps {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
}

export function Pagination({ offset, limit, total, onChange }: PaginationProps) {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pagination" aria-label="Pages">
      <span>
        {formatExact(first)}–{formatExact(last)} of {formatExact(total)}
      </span>
      <button type="button" className="button button--small" disabled={offset === 0} onClick={() => onChange(0)}>
        First
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <button
        type="button"
        className="button button--small"
        disabled={last >= total}
        onClick={() => onChange(offset + limit)}
      >
        Next
      </button>
    </nav>
  );
}
