import { useId, useMemo, useState } from 'react';

import type { ChartOption, ECElementEvent } from './echarts';
import { chartTable, hasChartTable } from './chartTable';

interface ChartTableProps {
  option: ChartOption;
  label: string;
  onSelect?: (event: ECElementEvent) => void;
}

// Every chart's figures as a table, for the keyboard and screen readers: a "Show as table" button,
// out of sight until it has focus, opens it under the chart. On a chart whose elements filter
// when clicked, each row (or heatmap cell) is a button that sends the same event the click
// would, so the drill-down needs no pointer.
export function ChartTable({ option, label, onSelect }: ChartTableProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const table = useMemo(() => (open ? chartTable(option) : null), [open, option]);
  if (!hasChartTable(option)) return null;
  const select = (event: Partial<ECElementEvent> | undefined) => {
    if (event && onSelect) onSelect(event as ECElementEvent);
  };
  return (
    <div className="chart-table">
      <button
        type="button"
        className="chart-table__toggle button button--small"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? 'Hide table' : 'Show as table'}
        <span className="visually-hidden">: {label}</span>
      </button>
      {open && table ? (
        <div className="chart-table__scroll" id={id}>
          <table>
            <caption className="visually-hidden">
              {label}
              {onSelect ? '. Choose a row to filter by it.' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">{table.rowHeader}</th>
                {table.columns.map((column) => (
                  <th key={column} scope="col" className="num">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, index) => (
                <tr key={`${index}:${row.label}`}>
                  <th scope="row">
                    {onSelect && row.event ? (
                      <button type="button" className="chart-table__select" onClick={() => select(row.event)}>
                        {row.label}
                      </button>
                    ) : (
                      row.label
                    )}
                  </th>
                  {row.cells.map((cell, i) => (
                    <td key={table.columns[i]} className="num">
                      {/* A row whose first cell is its button needs no second one; a heatmap's
                          cells are each their own element. */}
                      {onSelect && cell.event && !row.event ? (
                        <button
                          type="button"
                          className="chart-table__select"
                          aria-label={`${row.label}, ${table.columns[i]}: ${cell.text}`}
                          onClick={() => select(cell.event)}
                        >
                          {cell.text}
                        </button>
                      ) : (
                        cell.text
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
