// The answers of the REST API, as docs/api.md describes them.

export interface Metrics {
  events: number;
  sessions: number;
  users: number;
  user_prompts: number;
  api_requests: number;
  api_errors: number;
  tool_decisions: number;
  tool_results: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  cost_usd: number;
  tool_accept_rate: number | null;
  tool_success_rate: number | null;
  api_error_rate: number | null;
  // API errors that were the person pressing Esc ("Request was aborted."), and the failure rate
  // without them: (api_errors - api_aborts) / (api_requests + api_errors - api_aborts).
  api_aborts: number;
  api_failure_rate: number | null;
  cost_per_session: number | null;
  cost_per_1k_output_tokens: number | null;
  cache_hit_ratio: number | null;
  tokens_per_prompt: number | null;
}

export type MetricName = keyof Metrics;

// Answers asked for with `compare=previous` carry the period of equal length just before the
// range, and each metric set the same figures over it.
export interface PreviousRange {
  from: string; // RFC 3339, inclusive
  to: string; // RFC 3339, exclusive
}

export interface Summary extends Metrics {
  first_event: string | null;
  last_event: string | null;
  previous?: Metrics;
  previous_range?: PreviousRange;
}

export type Dimension =
  | 'practice'
  | 'level'
  | 'location'
  | 'model'
  | 'tool'
  | 'email'
  | 'terminal'
  | 'event_type'
  | 'version'
  | 'os'
  | 'status_code'
  | 'decision_source'
  | 'attempt'
  | 'error'
  | `attr.${string}`;

export interface BreakdownRow extends Metrics {
  key: string;
  // With compare=previous: the key's figures in the previous period (zeros when it had none).
  previous?: Metrics;
}

export interface Breakdown {
  by: Dimension;
  rows: BreakdownRow[];
  // With compare=previous: keys present in the previous period only.
  previous_only?: { key: string; previous: Metrics }[];
  previous_range?: PreviousRange;
}

export type Bucket = 'hour' | 'day' | 'week';

export interface TimePoint extends Metrics {
  t: string;
  // With compare=previous: the bucket one period-length earlier.
  previous?: Metrics;
}

export interface Timeseries {
  bucket: Bucket;
  points: TimePoint[];
  split?: Dimension;
  series?: { key: string; points: TimePoint[] }[];
  previous_range?: PreviousRange;
}

export interface HeatmapCell extends Metrics {
  weekday: number;
  hour: number;
}

export interface Heatmap {
  cells: HeatmapCell[];
}

// A row covers the session's events that match the filters: with none matching (a detail asked
// for under filters) the times are null, and attributes the first event lacks are null.
export interface SessionRow extends Metrics {
  session_id: string;
  email: string | null;
  practice: string | null;
  level: string | null;
  location: string | null;
  terminal: string | null;
  start: string | null;
  end: string | null;
  duration_s: number | null;
}

export interface SessionList {
  total: number;
  rows: SessionRow[];
}

export interface SessionEvent {
  t: string;
  event: string;
  model?: string;
  tool?: string;
  decision?: string;
  decision_source?: string;
  success?: boolean;
  status_code?: string;
  error?: string;
  attempt?: number;
  input_tokens?: number;
  output_tokens?: number;
  cache_read_tokens?: number;
  cache_creation_tokens?: number;
  cost_usd?: number;
  duration_ms?: number;
  prompt_length?: number;
}

// The detail answer lists the session's events under `events`, where a row has their count.
export interface SessionDetail extends Omit<SessionRow, 'events'> {
  events: SessionEvent[];
}

