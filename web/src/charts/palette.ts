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

// A stable colour per key (a model keeps its colour across charts and filter changes).
export function colourFor(key: string, keys: string[]): string {
  const index = keys.indexOf(key);
  return CATEGORICAL[(index < 0 ? 0 : index) % CATEGORICAL.length];
}
