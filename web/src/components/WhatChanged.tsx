// "What changed": the values of a dimension ranked by how much a metric moved against the
// previous period, values that appeared or disappeared included. A click on one filters to it and
// ranks the next dimension within it (practice, then its users, then their models, then tools), so
// "which practice grew most, and who drove it" is two clicks from the Overview.

import { useMemo, useState } from 'react';

import { type Change, changesOf, isCompared, useBreakdownCompared, useCompareRange } from '../api/compare';
import { totalTokens } from '../api/metrics';
import type { Breakdown, MetricName, Metrics } from '../api/types';
import { formatExact, formatUsd } from '../format';
import type { Filters } from '../state/filters';
import { canFilterBy, filteredTo, useDrill } from '../state/drill';
import { useViewParam } from '../state/useViewParam';
import { userLabel } from '../userLabel';
import { DataTable } from './DataTable';
import { absoluteChange, deltaColumns } from './Delta';
import { Panel } from './Panel';
import type { QueryState } from './queryState';
import { Segmented } from './Segmented';

export const MOVER_DIMENSIONS = ['practice', 'email', 'model', 'tool', 'terminal'] as const;
export type MoverDimension = (typeof MOVER_DIMENSIONS)[number];
export const MOVER_METRICS = ['cost_usd', 'events', 'sessions', 'api_errors', 'tokens'] as const;
export type MoverMetric = (typeof MOVER_METRICS)[number];

const DIMENSION_LABELS: Record<MoverDimension, string> = {
  practice: 'Practice',
  email: 'User',
  model: 'Model',
  tool: 'Tool',
  terminal: 'Terminal',
};

const METRIC_LABELS: Record<MoverMetric, string> = {
  cost_usd: 'Cost',
  events: 'Events',
  sessions: 'Sessions',
  api_errors: 'API errors',
  tokens: 'Tokens',
};

// Where a click leads: the next dimension, within the value clicked.
export const NEXT_DIMENSION: Record<MoverDimension, MoverDimension | null> = {
  practice: 'email',
  email: 'model',
  terminal: 'email',
  model: 'tool',
  tool: null,
};

// Tool events carry no cost, tokens or API errors: ranked by those, every tool reads 0.
const TOOL_METRICS: MoverMetric[] = ['events', 'sessions'];

// The breakdown's sort only orders the answer (the ranking is by change); the Overview's cost
// panels ask the same, so the default question shares their request.
const SORT: Record<MoverMetric, MetricName> = {
  cost_usd: 'cost_usd',
  events: 'events',
  sessions: 'sessions',
  api_errors: 'api_errors',
  tokens: 'cost_usd',
};

const SHOWN = 10;

function valueOf(metrics: Metrics, metric: MoverMetric): number {
  return metric === 'tokens' ? totalTokens(metrics) : metrics[metric];
}

export interface Mover extends Change {
  now: number;
  before: number;
  change: number;
}

