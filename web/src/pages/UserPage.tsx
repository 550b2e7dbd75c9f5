import { ApiError } from '../api/client';
import { useBreakdown, useSessions, useUser } from '../api/queries';
import { Chart } from '../charts/Chart';
import { barOption, calendarOption, donutOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { useColours } from '../charts/useColours';
import { DataTable } from '../components/DataTable';
import { KpiCard } from '../components/KpiCard';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { Segmented } from '../components/Segmented';
import {
  formatCount,
  formatDateTime,
  formatDurationS,
  formatExact,
  formatPercent,
  formatUsd,
} from '../format';
import { useTheme } from '../state/theme';
import { useFilterQuery, useFilters } from '../state/useFilters';
import { useViewParam } from '../state/useViewParam';
import { userLabel } from '../userLabel';

type CalendarMetric = 'events' | 'sessions' | 'cost_usd';

export default function UserPage({ params }: { params: Record<string, string> }) {
  const email = params.email ?? '';
  const [globalFilters] = useFilters();
  const filterQuery = useFilterQuery();
  const theme = useTheme();
  const colour = useColours();
  // The page is about one user: the user filter is theirs, the other filters still apply.
  const filters = { ...globalFilters, email: [email] };
  const user = useUser(email, globalFilters.email.length > 0 ? { ...globalFilters, email: [] } : globalFilters);
  const byModel = useBreakdown('model', filters, 'cost_usd');
  const byTool = useBreakdown('tool', filters, 'tool_decisions');
  const sessions = useSessions(filters, { sort: 'start', order: 'desc', limit: 20, offset: 0 });
  const [calendarMetric, setCalendarMetric] = useViewParam<CalendarMetric>('calendar', ['events', 'sessions', 'cost_usd'], 'events');
  const notFound = user.error instanceof ApiError && user.error.status === 404;
  const isEmpty = (d: { rows: unknown[] }) => d.rows.length === 0;

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href={`/users${filterQuery}`}>Users</Link> / <span title={email}>{userLabel(email)}</span>
      </nav>
      <PageHeader title={user.data?.full_name || userLabel(email)}>
        {user.data ? (
          <>
            <span title={email}>{userLabel(email)}</span> · {user.data.practice} · {user.data.level} · {user.data.location}
          </>
        ) : null}
      </PageHeader>
      {notFound ? (
        <div className="error" role="alert">
          <p>
            <strong>No user with this email has any events.</strong>
          </p>
        </div>
      ) : (
        <>
          <Panel title="Profile" query={user} span={12}>
            {(u) => (
              <div className="kpis">
                <KpiCard id="cost" label="Cost" value={formatUsd(u.cost_usd)} />
                <KpiCard id="sessions" label="Sessions" value={formatExact(u.sessions)} />
                <KpiCard id="prompts" label="Prompts" value={formatExact(u.user_prompts)} />
                <KpiCard id="active_days" label="Active days" value={formatExact(u.active_days)} />
                <KpiCard id="tool_success" label="Tool success" value={formatPercent(u.tool_success_rate)} />
                <KpiCard id="cost_per_session" label="Cost per session" value={formatUsd(u.cost_per_session)} />
                <KpiCard
                  id="last_seen"
                  label="Last seen (UTC)"
                  value={formatDateTime(u.last_seen, false).slice(0, 10)}
                  hint={`first seen ${formatDateTime(u.first_seen, false).slice(0, 10)}`}
                />
              </div>
            )}
          </Panel>
          <div className="grid">
            <Panel
              title="Activity calendar"
              subtitle="days with activity, UTC"
              query={user}
              isEmpty={(u) => u.calendar.length === 0}
              span={6}
              actions={
                <Segmented
                  label="Calendar metric"
                  value={calendarMetric}
                  onChange={setCalendarMetric}
                  options={[
                    { value: 'events', label: 'Events' },
                    { value: 'sessions', label: 'Sessions' },
                    { value: 'cost_usd', label: 'Cost' },
                  ]}
                />
              }
            >
              {(u) => (
                <Chart
                  label="Activity calendar"
                  height={250}
                  option={calendarOption({
                    days: u.calendar.map((d) => ({ date: d.date, value: d[calendarMetric] })),
                    from: globalFilters.from?.slice(0, 10) ?? u.first_seen.slice(0, 10),
                    to: globalFilters.to?.slice(0, 10) ?? u.last_seen.slice(0, 10),
                    valueFormatter: calendarMetric === 'cost_usd' ? formatUsd : formatExact,
                    metricLabel: calendarMetric === 'cost_usd' ? 'Cost' : calendarMetric === 'sessions' ? 'Sessions' : 'Events',
                    theme,
                  })}
                />
              )}
            </Panel>

            <Panel title="Models" subtitle="cost by model" query={byModel} isEmpty={isEmpty} span={6}>
              {(data) => (
                <Chart
                  label="Cost by model"
                  height={260}
                  option={donutOption({
                    items: data.rows.map((r) => ({ name: r.key, value: r.cost_usd, colour: colour('model', r.key) })),
                    valueFormatter: formatUsd,
                  })}
                />
              )}
            </Panel>

            <Panel title="Tools" subtitle="decisions by tool" query={byTool} isEmpty={isEmpty} span={6}>
              {(data) => (
                <Chart
                  label="Tool decisions"
                  height={Math.max(260, data.rows.length * 20 + 40)}
                  option={barOption({
                    categories: data.rows.map((r) => r.key),
                    series: [{ name: 'Decisions', values: data.rows.map((r) => r.tool_decisions), colour: SEMANTIC.input }],
                    valueFormatter: formatExact,
                    axisFormatter: formatCount,
                    horizontal: true,
                  })}
                />
              )}
            </Panel>

            <Panel title="Recent sessions" query={sessions} isEmpty={(d) => d.total === 0} span={6}>
              {(data) => (
                <DataTable
                  caption="Recent sessions"
                  rows={data.rows}
                  rowKey={(r) => r.session_id}
                  csvName={`sessions-${email}`}
                  columns={[
                    {
                      key: 'start',
                      label: 'Start (UTC)',
                      value: (r) => r.start,
                      render: (r) => (
                        <Link href={`/sessions/${encodeURIComponent(r.session_id)}${filterQuery}`}>{formatDateTime(r.start, false)}</Link>
                      ),
                    },
                    { key: 'duration', label: 'Duration', value: (r) => r.duration_s, numeric: true, render: (r) => formatDurationS(r.duration_s) },
                    { key: 'prompts', label: 'Prompts', value: (r) => r.user_prompts, numeric: true },
                    { key: 'requests', label: 'Requests', value: (r) => r.api_requests, numeric: true },
                    { key: 'errors', label: 'Errors', value: (r) => r.api_errors, numeric: true },
                    { key: 'cost', label: 'Cost', value: (r) => r.cost_usd, numeric: true, render: (r) => formatUsd(r.cost_usd) },
                  ]}
                />
              )}
            </Panel>
          </div>
        </>
      )}
    </div>
  );
}
