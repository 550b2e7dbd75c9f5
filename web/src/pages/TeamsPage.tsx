import { type CSSProperties, useMemo } from 'react';

import { isCompared, useBreakdownCompared } from '../api/compare';
import { totalTokens } from '../api/metrics';
import {
  exportCsvUrl,
  useBreakdown,
  useBreakdownsPer,
  useEmployees,
  useFacets,
  useSummary,
  useTimeseries,
} from '../api/queries';
import type { Breakdown, BreakdownRow, Dimension } from '../api/types';
import { Chart } from '../charts/Chart';
import { barOption, timeOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { DataTable } from '../components/DataTable';
import { deltaColumns } from '../components/Delta';
import { KpiCard } from '../components/KpiCard';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { combineQueries } from '../components/queryState';
import { Segmented } from '../components/Segmented';
import { compareNatural, formatCount, formatExact, formatPercent, formatUsd } from '../format';
import { ATTRIBUTE_PREFIX, filterParams, type Filters, withAttribute } from '../state/filters';
import { useFilters, useSelectFilter } from '../state/useFilters';
import { useViewParam } from '../state/useViewParam';

type CellMetric = 'cost' | 'tokens' | 'users' | 'cost_per_user';

const CELL_METRICS: { value: CellMetric; label: string; of: (r: BreakdownRow) => number | null; format: (v: number | null) => string }[] = [
  { value: 'cost', label: 'Cost', of: (r) => r.cost_usd, format: formatUsd },
  { value: 'tokens', label: 'Tokens', of: totalTokens, format: formatCount },
  { value: 'users', label: 'Users', of: (r) => r.users, format: formatCount },
  { value: 'cost_per_user', label: 'Cost per user', of: (r) => (r.users > 0 ? r.cost_usd / r.users : null), format: formatUsd },
];

function PracticeLevelMatrix({ filters }: { filters: Filters }) {
  const [metricId, setMetricId] = useViewParam<CellMetric>('cell', ['cost', 'tokens', 'users', 'cost_per_user'], 'cost');
  const [, setFilters] = useFilters();
  const facets = useFacets();
  const practices = filters.practice.length > 0 ? filters.practice : (facets.data?.practice ?? []);
  const perPractice = useBreakdownsPer('level', 'practice', practices, filters);
  const totals = useBreakdown('practice', filters, 'cost_usd');
  const query = combineQueries(facets, perPractice, totals);
  const metric = CELL_METRICS.find((m) => m.value === metricId) ?? CELL_METRICS[0];

  return (
    <Panel
      title="Practice × level"
      subtitle="click a cell to filter by its practice and level"
      query={query}
      isEmpty={([, , practiceTotals]) => practiceTotals.rows.length === 0}
      span={12}
      actions={<Segmented label="Cell value" value={metric.value} onChange={setMetricId} options={CELL_METRICS} />}
    >
      {([, levelsPerPractice, practiceTotals]) => (
        <MatrixTable
          practices={practices}
          levelsPerPractice={levelsPerPractice}
          practiceTotals={practiceTotals}
          metric={metric}
          onSelect={(practice, level) => setFilters({ ...filters, practice: [practice], level: level ? [level] : [] })}
        />
      )}
    </Panel>
  );
}

function MatrixTable({
  practices,
  levelsPerPractice,
  practiceTotals,
  metric,
  onSelect,
}: {
  practices: string[];
  levelsPerPractice: Breakdown[];
  practiceTotals: Breakdown;
  metric: (typeof CELL_METRICS)[number];
  onSelect: (practice: string, level: string | null) => void;
}) {
  const levels = useMemo(
    () => [...new Set(levelsPerPractice.flatMap((b) => b.rows.map((r) => r.key)))].sort(compareNatural),
    [levelsPerPractice],
  );
  const rows = practices
    .map((practice, i) => ({
      practice,
      total: practiceTotals.rows.find((r) => r.key === practice),
      cells: new Map(levelsPerPractice[i]?.rows.map((r) => [r.key, r]) ?? []),
    }))
    .filter((row) => row.total);
  const max = Math.max(0, ...rows.flatMap((row) => [...row.cells.values()].map((c) => metric.of(c) ?? 0)));

  const exportColumns = [
    { key: 'practice', label: 'Practice', value: (r: (typeof rows)[number]) => r.practice },
    ...levels.map((level) => ({
      key: level,
      label: level,
      numeric: true,
      value: (r: (typeof rows)[number]) => {
        const cell = r.cells.get(level);
        return cell ? metric.of(cell) : null;
      },
      render: (r: (typeof rows)[number]) => {
        const cell = r.cells.get(level);
        const value = cell ? metric.of(cell) : null;
        if (value === null) return <span className="muted">–</span>;
        const strength = max > 0 ? value / max : 0;
        return (
          <button
            type="button"
            className="matrix__cell"
            style={{ '--strength': strength.toFixed(3) } as CSSProperties}
            data-strong={strength > 0.55}
            title={`${r.practice}, ${level}: ${metric.label} ${metric.format(value)}`}
            onClick={() => onSelect(r.practice, level)}
          >
            {metric.format(value)}
          </button>
        );
      },
    })),
    {
      key: 'all',
      label: 'All levels',
      numeric: true,
      value: (r: (typeof rows)[number]) => (r.total ? metric.of(r.total) : null),
      render: (r: (typeof rows)[number]) => (
        <button type="button" className="matrix__cell matrix__cell--total" onClick={() => onSelect(r.practice, null)}>
          {metric.format(r.total ? metric.of(r.total) : null)}
        </button>
      ),
    },
  ];
  return (
    <div className="matrix">
      <DataTable
        caption={`${metric.label} by practice and level`}
        columns={exportColumns}
        rows={rows}
        rowKey={(r) => r.practice}
        csvName={`practice-level-${metric.value}`}
      />
    </div>
  );
}

// Locations, or the groups of a custom attribute (team.id, cost_center, ...) the data carries.
function GroupPanel({ filters }: { filters: Filters }) {
  const facets = useFacets();
  const attributeKeys = Object.keys(facets.data ?? {})
    .filter((name) => name.startsWith(ATTRIBUTE_PREFIX))
    .map((name) => name.slice(ATTRIBUTE_PREFIX.length))
    .sort();
  const groups = ['location', ...attributeKeys.map((key) => `${ATTRIBUTE_PREFIX}${key}`)] as Dimension[];
  const [by, setBy] = useViewParam<Dimension>('group', groups, 'location');
  const attribute = by.startsWith(ATTRIBUTE_PREFIX) ? by.slice(ATTRIBUTE_PREFIX.length) : null;
  const label = attribute ?? 'Location';
  const query = useBreakdownCompared(by, filters, 'cost_usd');
  const compared = isCompared(query.data);
  const select = useSelectFilter();
  const [, setFilters] = useFilters();
  const selectGroup = (value: string) => {
    if (attribute === null) {
      select('location', value);
      return;
    }
    const only = filters.attributes[attribute]?.length === 1 && filters.attributes[attribute][0] === value;
    setFilters({ ...filters, attributes: withAttribute(filters.attributes, attribute, only ? [] : [value]) });
  };
  return (
    <Panel
      title={attribute === null ? 'Locations' : `By ${attribute}`}
      subtitle={`cost by ${attribute ?? 'location'}${compared ? ', the previous period faint' : ''} · click a bar to filter by it`}
      query={query}
      isEmpty={(d) => d.rows.length === 0}
      span={6}
      actions={
        attributeKeys.length > 0 ? (
          <label className="field">
            <span className="field__label">Group by</span>
            <select value={by} onChange={(event) => setBy(event.target.value as Dimension)} aria-label="Group by">
              {groups.map((group) => (
                <option key={group} value={group}>
                  {group === 'location' ? 'Location' : group.slice(ATTRIBUTE_PREFIX.length)}
                </option>
              ))}
            </select>
          </label>
        ) : undefined
      }
    >
      {(data) => (
        <>
          <Chart
            label={`Cost by ${attribute ?? 'location'}`}
            height={220}
            option={barOption({
              categories: data.rows.map((r) => r.key),
              series: [
                {
                  name: 'Cost',
                  values: data.rows.map((r) => r.cost_usd),
                  colour: SEMANTIC.input,
                  previous: compared ? data.rows.map((r) => r.previous?.cost_usd ?? 0) : undefined,
                },
              ],
              valueFormatter: formatUsd,
              horizontal: true,
            })}
            onSelect={(event) => selectGroup(String(event.name))}
          />
          <DataTable
            caption={attribute === null ? 'Locations' : `By ${attribute}`}
            rows={data.rows}
            rowKey={(r) => r.key}
            csvName={attribute === null ? 'locations' : `by-${attribute}`}
            csvHref={exportCsvUrl('breakdown', { ...filterParams(filters), by, sort: 'cost_usd' })}
            columns={[
              { key: attribute === null ? 'location' : 'group', label, value: (r) => r.key },
              { key: 'users', label: 'Users', value: (r) => r.users, numeric: true },
              { key: 'sessions', label: 'Sessions', value: (r) => r.sessions, numeric: true, render: (r) => formatCount(r.sessions) },
              { key: 'cost', label: 'Cost', value: (r) => r.cost_usd, numeric: true, render: (r) => formatUsd(r.cost_usd) },
              ...(compared
                ? deltaColumns<BreakdownRow>({ key: 'cost', label: 'Cost', current: (r) => r.cost_usd, previous: (r) => r.previous?.cost_usd, format: formatUsd })
                : []),
              {
                key: 'cost_per_user',
                label: 'Cost per user',
                value: (r) => (r.users > 0 ? r.cost_usd / r.users : null),
                numeric: true,
                render: (r) => formatUsd(r.users > 0 ? r.cost_usd / r.users : null),
              },
            ]}
          />
        </>
      )}
    </Panel>
  );
}

function AdoptionPanel({ filters }: { filters: Filters }) {
  const daily = useTimeseries('day', filters);
  const weekly = useTimeseries('week', filters);
  const summary = useSummary(filters);
  const employees = useEmployees();
  const query = combineQueries(daily, weekly, summary, employees);
  return (
    <Panel title="Adoption" subtitle="distinct active users · UTC" query={query} span={6}>
      {([day, week, current, directory]) => (
        <>
          <div className="kpis kpis--compact">
            <KpiCard id="active_users" label="Active users" value={formatCount(current.users)} />
            <KpiCard id="directory" label="In the directory" value={formatCount(directory.total)} />
            <KpiCard
              id="directory_share"
              label="Share of directory active"
              value={formatPercent(directory.total > 0 ? current.users / directory.total : null)}
            />
          </div>
          <h3 className="panel__section">Active users per day</h3>
          <Chart
            label="Active users per day"
            height={180}
            option={timeOption({
              times: day.points.map((p) => p.t),
              bucket: 'day',
              series: [{ name: 'Active users per day', values: day.points.map((p) => p.users), colour: SEMANTIC.input }],
              valueFormatter: formatExact,
              axisFormatter: formatCount,
            })}
          />
          <h3 className="panel__section">Active users per week (weeks start Monday)</h3>
          <Chart
            label="Active users per week"
            height={160}
            option={timeOption({
              times: week.points.map((p) => p.t),
              bucket: 'week',
              kind: 'bar',
              series: [{ name: 'Active users per week', values: week.points.map((p) => p.users), colour: SEMANTIC.output }],
              valueFormatter: formatExact,
              axisFormatter: formatCount,
            })}
          />
        </>
      )}
    </Panel>
  );
}

export default function TeamsPage() {
  const [filters] = useFilters();
  return (
    <div className="page">
      <PageHeader title="Teams">Where spend and usage sit across practices, levels and locations, and how many people use it.</PageHeader>
      <div className="grid">
        <PracticeLevelMatrix filters={filters} />
        <GroupPanel filters={filters} />
        <AdoptionPanel filters={filters} />
      </div>
    </div>
  );
}
