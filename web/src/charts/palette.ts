// Okabe-Ito: eight colours that stay distinct under the common forms of colour blindness.
// Ordered so that neighbouring series differ most; black becomes grey to read on dark backgrounds.
export const CATEGORICAL = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#56B4E9', // sky blue
  '#CC79A7', // reddish purple
  '#F0E442', // yellow
  '#999999', // grey
];

// Sequential ramps for heatmaps: one hue from faint to strong, readable without colour vision.
export const SEQUENTIAL_LIGHT = ['#f3f8fc', '#b9d7ec', '#56B4E9', '#0072B2', '#0b3a66'];
export const SEQUENTIAL_DARK = ['#1a2330', '#1f4d73', '#0072B2', '#56B4E9', '#d8efff'];

// Fixed meanings, used wherever the same quantity appears.
export const SEMANTIC = {
  good: '#009E73',
  bad: '#D55E00',
  neutral: '#999999',
  input: '#0072B2',
  output: '#E69F00',
  cacheRead: '#56B4E9',
  cacheCreation: '#CC79A7',
};

// The five events the analytics are built on keep one colour wherever they appear.
export const EVENT_COLOURS: Record<string, string> = {
  user_prompt: CATEGORICAL[0],
  api_request: CATEGORICAL[1],
  api_error: SEMANTIC.bad,
  tool_decision: CATEGORICAL[2],
  tool_result: CATEGORICAL[4],
};

// The dimensions whose values are coloured by `colourFor`. A model and a practice may share a
// colour: no chart draws both.
export type ColourDimension = 'model' | 'practice' | 'level' | 'location' | 'terminal' | 'tool' | 'status_code' | 'event';

// FNV-1a: a small, well-spread hash of the key, the same in every browser and on every page.
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// The key's own slot in the palette, used when no domain lists it. Eight colours for any number of
// keys: two keys share a colour one time in eight, whatever else is on the chart.
function hashedColour(key: string): string {
  return CATEGORICAL[hashKey(key) % CATEGORICAL.length];
}

// Colours for every value a dimension can take (the unfiltered facets' list). Each value prefers its
// hashed slot; values are placed in sorted order and a taken slot passes to the next free one, so
// that up to eight values never share a colour. The domain is sorted here, so its order does not
// matter; a value added to the data moves at most the values that wanted the same slot after it.
export function assignColours(domain: readonly string[]): Map<string, string> {
  const values = [...new Set(domain)].sort();
  const colours = new Map<string, string>();
  const taken = new Set<number>();
  for (const value of values) {
    let slot = hashKey(value) % CATEGORICAL.length;
    if (taken.size < CATEGORICAL.length) {
      while (taken.has(slot)) slot = (slot + 1) % CATEGORICAL.length;
      taken.add(slot);
    }
    colours.set(value, CATEGORICAL[slot]);
  }
  return colours;
}

const assigned = new WeakMap<readonly string[], Map<string, string>>();

// One colour per value: the same on every page and under any filter, because it depends only on
// the value and the dimension's full domain (never on which other values a chart happens to show).
// Event types have fixed colours; a value outside the domain (or before the domain has loaded)
// takes its hashed slot.
export function colourFor(dimension: ColourDimension, key: string, domain?: readonly string[]): string {
  if (dimension === 'event') return EVENT_COLOURS[key] ?? SEMANTIC.neutral;
  if (domain && domain.length > 0) {
    let colours = assigned.get(domain);
    if (!colours) {
      colours = assignColours(domain);
      assigned.set(domain, colours);
    }
    const colour = colours.get(key);
    if (colour) return colour;
  }
  return hashedColour(key);
}
