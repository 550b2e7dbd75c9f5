import { METRICS } from '../api/metrics';
import { DEFAULT_HORIZON, useForecast } from '../api/queries';
import type { CountMetric, Forecast, InsightBucket } from '../api/types';
import { Chart } from '../charts/Chart';
import { timeOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { KpiCard } from '../components/KpiCard';
import { Panel } from '../components/Panel';
import { Segmented } from '../components/Segmented';
import { formatExact, formatPercent } from '../format';
import type { Filters } from '../state/filters';
import { useViewParam } from '../state/useViewParam';
import { forecastLayers } from './layers';
import { MetricSelect } from './MetricSelect';
import { maseWords, methodWords } from './wording';

// Counts and sums: what adds up over buckets, and so can be projected.
export const FORECAST_METRICS: CountMetric[] = [
  'cost_usd',
  'events',
  'user_prompts',
  'api_requests',
  'api_errors',
  'api_aborts',
  'tool_decisions',
  'tool_results',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_creation_tokens',
];

export const BUCKETS: { value: InsightBucket; label: string }[] = [
  { value: 'day', label: 'Per day' },
  { value: 'hour', label: 'Per hour' },
];

// The horizons offered per bucket, the API's default among them.
const HORIZONS: Record<InsightBucket, string[]> = {
  day: ['7', '14', '30', '60', '90'],
  hour: ['24', '48', '72', '168'],
};

function forecastOption(data: Forecast) {
  const info = METRICS[data.metric];
  const history = data.history;
  const layers = forecastLayers(data, history.map((p) => p.t));
  return timeOption({
    times: layers.times,
    bucket: data.bucket,
    series: [{ name: 'Actual', values: history.map((p) => p.value), colour: SEMANTIC.input }],
    lines: layers.lines,
    bands: layers.bands,
    valueFormatter: info.exact,
    axisFormatter: info.axis,
  });
}

// How the method did on the history itself, beside the chart.
function ForecastQuality({ data }: { data: Forecast }) {
  const { backtest } = data;
  return (
    <div className="insight__side">
      <div className="kpis insight__kpis">
        {backtest ? (
          <>
            <KpiCard
              id="forecast_accuracy"
              label="Backtest error"
              value={`MASE ${formatExact(backtest.mase)}`}
              hint={maseWords(backtest.mase, data.bucket, data.season)}
            />
            <KpiCard
              id="forecast_coverage80"
              label="80 % interval coverage"
              value={formatPercent(backtest.coverage80, 0)}
              hint="of actual values fell inside"
            />
            <KpiCard
              id="forecast_coverage95"
              label="95 % interval coverage"
              value={formatPercent(backtest.coverage95, 0)}
              hint="of actual values fell inside"
            />
          </>
        ) : (
          <KpiCard id="forecast_accuracy" label="Backtest" value="–" hint="the history is too short to backtest" />
        )}
      </div>
      <dl className="insight__facts">
        <dt>Method</dt>
        <dd>{methodWords(data)}</dd>
        {backtest ? (
          <>
            <dt>Backtest</dt>
            <dd>
              {formatExact(backtest.forecasts)} forecasts from {formatExact(backtest.origins)} points of the history, compared with what
              happened
            </dd>
          </>
        ) : null}
        {data.note ? (
          <>
            <dt>Note</dt>
            <dd>{data.note}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

export function ForecastPanel({ filters }: { filters: Filters }) {
  const [metric, setMetric] = useViewParam<CountMetric>('forecast_metric', FORECAST_METRICS, 'cost_usd');
  const [bucket, setBucket] = useViewParam<InsightBucket>('forecast_bucket', ['day', 'hour'], 'day');
  const [horizon, setHorizon] = useViewParam<string>('horizon', HORIZONS[bucket], String(DEFAULT_HORIZON[bucket]));
  const query = useForecast(metric, bucket, Number(horizon), filters);
  return (
    <Panel
      title="Forecast"
      subtitle={`${METRICS[metric].label} per ${bucket}, then the next ${horizon} ${bucket}s with their 80 % and 95 % intervals · UTC`}
      query={query}
      isEmpty={(d) => d.history.length === 0}
      span={12}
      actions={
        <>
          <MetricSelect label="Metric" metrics={FORECAST_METRICS} value={metric} onChange={setMetric} />
          <Segmented label="Bucket" value={bucket} onChange={setBucket} options={BUCKETS} />
          <label className="field">
            <span className="field__label">Horizon</span>
            <select value={horizon} onChange={(event) => setHorizon(event.target.value)}>
              {HORIZONS[bucket].map((h) => (
                <option key={h} value={h}>
                  {h} {bucket}s
                </option>
              ))}
            </select>
          </label>
        </>
      }
    >
      {(data) => (
        <div className="insight">
          <div className="insight__chart">
            <Chart label={`${METRICS[data.metric].label} forecast`} option={forecastOption(data)} height={300} />
          </div>
          <ForecastQuality data={data} />
        </div>
      )}
    </Panel>
  );
}