// The changes ranked by absolute change, largest first (ties by key); unchanged values left out.
export function rankMovers(changes: Change[], metric: MoverMetric): Mover[] {
  return changes
    .map((c) => {
      const now = valueOf(c.current, metric);
      const before = valueOf(c.previous, metric);
      return { ...c, now, before, change: absoluteChange(now, before) ?? 0 };
    })
    .filter((m) => m.change !== 0)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const PRESENCE_LABEL = { new: 'new', gone: 'gone', both: '' } as const;

export function WhatChangedPanel({ filters }: { filters: Filters }) {
  const [dimension, setDimension] = useViewParam<MoverDimension>('changed_by', MOVER_DIMENSIONS, 'practice');
  const [chosenMetric, setMetric] = useViewParam<MoverMetric>('changed_metric', MOVER_METRICS, 'cost_usd');
  const metric = dimension === 'tool' && !TOOL_METRICS.includes(chosenMetric) ? 'events' : chosenMetric;
  const [showAll, setShowAll] = useState(false);
  const range = useCompareRange(filters);
  const drill = useDrill();
  const query = useBreakdownCompared(dimension, filters, SORT[metric], undefined, range !== null);
  const movers = useMemo(() => (query.data ? rankMovers(changesOf(query.data), metric) : []), [query.data, metric]);

  // Without a period there is nothing to compare: the panel says so instead of waiting.
  const shownQuery: QueryState<Breakdown> =
    range === null ? { data: { by: dimension, rows: [] }, error: null, isPending: false, isFetching: false, refetch: () => undefined } : query;
  const format = metric === 'cost_usd' ? formatUsd : formatExact;
  const next = NEXT_DIMENSION[dimension];
  const label = DIMENSION_LABELS[dimension];
  const keyLabel = (key: string) => (dimension === 'email' ? userLabel(key) : key);

  const onDrill = (mover: Mover) => {
    const view: Record<string, string | null> = {};
    if (next) {
      view.changed_by = next === 'practice' ? null : next;
      if (next === 'tool' && !TOOL_METRICS.includes(metric)) view.changed_metric = 'events';
    }
    setShowAll(false);
    drill(filteredTo(filters, dimension, mover.key), view);
  };

  const rows = showAll ? movers : movers.slice(0, SHOWN);
  const previousRange = query.data?.previous_range;

  return (
    <Panel
      title="What changed"
      subtitle={
        range === null
          ? undefined
          : previousRange
            ? `${METRIC_LABELS[metric].toLowerCase()} by ${label.toLowerCase()}, largest change first, against ${previousRange.from.slice(0, 10)} to ${previousRange.to.slice(0, 10)} (exclusive)${next ? ` · click one to see its ${DIMENSION_LABELS[next].toLowerCase()}s` : ''}`
            : `largest change first${next ? ` · click one to see its ${DIMENSION_LABELS[next].toLowerCase()}s` : ''}`
      }
      query={shownQuery}
      isEmpty={() => range === null || !isCompared(query.data) || movers.length === 0}
      emptyText={range === null ? 'Choose a period to see what changed against the period before it.' : 'Nothing changed against the previous period.'}
      span={12}
      actions={
        <>
          <Segmented
            label="Dimension"
            value={dimension}
            onChange={setDimension}
            options={MOVER_DIMENSIONS.map((d) => ({ value: d, label: DIMENSION_LABELS[d] }))}
          />
          <Segmented
            label="Metric"
            value={metric}
            onChange={setMetric}
            options={MOVER_METRICS.filter((m) => dimension !== 'tool' || TOOL_METRICS.includes(m)).map((m) => ({
              value: m,
              label: METRIC_LABELS[m],
            }))}
          />
        </>
      }
    >
      {() => (
        <DataTable<Mover>
          caption={`What changed: ${METRIC_LABELS[metric].toLowerCase()} by ${label.toLowerCase()}`}
          rows={rows}
          rowKey={(m) => m.key}
          csvName={`what-changed-${dimension}-${metric}`}
          columns={[
            {
              key: 'key',
              label,
              value: (m) => m.key,
              sortable: false,
              render: (m) => (
                <>
                  {canFilterBy(m.key) ? (
                    <button type="button" className="drill" title={`Filter to ${m.key}`} onClick={() => onDrill(m)}>
                      {keyLabel(m.key)}
                    </button>
                  ) : (
                    <span title={m.key}>{keyLabel(m.key)}</span>
                  )}
                  {m.presence !== 'both' ? <span className="badge">{PRESENCE_LABEL[m.presence]}</span> : null}
                </>
              ),
            },
            { key: 'before', label: 'Before', value: (m) => m.before, numeric: true, render: (m) => format(m.before) },
            { key: 'now', label: 'Now', value: (m) => m.now, numeric: true, render: (m) => format(m.now) },
            ...deltaColumns<Mover>({
              key: 'value',
              label: METRIC_LABELS[metric],
              labels: ['Change', 'Change %'],
              current: (m) => m.now,
              previous: (m) => m.before,
              format,
            }),
          ]}
          footer={
            movers.length > SHOWN ? (
              <button type="button" className="button button--small" onClick={() => setShowAll((all) => !all)}>
                {showAll ? `Show the top ${SHOWN}` : `Show all ${movers.length}`}
              </button>
            ) : null
          }
        />
      )}
    </Panel>
  );
}
