import { type ReactNode, useId, useMemo, useState } from 'react';

import { fetchText } from '../api/client';
import {
  compareNatural,
  formatDurationMs,
  formatDurationS,
  formatExact,
  formatPercent,
  formatUsd,
  formatUsdFine,
  MISSING,
} from '../format';
import { csvValue, downloadText, type NumberKind, numberKindOf, rewriteCsv, toCsv } from './csv';
import { type CsvScope, useCsvExport } from './useCsvExport';
import { usePopover } from './usePopover';

type CellValue = string | number | boolean | null | undefined;

export interface Column<R> {
  key: string;
  label: string;
  // The raw value: sorted by, and written to CSV.
  value: (row: R) => CellValue;
  // How the cell reads on screen; the raw value (written as its kind says) when absent.
  render?: (row: R) => ReactNode;
  numeric?: boolean;
  // What the number means: right-aligned, written on screen with the precision of its kind, and
  // rounded to it in the CSV. Without it, the CSV guesses the kind from the column's key.
  kind?: NumberKind;
  sortable?: boolean;
  // Hidden until chosen in the Columns menu.
  hidden?: boolean;
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
  // Export file name part ("models" -> ccanalytics-models-<from>_<to>.csv); it also keys the
  // columns chosen for the table.
  csvName: string;
  // The API's CSV export of the same view; preferred when given, since it is not limited to a page.
  csvHref?: string;
  // Whether the rows follow the filters (the export then names the period and filters) or
  // describe the whole store.
  scope?: CsvScope;
  // Controlled sorting (the server sorts); without it the table sorts its rows itself.
  sort?: SortState;
  onSort?: (key: string) => void;
  initialSort?: SortState;
  footer?: ReactNode;
  maxHeight?: number;
}

const KIND_FORMAT: Record<NumberKind, (value: number) => string> = {
  count: formatExact,
  decimal: formatExact,
  usd: formatUsd,
  usd_fine: formatUsdFine,
  rate: (v) => formatPercent(v, 1),
  ms: formatDurationMs,
  seconds: formatDurationS,
};

function renderCell<R>(column: Column<R>, row: R): ReactNode {
  if (column.render) return column.render(row);
  const value = column.value(row);
  if (column.kind) return typeof value === 'number' ? KIND_FORMAT[column.kind](value) : MISSING;
  return String(value ?? '');
}

function isNumeric<R>(column: Column<R>): boolean {
  return Boolean(column.numeric || column.kind);
}

function compareValues(a: NonNullable<CellValue>, b: NonNullable<CellValue>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareNatural(String(a), String(b));
}

const STORAGE_PREFIX = 'ccanalytics.columns.';

// The columns a person showed or hid, remembered in this browser per table (localStorage, keyed by
// the table's csvName: { "<column key>": shown }); not in the URL, which is for the view's figures.
// A column never chosen keeps its default, so a column a page adds later appears as it says.
type ColumnChoices = Record<string, boolean>;

function readChoices(table: string): ColumnChoices {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_PREFIX + table) ?? '{}');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, shown]) => typeof shown === 'boolean')) as ColumnChoices;
  } catch {
    return {};
  }
}

function writeChoices(table: string, choices: ColumnChoices): void {
  try {
    window.localStorage.setItem(STORAGE_PREFIX + table, JSON.stringify(choices));
  } catch {
    // Storage full or refused: the choice lasts until the page is left.
  }
}

function useHiddenColumns<R>(table: string, columns: Column<R>[]): [Set<string>, (key: string) => void] {
  const [choices, setChoices] = useState<ColumnChoices>(() => readChoices(table));
  const hidden = new Set(columns.filter((c) => !(choices[c.key] ?? !c.hidden)).map((c) => c.key));
  const toggle = (key: string) => {
    const next = { ...choices, [key]: hidden.has(key) };
    setChoices(next);
    writeChoices(table, next);
  };
  return [hidden, toggle];
}

