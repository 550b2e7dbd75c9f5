import { useMemo } from 'react';

import { isCompared, useBreakdownCompared } from '../api/compare';
import { METRICS } from '../api/metrics';
import { useLatency } from '../api/queries';
import type { BreakdownRow, LatencyRow } from '../api/types';
import { Chart } from '../charts/Chart';
import { barOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { type Column, DataTable } from '../components/DataTable';
import { deltaColumns } from '../components/Delta';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { formatCount, formatDurationMs, formatExact, formatPercent, formatPercentAxis, formatUsd } from '../format';
import { useFilters, useSelectFilter } from '../state/useFilters';

type ModelRow = BreakdownRow & { latency?: LatencyRow };

// Latency columns in milliseconds, exact as tables are, so that the CSV carries the same figures.
const latencyColumn = (key: 'p50' | 'p95' | 'p99'): Column<ModelRow> => ({
  key: `latency_${key}`,
  label: `${key} latency (ms)`,
  value: (r) => r.latency?.[key] ?? null,
  numeric: true,
  render: (r) => formatExact(r.latency?.[key]),
});

export default function ModelsPage() {
  const [filters] = useFilters();
  const select = useSelectFilter();
  const byModel = useBreakdownCompared('model', filters, 'cost_usd');
  const latency = useLatency('model', filters);
  const compared = isCompared(byModel.data);
  // The table's rows: each model with its request latency, once that has arrived.
  const tableRows = useMemo(() => {
    const latencyByModel = new Map((latency.data?.rows ?? []).map((r) => [r.key, r]));
    return (byModel.data?.rows ?? []).map((r): ModelRow => ({ ...r, latency: latencyByModel.get(r.key) }));
  }, [byModel.data, latency.data]);
  const onSelect = (event: { name?: unknown }) => select('model', String(event.name));

  // Shares of the models' totals: the API gives each model's figures, a share is one division.
  const shares = useMemo(() => {
    const rows = byModel.data?.rows ?? [];
    const cost = rows.reduce((sum, r) => sum + r.cost_usd, 0);
    const requests = rows.reduce((sum, r) => sum + r.api_requests, 0);
    return rows.map((r) => ({
      key: r.key,
      cost: cost > 0 ? r.cost_usd / cost : null,
      requests: requests > 0 ? r.api_requests / requests : null,
    }));
  }, [byModel.data]);

  const isEmpty = (d: { rows: unknown[] }) => d.rows.length === 0;

  return (
    <div className="page">
      <PageHeader title="Models">What each model costs against how much it is used, what it consumes, and how fast it answers.</PageHeader>
      <div className="grid">
        <Panel title="Cost share against request share" subtitle="click a model to filter by it" query={byModel} isEmpty={isEmpty} span={6}>
          {() => (
            <Chart
              label="Cost share against request share"
              option={barOption({
                categories: shares.map((s) => s.key),
                series: [
                  { name: 'Share of cost', values: shares.map((s) => s.cost), colour: SEMANTIC.output },
                  { name: 'Share of requests', values: shares.map((s) => s.requests), colour: SEMANTIC.input },
                ],
                valueFormatter: (v) => formatPercent(v, 2),
                axisFormatter: formatPercentAxis,
                horizontal: true,
              })}
              onSelect={onSelect}
            />
          )}
        </Panel>

        <Panel title="Tokens by type" subtitle="per model, stacked" query={byModel} isEmpty={isEmpty} span={6}>
          {(data) => (
            <Chart
              label="Tokens by type"
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [
                  { name: 'Input', values: data.rows.map((r) => r.input_tokens), colour: SEMANTIC.input },
                  { name: 'Output', values: data.rows.map((r) => r.output_tokens), colour: SEMANTIC.output },
                  { name: 'Cache read', values: data.rows.map((r) => r.cache_read_tokens), colour: SEMANTIC.cacheRead },
                  { name: 'Cache creation', values: data.rows.map((r) => r.cache_creation_tokens), colour: SEMANTIC.cacheCreation },
                ],
                valueFormatter: formatExact,
                axisFormatter: formatCount,
                horizontal: true,
                stack: true,
              })}
              onSelect={onSelect}
            />
          )}
        </Panel>

        <Panel title="Cache hit ratio" subtitle="cache reads over all input-side tokens" query={byModel} isEmpty={isEmpty} span={4}>
          {(data) => (
            <Chart
              label="Cache hit ratio"
              height={240}
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [{ name: 'Cache hit ratio', values: data.rows.map((r) => r.cache_hit_ratio), colour: SEMANTIC.cacheRead }],
                valueFormatter: (v) => formatPercent(v, 2),
                axisFormatter: formatPercentAxis,
                horizontal: true,
                max: 1,
              })}
              onSelect={onSelect}
            />
          )}
        </Panel>

        <Panel title="Cost per 1k output tokens" query={byModel} isEmpty={isEmpty} span={4}>
          {(data) => (
            <Chart
              label="Cost per 1k output tokens"
              height={240}
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [
                  { name: 'Cost per 1k output tokens', values: data.rows.map((r) => r.cost_per_1k_output_tokens), colour: SEMANTIC.output },
                ],
                valueFormatter: (v) => formatUsd(v),
                horizontal: true,
              })}
              onSelect={onSelect}
            />
          )}
        </Panel>

        <Panel title="Latency" subtitle="request duration percentiles" query={latency} isEmpty={isEmpty} span={4}>
          {(data) => (
            <Chart
              label="Request latency by model"
              height={240}
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [
                  { name: 'p50', values: data.rows.map((r) => r.p50) },
                  { name: 'p95', values: data.rows.map((r) => r.p95) },
                  { name: 'p99', values: data.rows.map((r) => r.p99) },
                ],
                valueFormatter: formatDurationMs,
                horizontal: true,
              })}
              onSelect={onSelect}
            />
          )}
        </Panel>

        <Panel title="All models" query={byModel} isEmpty={isEmpty} span={12}>
          {() => (
            // Exported from the rows shown (every model): the API's export has no latency.
            <DataTable<ModelRow>
              caption="Models"
              rows={tableRows}
              rowKey={(r) => r.key}
              csvName="models"
              initialSort={{ key: 'cost', order: 'desc' }}
              columns={[
                { key: 'model', label: 'Model', value: (r) => r.key },
                { key: 'requests', label: 'Requests', value: (r) => r.api_requests, numeric: true, render: (r) => formatCount(r.api_requests) },
                { key: 'errors', label: 'Errors', value: (r) => r.api_errors, numeric: true, render: (r) => formatCount(r.api_errors) },
                { key: 'error_rate', label: 'Error rate', value: (r) => r.api_error_rate, numeric: true, render: (r) => formatPercent(r.api_error_rate, 2) },
                { key: 'input', label: 'Input', value: (r) => r.input_tokens, numeric: true, render: (r) => formatCount(r.input_tokens) },
                { key: 'output', label: 'Output', value: (r) => r.output_tokens, numeric: true, render: (r) => formatCount(r.output_tokens) },
                { key: 'cache_read', label: 'Cache read', value: (r) => r.cache_read_tokens, numeric: true, render: (r) => formatCount(r.cache_read_tokens) },
                {
                  key: 'cache_creation',
                  label: 'Cache creation',
                  value: (r) => r.cache_creation_tokens,
                  numeric: true,
                  render: (r) => formatCount(r.cache_creation_tokens),
                },
                { key: 'cache_hit', label: 'Cache hit', value: (r) => r.cache_hit_ratio, numeric: true, render: (r) => formatPercent(r.cache_hit_ratio) },
                { key: 'cost', label: 'Cost', value: (r) => r.cost_usd, numeric: true, render: (r) => formatUsd(r.cost_usd) },
                ...(compared
                  ? deltaColumns<ModelRow>({
                      key: 'cost',
                      label: 'Cost',
                      current: (r) => r.cost_usd,
                      previous: (r) => r.previous?.cost_usd,
                      format: formatUsd,
                    })
                  : []),
                {
                  key: 'cost_per_1k',
                  label: METRICS.cost_per_1k_output_tokens.label,
                  value: (r) => r.cost_per_1k_output_tokens,
                  numeric: true,
                  render: (r) => formatUsd(r.cost_per_1k_output_tokens),
                },
                latencyColumn('p50'),
                latencyColumn('p95'),
                latencyColumn('p99'),
              ]}
            />
          )}
        </Panel>
      </div>
    </div>
  );
}