export interface LatencyRow {
  key: string;
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface Latency {
  by: 'model' | 'tool';
  rows: LatencyRow[];
}

// GET /api/v1/latency/timeseries: percentiles per bucket, dense (empty buckets: count 0, nulls).
export interface LatencyPoint {
  t: string;
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface LatencyTimeseries {
  of: 'api_request' | 'tool_result';
  bucket: Bucket;
  measure: 'duration_ms' | 'ttft_ms';
  points: LatencyPoint[];
}

export interface UserRow extends Metrics {
  email: string;
  full_name: string;
  practice: string;
  level: string;
  location: string;
  first_seen: string;
  last_seen: string;
  active_days: number;
}

export interface UserList {
  total: number;
  rows: UserRow[];
}

export interface UserDetail extends UserRow {
  calendar: { date: string; events: number; sessions: number; cost_usd: number }[];
}

export type DistributionOf = 'session_duration_s' | 'session_prompts' | 'session_cost_usd';

export interface Distribution {
  of: DistributionOf;
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  bins: { lo: number; hi: number; count: number }[];
}

export interface Facets {
  practice: string[];
  level: string[];
  location: string[];
  model: string[];
  email: string[];
  terminal: string[];
  // Newer servers also list these three.
  tool?: string[];
  status_code?: string[];
  error?: string[];
  // Newer servers may say how many events carry each value: counts[dimension][value].
  counts?: Record<string, Record<string, number>>;
  // One member per custom attribute key: `attr.team.id` and its values.
  [attribute: `attr.${string}`]: string[];
}

export interface IngestRun {
  id: number;
  source: string;
  path: string | null;
  size_bytes: number | null;
  checksum: string | null;
  started: string;
  finished: string | null;
  status: string;
  lines: number;
  accepted: number;
  duplicates: number;
  rejected_events: number;
  rejected_lines: number;
  employees: number;
}

export interface QuarantineSample {
  id: number;
  source: string;
  line: number | null;
  kind: 'line' | 'event';
  reason: string;
  field: string | null;
  detail: string | null;
  raw: string;
  received: string;
}

export interface Quality {
  totals: { accepted: number; duplicates: number; rejected_events: number; rejected_lines: number };
  ingests: IngestRun[];
  rejected_by_reason: { kind: 'line' | 'event'; reason: string; count: number }[];
  quarantine_sample: QuarantineSample[];
}

export interface Employees {
  total: number;
  rows: { email: string; full_name: string; practice: string; level: string; location: string }[];
}

// Code activity, from Claude Code's OTLP metrics (GET /api/v1/code and /api/v1/code/breakdown).
export interface CodeActivity {
  lines_added: number;
  lines_removed: number;
  commits: number;
  pull_requests: number;
  active_time_s: number;
  sessions_started: number;
  edit_decisions: number;
  edit_accept_rate: number | null;
}

export type CodeDimension = 'language' | 'model' | 'tool' | 'email' | 'practice';

export interface CodeBreakdown {
  by: CodeDimension;
  rows: (CodeActivity & { key: string })[];
}

export interface CodeTimeseries {
  bucket: Bucket;
  points: (CodeActivity & { t: string })[];
}

// Who the browser is signed in as (GET, POST and DELETE /api/v1/session).
export type Role = 'viewer' | 'ingest' | 'admin';

export interface Session {
  // The store holds access tokens: every endpoint but the session's needs credentials.
  auth_required: boolean;
  signed_in: boolean;
  // The token's name.
  name: string | null;
  role: Role | null;
  // The practices the token may see; empty means all of them.
  practices: string[];
  // Sent back as X-CSRF-Token with every POST, PUT and DELETE of this session.
  csrf_token: string | null;
}

// Insights (API v1.3): forecasts, anomalies, budgets and their alerts.

// The counts and sums a forecast or an anomaly check can follow (not the distinct counts, sessions
// and users, which do not add up over buckets).
export type CountMetric =
  | 'events'
  | 'user_prompts'
  | 'api_requests'
  | 'api_errors'
  | 'tool_decisions'
  | 'tool_results'
  | 'api_aborts'
  | 'input_tokens'
  | 'output_tokens'
  | 'cache_read_tokens'
  | 'cache_creation_tokens'
  | 'cost_usd';

// Anomalies are also looked for in these rates.
export type RateMetric = 'api_error_rate' | 'api_failure_rate' | 'tool_success_rate' | 'tool_accept_rate';

export type InsightBucket = 'day' | 'hour';

// GET /api/v1/forecast: the history it was fitted on and the buckets after it.
export interface ForecastPoint {
  t: string;
  value: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

// How the method did on the history itself: forecasts from `origins` earlier points, compared with
// what happened. `mase` below 1 beats repeating the last season (the seasonal naive forecast).
export interface Backtest {
  mase: number;
  coverage80: number;
  coverage95: number;
  mae: number;
  naive_mae: number;
  origins: number;
  forecasts: number;
}

export interface Forecast {
  metric: CountMetric;
  bucket: InsightBucket;
  horizon: number;
  // seasonal_trend with two seasons of history or more; trend under that; level for very short ones.
  method: 'seasonal_trend' | 'trend' | 'level';
  // Buckets per season; 0 when none is modelled.
  season: number;
  history: { t: string; value: number }[];
  points: ForecastPoint[];
  // Null when the history is too short to backtest.
  backtest: Backtest | null;
  // Present when the history is short: what was done about it.
  note?: string;
}

// GET /api/v1/anomalies. A bucket of the checked series with the band its value was expected in.
// A rate over a bucket without any requests or runs has no value.
export interface AnomalySeriesPoint {
  t: string;
  value: number | null;
  expected: number | null;
  lo: number | null;
  hi: number | null;
}

// How much one value of the explaining dimension moved, and its share of the whole move.
export interface AnomalyContributor {
  by: Dimension;
  key: string;
  value: number;
  expected: number;
  share: number;
}

export interface Anomaly {
  start: string;
  // Exclusive: the start of the bucket after the anomaly.
  end: string;
  value: number;
  expected: number;
  lo: number;
  hi: number;
  score: number;
  direction: 'up' | 'down';
  contributors: AnomalyContributor[];
}

export interface Anomalies {
  metric: CountMetric | RateMetric;
  bucket: InsightBucket;
  by: Dimension | null;
  series: AnomalySeriesPoint[];
  // Strongest (highest score) first.
  anomalies: Anomaly[];
}

export type BudgetPeriod = 'day' | 'week' | 'month';

// `actual` fires on the spend so far, `forecast` on the spend projected to the period's end.
export type ThresholdBasis = 'actual' | 'forecast';

export interface BudgetThreshold {
  percent: number;
  basis: ThresholdBasis;
}

// What POST /api/v1/budgets and PUT /api/v1/budgets/{id} take. `filters` are filter parameters as
// the other endpoints take them (`{"practice": "ML Engineering"}`, lists comma-separated).
export interface BudgetInput {
  name: string;
  amount_usd: number;
  period: BudgetPeriod;
  filters: Record<string, string>;
  thresholds: BudgetThreshold[];
  webhook?: string;
}

export interface Budget extends Omit<BudgetInput, 'thresholds' | 'webhook'> {
  id: number;
  webhook: string | null;
  period_start: string;
  period_end: string;
  spend_usd: number;
  // The spend projected to the end of the period.
  forecast_usd: number;
  state: 'ok' | 'alarm';
  thresholds: (BudgetThreshold & { state: 'ok' | 'alarm'; fired_at: string | null })[];
}

export interface Budgets {
  budgets: Budget[];
}

// A threshold that fired, and the delivery of its webhook (GET /api/v1/alerts, newest first).
export interface Alert {
  id: number;
  budget_id: number;
  budget: string;
  percent: number;
  basis: ThresholdBasis;
  period_start: string;
  period_end: string;
  spend_usd: number;
  forecast_usd: number;
  amount_usd: number;
  at: string;
  webhook: string | null;
  status: 'pending' | 'delivered' | 'no_webhook';
  attempts: number;
  last_attempt_at: string | null;
  last_error: string | null;
  delivered_at: string | null;
}

export interface Alerts {
  alerts: Alert[];
  total: number;
}

export type ReportFormat = 'md' | 'html' | 'json';
