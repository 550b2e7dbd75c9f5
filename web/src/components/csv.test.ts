import { describe, expect, it } from 'vitest';

import { csvField, toCsv } from './csv';

describe('CSV', () => {
  it('quotes fields with commas, quotes or line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.5)).toBe('0.5');
  });

  it('writes a header and CRLF-terminated rows', () => {
    expect(toCsv(['key', 'cost'], [['Data, Eng', 1.5], ['ML', null]])).toBe('key,cost\r\n"Data, Eng",1.5\r\nML,\r\n');
  });
});
