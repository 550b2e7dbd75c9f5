// CSV (RFC 4180) for the dashboard's exports: the rows a table shows, and the API's own exports,
// both written the same way. A file names its period, opens with one line that says what it holds,
// and writes each number to the precision its meaning has (see docs/dashboard.md, "Exports").

import type { Filters } from '../state/filters';
import { isDay, LIST_FILTER_KEYS } from '../state/filters';

export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(fields: CsvValue[]): string {
  return fields.map(csvField).join(',');
}

export function toCsv(header: string[], rows: CsvValue[][], preamble?: string): string {
  const lines = [header, ...rows].map(csvLine);
  if (preamble !== undefined) lines.unshift(csvField(preamble));
  return lines.join('\r\n') + '\r\n';
}

// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

// What a number means, and so how precisely it is written.
export type NumberKind = 'count' | 'usd' | 'usd_fine' | 'rate' | 'ms' | 'seconds' | 'decimal';

// The meaning of a column from its name: the API's metric names (cost_usd, tool_accept_rate, ...)
// and the dashboard's own column keys (cost, accept, p95, ...). Null when the name does not say.
export function numberKindOf(column: string): NumberKind | null {
  const name = column.toLowerCase();
  if (/cost_per_1k|per_1k/.test(name)) return 'usd_fine';
  if (/(^|_)(cost|usd)(_|$)/.test(name)) return 'usd';
  if (/(rate|ratio|share|accept|success|hit)(_|$)/.test(name)) return 'rate';
  if (/(^p\d{2}(_ms)?$)|_ms$|latency|^took$/.test(name)) return 'ms';
  if (/(^|_)(duration|active_time)(_s)?$|_s$/.test(name)) return 'seconds';
  if (/^(events|sessions|users|user_prompts|api_requests|api_errors|tool_decisions|tool_results)$/.test(name)) return 'count';
  if (/(^|_)tokens$/.test(name) && !/per/.test(name)) return 'count';
  return null;
}

// A number without the float noise of its computation: "12.5" for 12.500000000000002.
function fixed(value: number, digits: number, keepZeros: boolean): string {
  const text = String(Math.abs(value));
  const scaled = text.includes('e') ? Math.round(Math.abs(value) * 10 ** digits) : Math.round(Number(`${text}e${digits}`));
  const rounded = scaled / 10 ** digits;
  const sign = value < 0 && scaled !== 0 ? '-' : '';
  return sign + (keepZeros ? rounded.toFixed(digits) : String(rounded));
}

// Money to cents, per-unit costs (per 1k tokens) to 4 decimals, rates to 4 decimals, counts and
// milliseconds as integers, seconds to 0.1 s, anything else to 2 decimals; integers stay as they are.
export function roundForCsv(value: number, kind: NumberKind | null): string {
  if (!Number.isFinite(value)) return '';
  switch (kind) {
    case 'usd':
      return fixed(value, 2, true);
    case 'usd_fine':
      return fixed(value, 4, true);
    case 'rate':
      return fixed(value, 4, false);
    case 'count':
    case 'ms':
      return fixed(value, 0, false);
    case 'seconds':
      return fixed(value, 1, false);
    default:
      return Number.isInteger(value) ? String(value) : fixed(value, 2, false);
  }
}

export function csvValue(value: CsvValue, kind: NumberKind | null): CsvValue {
  return typeof value === 'number' ? roundForCsv(value, kind) : value;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

// The API's export rewritten as the dashboard writes its own: the preamble first, then the header
// row, and the numbers of the columns whose name says what they mean rounded to that meaning.
// Other columns (ids, names) are copied as they came.
export function rewriteCsv(text: string, preamble: string): string {
  const [header, ...rows] = parseCsv(text);
  if (!header) return toCsv([], [], preamble);
  const kinds = header.map(numberKindOf);
  const rounded = rows
    .filter((row) => !(row.length === 1 && row[0] === ''))
    .map((row) =>
      row.map((cell, i) => (kinds[i] !== null && PLAIN_NUMBER.test(cell) ? roundForCsv(Number(cell), kinds[i]) : cell)),
    );
  return toCsv(header, rounded, preamble);
}

export interface CsvPeriod {
  from: string | null;
  to: string | null;
}

// The period a view covers: the filters' bounds, an open end taking the data's first or last day.
export function csvPeriod(filters: Filters, firstDay: string | null, lastDay: string | null): CsvPeriod {
  return { from: filters.from ?? firstDay, to: filters.to ?? lastDay };
}

function fileNamePart(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function boundForName(value: string): string {
  // 2026-01-05T14:00:00Z -> 2026-01-05T1400Z: no colons in file names.
  return isDay(value) ? value : value.replace(/:/g, '').replace(/\.\d+/, '');
}

// ccanalytics-models-2025-12-01_2025-12-14.csv; without a known period, ccanalytics-models.csv.
// Other exports of a period (the report) are named alike, with their own extension.
export function exportFileName(name: string, period: CsvPeriod | null, extension = 'csv'): string {
  const base = `ccanalytics-${fileNamePart(name)}`;
  if (!period || (!period.from && !period.to)) return `${base}.${extension}`;
  return `${base}-${period.from ? boundForName(period.from) : 'start'}_${period.to ? boundForName(period.to) : 'end'}.${extension}`;
}

const FILTER_LABELS: Record<string, string> = { email: 'user' };

// The file's first line, one field starting with "#": what the rows are, the period and every
// filter. "; " separates the parts and " or " a filter's values, so that the line needs quoting
// (and then starts with a quote) only when a value itself holds a comma or a quote.
export function csvPreamble(title: string, filters: Filters | null, period: CsvPeriod | null): string {
  const parts = [`# ccanalytics: ${title}`];
  if (filters === null) {
    parts.push('the whole store (the filters do not apply)');
    return parts.join('; ');
  }
  const days = period?.from && period.to && isDay(period.from) && isDay(period.to);
  if (!period || (!period.from && !period.to)) parts.push('period: all data');
  else if (days) parts.push(`period: ${period.from} to ${period.to} (UTC days inclusive)`);
  else parts.push(`period: from ${period.from ?? 'the first event'} until ${period.to ?? 'the last event'} (UTC)`);
  const named: string[] = [];
  for (const key of LIST_FILTER_KEYS) {
    if (filters[key].length > 0) named.push(`${FILTER_LABELS[key] ?? key}: ${filters[key].join(' or ')}`);
  }
  for (const key of Object.keys(filters.attributes).sort()) named.push(`${key}: ${filters.attributes[key].join(' or ')}`);
  parts.push(named.length > 0 ? `filters: ${named.join('; ')}` : 'no filters');
  return parts.join('; ');
}

export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}
