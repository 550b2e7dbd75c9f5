import { describe, expect, it } from 'vitest';

import { assignColours, CATEGORICAL, colourFor, EVENT_COLOURS } from './palette';

const MODELS = [
  'claude-3-5-haiku-20241022',
  'claude-haiku-4-5-20251001',
  'claude-opus-4-1-20250805',
  'claude-opus-4-5-20251101',
  'claude-sonnet-4-20250514',
  'claude-sonnet-4-5-20250929',
];

describe('colourFor', () => {
  it('gives a value the same colour whatever else a chart shows', () => {
    const onOnePage = ['claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101'];
    const underAFilter = ['claude-opus-4-5-20251101'];
    const colours = (keys: string[]) => keys.map((k) => colourFor('model', k, MODELS));
    expect(colours(onOnePage)[1]).toBe(colours(underAFilter)[0]);
    // and the domain's order does not matter
    expect(colourFor('model', 'claude-opus-4-5-20251101', [...MODELS].reverse())).toBe(colours(underAFilter)[0]);
  });

  it('never gives two of up to eight values the same colour', () => {
    for (let n = 1; n <= 8; n++) {
      const domain = Array.from({ length: n }, (_, i) => `practice ${i}`);
      const colours = domain.map((k) => colourFor('practice', k, domain));
      expect(new Set(colours).size).toBe(n);
    }
    const colours = MODELS.map((k) => colourFor('model', k, MODELS));
    expect(new Set(colours).size).toBe(MODELS.length);
  });

  it('keeps every colour when a value that sorts last is added', () => {
    const before = assignColours(MODELS.slice(0, 5));
    const after = assignColours(MODELS);
    for (const model of MODELS.slice(0, 5)) expect(after.get(model)).toBe(before.get(model));
  });

  it('falls back to a colour of the key alone outside the domain or before it loads', () => {
    const colour = colourFor('model', 'claude-next', undefined);
    expect(CATEGORICAL).toContain(colour);
    expect(colourFor('model', 'claude-next', [])).toBe(colour);
    expect(colourFor('model', 'claude-next', MODELS)).toBe(colour);
  });

  it('has fixed colours for the five event types', () => {
    expect(colourFor('event', 'api_error')).toBe(EVENT_COLOURS.api_error);
    expect(colourFor('event', 'user_prompt', ['anything'])).toBe(EVENT_COLOURS.user_prompt);
    expect(new Set(Object.values(EVENT_COLOURS)).size).toBe(5);
  });
});
