import { useState } from 'react';

import { fetchText } from '../api/client';
import { reportUrl, useSummary } from '../api/queries';
import type { ReportFormat } from '../api/types';
import { csvPeriod, downloadText, exportFileName } from '../components/csv';
import { Panel } from '../components/Panel';
import { type Filters, filterParams, isDay, NO_FILTERS } from '../state/filters';

const DOWNLOADS: { format: Exclude<ReportFormat, 'html'>; label: string; type: string }[] = [
  { format: 'md', label: 'Download Markdown', type: 'text/markdown;charset=utf-8' },
  { format: 'json', label: 'Download JSON', type: 'application/json;charset=utf-8' },
];

// The period's digest, under the filters, as a file or a printable page.
export function ReportPanel({ filters }: { filters: Filters }) {
  // The data's first and last day close a period the filters leave open (the report needs both
  // ends); the same answer the filter bar's presets read.
  const extent = useSummary(NO_FILTERS);
  const [error, setError] = useState<string | null>(null);
  return (
    <Panel
      title="Report"
      subtitle="the period's digest: totals against the period before, who moved, anomalies, budgets and the forecast"
      query={extent}
      isEmpty={(s) => s.first_event === null}
      emptyText="No data to report on yet."
      span={12}
    >
      {(summary) => {
        const period = csvPeriod(filters, summary.first_event?.slice(0, 10) ?? null, summary.last_event?.slice(0, 10) ?? null);
        const params = { ...filterParams(filters), from: period.from, to: period.to };
        const download = (format: Exclude<ReportFormat, 'html'>, type: string) => {
          setError(null);
          fetchText(reportUrl(format, params)).then(
            (text) => downloadText(exportFileName('report', period, format), text, type),
            (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
          );
        };
        return (
          <>
            <p className="muted">
              {period.from} to {period.to} {period.from && period.to && isDay(period.from) && isDay(period.to) ? '(UTC days, both included)' : '(UTC)'}, under
              the filters above.
            </p>
            <div className="report__actions">
              {DOWNLOADS.map((d) => (
                <button key={d.format} type="button" className="button" onClick={() => download(d.format, d.type)}>
                  {d.label}
                </button>
              ))}
              {/* Printable, with its charts: opened as a page rather than saved. */}
              <a className="button" href={reportUrl('html', params)} target="_blank" rel="noopener">
                Open HTML
              </a>
            </div>
            {error ? (
              <p className="table__error" role="alert">
                The report could not be made: {error}
              </p>
            ) : null}
          </>
        );
      }}
    </Panel>
  );
}
