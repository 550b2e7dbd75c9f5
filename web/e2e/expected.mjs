// How the dashboard should write the API's figures, computed here independently of the app's own
// formatting code (Intl does the work), so that a formatting bug cannot hide behind itself.

const NBSP = '\u00a0';
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compactOne = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const compactNone = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 0 });

export function money(value) {
  return usd.format(value);
}

// Below a thousand the exact count; above, one decimal under 100 units and none from 100 (3.7K, 759M).
export function count(value) {
  if (Math.abs(value) < 1000) return String(value);
  const leading = Number(compactNone.format(value).replace(/[^0-9.]/g, ''));
  return (leading >= 100 ? compactNone : compactOne).format(value);
}

// A figure to two decimals at most, trailing zeros dropped: 0.83, 5.61, 1,234.5.
const upToTwo = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
export function exact(value) {
  return upToTwo.format(value);
}

export function percent(ratio, digits = 1) {
  return ratio === null ? '–' : `${(ratio * 100).toFixed(digits)}${NBSP}%`;
}

// The Overview's key figures for a summary answer.
export function overviewKpis(summary) {
  return {
    cost: money(summary.cost_usd),
    tokens: count(summary.input_tokens + summary.output_tokens + summary.cache_read_tokens + summary.cache_creation_tokens),
    sessions: count(summary.sessions),
    users: count(summary.users),
    prompts: count(summary.user_prompts),
    tool_success: percent(summary.tool_success_rate),
    api_failure_rate: percent(summary.api_failure_rate, 2),
  };
}
