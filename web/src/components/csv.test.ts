import { describe, expect, it } from 'vitest';

import { NO_FILTERS } from '../state/filters';
import { csvField, csvPeriod, csvPreamble, exportFileName, numberKindOf, parseCsv, rewriteCsv, roundForCsv, toCsv } from './csv';

describe('CSV', () => {
  it('quotes fields with commas, quotes or line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.5)).toBe('0.5');
  });

  it('writes a header and CRLF-terminated rows, after the first line when there is one', () => {
    expect(toCsv(['key', 'cost'], [['Data, Eng', 1.5], ['ML', null]])).toBe('key,cost\r\n"Data, Eng",1.5\r\nML,\r\n');
    expect(toCsv(['key'], [['ML']], '# ccanalytics: t')).toBe('# ccanalytics: t\r\nkey\r\nML\r\n');
  });

  it('reads what it writes', () => {
    const text = toCsv(['a', 'b'], [['x, "y"', 'two\r\nlines'], ['', '3']]);
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['x, "y"', 'two\r\nlines'],
      ['', '3'],
    ]);
  });
});

describe('file names', () => {
  it('carry the period', () => {
    expect(exportFileName('models', { from: '2025-12-01', to: '2025-12-14' })).toBe('ccanalytics-models-2025-12-01_2025-12-14.csv');
    expect(exportFileName('sessions-ana@example.com', { from: '2026-01-05T14:00:00Z', to: '2026-01-05T15:00:00Z' })).toBe(
      'ccanalytics-sessions-ana-example.com-2026-01-05T140000Z_2026-01-05T150000Z.csv',
    );
    expect(exportFileName('ingests', null)).toBe('ccanalytics-ingests.csv');
    expect(exportFileName('report', { from: '2026-01-01', to: '2026-01-31' }, 'md')).toBe('ccanalytics-report-2026-01-01_2026-01-31.md');
  });

  it("take an open end from the data's first or last day", () => {
    expect(csvPeriod({ ...NO_FILTERS, from: '2025-12-01' }, '2025-10-01', '2025-12-14')).toEqual({ from: '2025-12-01', to: '2025-12-14' });
    expect(exportFileName('models', csvPeriod(NO_FILTERS, '2025-10-01', '2025-12-14'))).toBe('ccanalytics-models-2025-10-01_2025-12-14.csv');
    expect(exportFileName('models', csvPeriod(NO_FILTERS, null, null))).toBe('ccanalytics-models.csv');
  });
});

describe('the first line', () => {
  it('says the period and every filter', () => {
    const filters = { ...NO_FILTERS, from: '2025-12-01', to: '2025-12-14', practice: ['ML', 'Platform'], email: ['ana@example.com'], attributes: { 'team.id': ['infra'] } };
    expect(csvPreamble('Models', filters, { from: '2025-12-01', to: '2025-12-14' })).toBe(
      '# ccanalytics: Models; period: 2025-12-01 to 2025-12-14 (UTC days inclusive); filters: practice: ML or Platform; user: ana@example.com; team.id: infra',
    );
    expect(csvPreamble('Models', NO_FILTERS, { from: null, to: null })).toBe('# ccanalytics: Models; period: all data; no filters');
    expect(csvPreamble('Ingests', null, null)).toBe('# ccanalytics: Ingests; the whole store (the filters do not apply)');
  });

  it('stays one field when a value holds a comma', () => {
    const line = csvPreamble('Models', { ...NO_FILTERS, practice: ['Data, Eng'] }, null);
    const [first] = parseCsv(toCsv(['a'], [], line));
    expect(first).toEqual([line]);
  });
});

describe('rounding', () => {
  it('writes numbers to the precision of their meaning', () => {
    expect(roundForCsv(12.345678901234567, 'usd')).toBe('12.35');
    expect(roundForCsv(1.005, 'usd')).toBe('1.01');
    expect(roundForCsv(3, 'usd')).toBe('3.00');
    expect(roundForCsv(0.0071234, 'usd_fine')).toBe('0.0071');
    expect(roundForCsv(0.93456789, 'rate')).toBe('0.9346');
    expect(roundForCsv(1, 'rate')).toBe('1');
    expect(roundForCsv(41.99999999999, 'count')).toBe('42');
    expect(roundForCsv(1234.56, 'ms')).toBe('1235');
    expect(roundForCsv(61.25, 'seconds')).toBe('61.3');
    expect(roundForCsv(1234.5678, null)).toBe('1234.57');
    expect(roundForCsv(7, null)).toBe('7');
    expect(roundForCsv(Number.NaN, 'usd')).toBe('');
  });

  it('reads a column’s meaning from its name', () => {
    expect(numberKindOf('cost_usd')).toBe('usd');
    expect(numberKindOf('cost_per_session')).toBe('usd');
    expect(numberKindOf('cost_per_1k_output_tokens')).toBe('usd_fine');
    expect(numberKindOf('tool_accept_rate')).toBe('rate');
    expect(numberKindOf('cache_hit_ratio')).toBe('rate');
    expect(numberKindOf('accept')).toBe('rate');
    expect(numberKindOf('p95')).toBe('ms');
    expect(numberKindOf('duration_s')).toBe('seconds');
    expect(numberKindOf('input_tokens')).toBe('count');
    expect(numberKindOf('tokens_per_prompt')).toBe(null);
    expect(numberKindOf('session_id')).toBe(null);
    expect(numberKindOf('accepted')).toBe(null);
  });

  it("rewrites the API's export: first line, rounded metrics, other columns as they came", () => {
    const api = 'key,sessions,cost_usd,tool_accept_rate,session_id\r\nML,3,12.345678901234567,0.93456789,1e5\r\n"Data, Eng",1,0.1,,0042\r\n';
    expect(rewriteCsv(api, '# ccanalytics: Models')).toBe(
      '# ccanalytics: Models\r\nkey,sessions,cost_usd,tool_accept_rate,session_id\r\nML,3,12.35,0.9346,1e5\r\n"Data, Eng",1,0.10,,0042\r\n',
    );
  });
});