function ColumnChooser<R>({ columns, hidden, onToggle }: { columns: Column<R>[]; hidden: Set<string>; onToggle: (key: string) => void }) {
  const { open, setOpen, close, button, rootProps } = usePopover();
  const id = useId();
  const shownCount = columns.filter((c) => !hidden.has(c.key)).length;
  return (
    <div className="table__columns" {...rootProps}>
      <button
        ref={button}
        type="button"
        className="button button--small"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        Columns{hidden.size > 0 ? ` (${shownCount}/${columns.length})` : ''}
      </button>
      {open ? (
        <div className="table__columns-popover" id={id} role="group" aria-label="Columns shown">
          <ul>
            {columns.map((column) => {
              const shown = !hidden.has(column.key);
              return (
                <li key={column.key}>
                  <label>
                    <input
                      type="checkbox"
                      checked={shown}
                      // The last column shown stays: a table of no columns says nothing.
                      disabled={shown && shownCount === 1}
                      onChange={() => onToggle(column.key)}
                    />
                    {column.label}
                  </label>
                </li>
              );
            })}
          </ul>
          <button type="button" className="button button--small" onClick={close}>
            Done
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function DataTable<R>({
  caption,
  columns: allColumns,
  rows,
  rowKey,
  csvName,
  csvHref,
  scope = 'filters',
  sort: controlledSort,
  onSort,
  initialSort,
  footer,
  maxHeight,
}: DataTableProps<R>) {
  const [localSort, setLocalSort] = useState<SortState | undefined>(initialSort);
  const sort = controlledSort ?? localSort;
  const [hidden, toggleColumn] = useHiddenColumns(csvName, allColumns);
  const columns = allColumns.filter((c) => !hidden.has(c.key));
  const exportContext = useCsvExport(scope);
  const [exportError, setExportError] = useState<string | null>(null);

  const shown = useMemo(() => {
    if (controlledSort || !localSort) return rows;
    const column = allColumns.find((c) => c.key === localSort.key);
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
  }, [rows, allColumns, controlledSort, localSort]);

  const handleSort = (column: Column<R>) => {
    if (onSort) {
      onSort(column.key);
      return;
    }
    setLocalSort((current) =>
      current?.key === column.key
        ? { key: column.key, order: current.order === 'desc' ? 'asc' : 'desc' }
        : { key: column.key, order: isNumeric(column) ? 'desc' : 'asc' },
    );
  };

  // The rows shown, in their order, with the columns shown.
  const exportRows = () => {
    const { fileName, preamble } = exportContext(csvName, caption);
    const csv = toCsv(
      columns.map((c) => c.label),
      shown.map((row) => columns.map((c) => csvValue(c.value(row), c.kind ?? numberKindOf(c.key)))),
      preamble,
    );
    downloadText(fileName, csv);
  };

  // The API's export (every row, every column), given the same first line and rounding.
  const exportFromApi = (event: { preventDefault: () => void }) => {
    if (!csvHref) return;
    event.preventDefault();
    const { fileName, preamble } = exportContext(csvName, caption);
    setExportError(null);
    fetchText(csvHref).then(
      (text) => downloadText(fileName, rewriteCsv(text, preamble)),
      (error: unknown) => setExportError(error instanceof Error ? error.message : String(error)),
    );
  };

  return (
    <div className="table">
      <div className="table__toolbar">
        <span className="table__count">
          {formatExact(rows.length)} {rows.length === 1 ? 'row' : 'rows'}
        </span>
        {exportError ? (
          <span className="table__error" role="alert">
            The export failed: {exportError}
          </span>
        ) : null}
        <span className="table__actions">
          {allColumns.length > 1 ? <ColumnChooser columns={allColumns} hidden={hidden} onToggle={toggleColumn} /> : null}
          {csvHref ? (
            <a className="button button--small" href={csvHref} download={exportContext(csvName, caption).fileName} onClick={exportFromApi}>
              Export CSV
            </a>
          ) : (
            <button type="button" className="button button--small" onClick={exportRows}>
              Export CSV
            </button>
          )}
        </span>
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
                  <th key={column.key} scope="col" className={isNumeric(column) ? 'num' : undefined} aria-sort={ariaSort}>
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
                  <td key={column.key} className={isNumeric(column) ? 'num' : undefined}>
                    {renderCell(column, row)}
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
