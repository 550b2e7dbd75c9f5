import { exportCsvUrl, useUsers } from '../api/queries';
import type { UserRow } from '../api/types';
import { type Column, DataTable, Pagination } from '../components/DataTable';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { formatCount, formatDateTime, formatPercent, formatUsd } from '../format';
import { filterParams } from '../state/filters';
import { useFilterQuery, useFilters } from '../state/useFilters';
import { useOffsetParam, useViewParam } from '../state/useViewParam';
import { userLabel } from '../userLabel';

const PAGE_SIZE = 50;
const SORTABLE = [
  'cost_usd',
  'email',
  'sessions',
  'user_prompts',
  'api_requests',
  'output_tokens',
  'tool_success_rate',
  'active_days',
  'first_seen',
  'last_seen',
] as const;
type SortField = (typeof SORTABLE)[number];

export default function UsersPage() {
  const [filters] = useFilters();
  const filterQuery = useFilterQuery();
  const [sort, setSort] = useViewParam<SortField>('sort', SORTABLE, 'cost_usd');
  const [order, setOrder] = useViewParam<'asc' | 'desc'>('order', ['asc', 'desc'], sort === 'email' ? 'asc' : 'desc');
  const [offset, setOffset] = useOffsetParam('offset');
  const users = useUsers(filters, { sort, order, limit: PAGE_SIZE, offset });

  const onSort = (key: string) => {
    if (key === sort) setOrder(order === 'desc' ? 'asc' : 'desc');
    else {
      setSort(key as SortField);
      setOrder(key === 'email' ? 'asc' : 'desc');
    }
    setOffset(0);
  };

  const columns: Column<UserRow>[] = [
    { key: 'rank', label: '#', value: (r) => (users.data?.rows.indexOf(r) ?? 0) + offset + 1, numeric: true, sortable: false },
    {
      key: 'email',
      label: 'User',
      value: (r) => r.email,
      render: (r) => (
        <Link href={`/users/${encodeURIComponent(r.email)}${filterQuery}`} title={r.email}>
          {r.full_name ? (
            <>
              {r.full_name} <span className="muted">{userLabel(r.email)}</span>
            </>
          ) : (
            userLabel(r.email)
          )}
        </Link>
      ),
    },
    { key: 'practice', label: 'Practice', value: (r) => r.practice, sortable: false },
    { key: 'level', label: 'Level', value: (r) => r.level, sortable: false },
    { key: 'location', label: 'Location', value: (r) => r.location, sortable: false },
    { key: 'active_days', label: 'Active days', value: (r) => r.active_days, numeric: true },
    { key: 'sessions', label: 'Sessions', value: (r) => r.sessions, numeric: true },
    { key: 'user_prompts', label: 'Prompts', value: (r) => r.user_prompts, numeric: true, render: (r) => formatCount(r.user_prompts) },
    { key: 'output_tokens', label: 'Output tokens', value: (r) => r.output_tokens, numeric: true, render: (r) => formatCount(r.output_tokens) },
    {
      key: 'tool_success_rate',
      label: 'Tool success',
      value: (r) => r.tool_success_rate,
      numeric: true,
      render: (r) => formatPercent(r.tool_success_rate),
    },
    { key: 'cost_usd', label: 'Cost', value: (r) => r.cost_usd, numeric: true, render: (r) => formatUsd(r.cost_usd) },
    { key: 'last_seen', label: 'Last seen (UTC)', value: (r) => r.last_seen, render: (r) => formatDateTime(r.last_seen, false) },
  ];

  return (
    <div className="page">
      <PageHeader title="Users">Who uses it most, and how. Open a user for their activity, models and tools.</PageHeader>
      <div className="grid">
        <Panel
          title="Leaderboard"
          subtitle={users.data ? `${formatCount(users.data.total)} users` : undefined}
          query={users}
          isEmpty={(d) => d.total === 0}
          span={12}
        >
          {(data) => (
            <DataTable
              caption="Users"
              columns={columns}
              rows={data.rows}
              rowKey={(r) => r.email}
              csvName="users"
              csvHref={exportCsvUrl('users', { ...filterParams(filters), sort, order })}
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
