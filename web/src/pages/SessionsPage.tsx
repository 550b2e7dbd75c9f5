import { exportCsvUrl, useSessions } from '../api/queries';
import type { SessionRow } from '../api/types';
import { type Column, DataTable, Pagination } from '../components/DataTable';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { formatCount, formatDateTime, formatDurationS, formatExact, formatUsd } from '../format';
import { filterParams } from '../state/filters';
import { useFilterQuery, useFilters } from '../state/useFilters';
import { useOffsetParam, useViewParam } from '../state/useViewParam';
import { userLabel } from '../userLabel';

const PAGE_SIZE = 50;
// Column keys are the API's sort fields.
const SORTABLE = ['start', 'end', 'duration_s', 'user_prompts', 'api_requests', 'tool_results', 'api_errors', 'cost_usd', 'events'] as const;
type SortField = (typeof SORTABLE)[number];

export default function SessionsPage() {
  const [filters] = useFilters();
  const filterQuery = useFilterQuery();
  const [sort, setSort] = useViewParam<SortField>('sort', SORTABLE, 'start');
  const [order, setOrder] = useViewParam<'asc' | 'desc'>('order', ['asc', 'desc'], 'desc');
  const [offset, setOffset] = useOffsetParam('offset');
  const sessions = useSessions(filters, { sort, order, limit: PAGE_SIZE, offset });

  const onSort = (key: string) => {
    if (key === sort) setOrder(order === 'desc' ? 'asc' : 'desc');
    else {
      setSort(key as SortField);
      setOrder('desc');
    }
    setOffset(0);
  };

  const columns: Column<SessionRow>[] = [
    {
      key: 'start',
      label: 'Start (UTC)',
      value: (r) => r.start,
      render: (r) => <Link href={`/sessions/${encodeURIComponent(r.session_id)}${filterQuery}`}>{formatDateTime(r.start, false)}</Link>,
    },
    {
      key: 'user',
      label: 'User',
      value: (r) => r.email,
      sortable: false,
      render: (r) =>
        r.email ? (
          <Link href={`/users/${encodeURIComponent(r.email)}${filterQuery}`} title={r.email}>
            {userLabel(r.email)}
          </Link>
        ) : (
          '–'
        ),
    },
    { key: 'practice', label: 'Practice', value: (r) => r.practice, sortable: false },
    { key: 'terminal', label: 'Terminal', value: (r) => r.terminal, sortable: false },
    { key: 'duration_s', label: 'Duration', value: (r) => r.duration_s, numeric: true, render: (r) => formatDurationS(r.duration_s) },
    { key: 'user_prompts', label: 'Prompts', value: (r) => r.user_prompts, numeric: true },
    { key: 'api_requests', label: 'Requests', value: (r) => r.api_requests, numeric: true },
    { key: 'tool_results', label: 'Tool runs', value: (r) => r.tool_results, numeric: true },
    { key: 'api_errors', label: 'Errors', value: (r) => r.api_errors, numeric: true },
    { key: 'events', label: 'Events', value: (r) => r.events, numeric: true, render: (r) => formatExact(r.events) },
    { key: 'cost_usd', label: 'Cost', value: (r) => r.cost_usd, numeric: true, render: (r) => formatUsd(r.cost_usd) },
    { key: 'session_id', label: 'Session id', value: (r) => r.session_id, sortable: false, render: (r) => <code className="id">{r.session_id.slice(0, 8)}</code> },
  ];

  return (
    <div className="page">
      <PageHeader title="Sessions">Every session that matches the filters. Open one to see its events in order.</PageHeader>
      <div className="grid">
        <Panel
          title="Sessions"
          subtitle={sessions.data ? `${formatCount(sessions.data.total)} sessions` : undefined}
          query={sessions}
          isEmpty={(d) => d.total === 0}
          span={12}
        >
          {(data) => (
            <DataTable
              caption="Sessions"
              columns={columns}
              rows={data.rows}
              rowKey={(r) => r.session_id}
              csvName="sessions"
              csvHref={exportCsvUrl('sessions', { ...filterParams(filters), sort, order })}
              sort={{ key: sort, order }}
              onSort={onSort}
              footer={<Pagination offset={offset} limit={PAGE_SIZE} total={data.total} onChange={setOffset} />}
            />
          )}
        </Panel>
      </div>
    </div>
  );
}
