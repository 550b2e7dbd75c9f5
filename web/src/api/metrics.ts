// How each metric of the metric set is named and written.

import { formatCount, formatExact, formatPercent, formatPercentAxis, formatUsd, formatUsdShort } from '../format';
import type { MetricName, Metrics } from './types';

export interface MetricInfo {
  label: string;
  format: (value: number | null) => string; // for cards and tables
  exact: (value: number) => string; // for tooltips
  axis: (value: number) => string; // for chart axes
}

const count = (label: string): MetricInfo => ({ label, format: formatCount, exact: formatExact, axis: formatCount });
const money = (label: string): MetricInfo => ({ label, format: formatUsd, exact: formatUsd, axis: formatUsdShort });
const ratio = (label: string): MetricInfo => ({
  label,
  format: (v) => formatPercent(v),
  exact: (v) => formatPercent(v, 2),
  axis: formatPercentAxis,
});

export const METRICS: Record<MetricName, MetricInfo> = {
  events: count('Events'),
  sessions: count('Sessions'),
  users: count('Active users'),
  user_prompts: count('Prompts'),
  api_requests: count('API requests'),
  api_errors: count('API errors'),
  tool_decisions: count('Tool decisions'),
  tool_results: count('Tool runs'),
  input_tokens: count('Input tokens'),
  output_tokens: count('Output tokens'),
  cache_read_tokens: count('Cache read tokens'),
  cache_creation_tokens: count('Cache creation tokens'),
  cost_usd: money('Cost'),
  tool_accept_rate: ratio('Tool accept rate'),
  tool_success_rate: ratio('Tool success rate'),
  api_error_rate: ratio('API error rate'),
  api_aborts: count('Aborted by the user'),
  api_failure_rate: ratio('API failure rate'),
  cost_per_session: money('Cost per session'),
  cost_per_1k_output_tokens: money('Cost per 1k output tokens'),
  cache_hit_ratio: ratio('Cache hit ratio'),
  tokens_per_prompt: count('Tokens per prompt'),
};

// Tokens of every type: what a request consumed in all, as the token KPI counts it.
export function totalTokens(m: Metrics): number {
  return m.input_tokens + m.output_tokens + m.cache_read_tokens + m.cache_creation_tokens;
}
