import { useMemo, useState } from 'react';

import { ApiError } from '../api/client';
import { useSession } from '../api/queries';
import type { SessionDetail, SessionEvent } from '../api/types';
import { Chart } from '../charts/Chart';
import type { ChartOption } from '../charts/echarts';
import { escapeHtml } from '../charts/options';
import { CATEGORICAL, EVENT_COLOURS } from '../charts/palette';
import { KpiCard } from '../components/KpiCard';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import {
  formatClock,
  formatCount,
  formatDateTime,
  formatDurationMs,
  formatDurationS,
  formatExact,
  formatPercent,
  formatUsd,
  formatUsdFine,
  statusCodeLabel,
} from '../format';
import { useFilterQuery } from '../state/useFilters';
import { userLabel } from '../userLabel';

const KINDS: { event: string; label: string; colour: string }[] = [
  { event: 'user_prompt', label: 'Prompt', colour: EVENT_COLOURS.user_prompt },
  { event: 'api_request', label: 'API request', colour: EVENT_COLOURS.api_request },
  { event: 'api_error', label: 'API error', colour: EVENT_COLOURS.api_error },
  { event: 'tool_decision', label: 'Tool decision', colour: EVENT_COLOURS.tool_decision },
  { event: 'tool_result', label: 'Tool result', colour: EVENT_COLOURS.tool_result },
];
const OTHER = { label: 'Other', colour: CATEGORICAL[7] };

function kindOf(event: string) {
  return KINDS.find((k) => k.event === event) ?? { ...OTHER, event };
}

// What one event says, in a line.
function describe(e: SessionEvent): string {
  switch (e.event) {
    case 'user_prompt':
      return e.prompt_length !== undefined ? `${formatExact(e.prompt_length)} characters` : 'prompt';
    case 'api_request': {
      const tokens = [
        `${formatCount(e.input_tokens)} in`,
        `${formatCount(e.output_tokens)} out`,
        `${formatCount(e.cache_read_tokens)} cache read`,
        `${formatCount(e.cache_creation_tokens)} cache write`,
      ].join(' · ');
      return `${e.model ?? 'unknown model'} — ${tokens}`;
    }
    case 'api_error':
      return `${statusCodeLabel(e.status_code)}: ${e.error ?? 'error'}${e.attempt !== undefined ? ` (attempt ${e.attempt})` : ''}${e.model ? ` — ${e.model}` : ''}`;
    case 'tool_decision':
      return `${e.tool ?? 'tool'} ${e.decision === 'reject' ? 'rejected' : 'accepted'}${e.decision_source ? ` by ${e.decision_source}` : ''}`;
    case 'tool_result':
      return `${e.tool ?? 'tool'} ${e.success === false ? 'failed' : 'succeeded'}`;
    default:
      return e.event;
  }
}

// Offsets count from the first event shown (the session's first matching event).
function startOf(session: SessionDetail): number {
  return Date.parse(session.start ?? session.events[0]?.t ?? '');
}

function timelineOption(session: SessionDetail): ChartOption {
  const start = startOf(session);
  const lanes = KINDS.map((k) => k.label);
  return {
    grid: { left: 8, right: 16, top: 28, bottom: 8 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data: { value: [number, number]; event: SessionEvent } }) =>
        `${formatClock(p.data.event.t)} UTC<br/>${escapeHtml(describe(p.data.event))}` +
        (p.data.event.duration_ms !== undefined ? `<br/>${formatDurationMs(p.data.event.duration_ms)}` : '') +
        (p.data.event.cost_usd !== undefined ? `<br/>${formatUsdFine(p.data.event.cost_usd)}` : ''),
    },
    xAxis: {
      type: 'value',
      min: 0,
      axisLabel: { formatter: (v: number) => formatDurationMs(v) },
      splitLine: { lineStyle: { opacity: 0.4 } },
    },
    yAxis: { type: 'category', data: lanes, inverse: true },
    series: KINDS.map((kind, lane) => ({
      type: 'scatter',
      name: kind.label,
      symbolSize: 9,
      itemStyle: { color: kind.colour, opacity: 0.85 },
      data: session.events
        .filter((e) => e.event === kind.event)
        .map((e) => ({ value: [Date.parse(e.t) - start, lane], event: e })),
    })),
  };
}

function Timeline({ session }: { session: SessionDetail }) {
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const start = startOf(session);
  const counts = useMemo(() => {
    const map = new Map<string, number>();
    for (const e of session.events) map.set(e.event, (map.get(e.event) ?? 0) + 1);
    return map;
  }, [session.events]);
  const shown = session.events.filter((e) => !hidden.has(e.event));
  const toggle = (event: string) =>
    setHidden((current) => {
      const next = new Set(current);
      if (next.has(event)) next.delete(event);
      else next.add(event);
      return next;
    });

  return (
    <>
      <div className="chips" role="group" aria-label="Event types shown">
        {[...counts.entries()].map(([event, count]) => {
          const kind = kindOf(event);
          return (
            <button key={event} type="button" className="chip" aria-pressed={!hidden.has(event)} onClick={() => toggle(event)}>
              <span className="chip__dot" style={{ background: kind.colour }} aria-hidden="true" />
              {kind.label === OTHER.label ? event : kind.label} <span className="muted">{count}</span>
            </button>
          );
        })}
      </div>
      <ol className="timeline" aria-label="Session events in time order">
        {shown.map((e, i) => {
          const kind = kindOf(e.event);
          const failed = e.event === 'api_error' || (e.event === 'tool_result' && e.success === false) || e.decision === 'reject';
          return (
            <li key={`${e.t}-${i}`} className="timeline__event" data-event={e.event} data-failed={failed}>
              <span className="timeline__time" title={`${formatDateTime(e.t)}`}>
                {formatClock(e.t)}
                <span className="muted"> +{formatDurationMs(Date.parse(e.t) - start)}</span>
              </span>
              <span className="timeline__kind">
                <span className="chip__dot" style={{ background: kind.colour }} aria-hidden="true" />
                {kind.label === OTHER.label ? e.event : kind.label}
              </span>
              <span className="timeline__what">{describe(e)}</span>
              <span className="timeline__duration">{e.duration_ms !== undefined ? formatDurationMs(e.duration_ms) : ''}</span>
              <span className="timeline__cost">{e.cost_usd !== undefined ? formatUsdFine(e.cost_usd) : ''}</span>
            </li>
          );
        })}
      </ol>
    </>
  );
}

export default function SessionPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const session = useSession(id);
  const filterQuery = useFilterQuery();
  const notFound = session.error instanceof ApiError && session.error.status === 404;

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href={`/sessions${filterQuery}`}>Sessions</Link> / <code className="id">{id}</code>
      </nav>
      <PageHeader title="Session">
        {session.data ? (
          <>
            {session.data.email ? (
              <Link href={`/users/${encodeURIComponent(session.data.email)}${filterQuery}`} title={session.data.email}>
                {userLabel(session.data.email)}
              </Link>
            ) : (
              'unknown user'
            )}
            {[session.data.practice, session.data.terminal].filter(Boolean).map((part) => ` · ${part}`)} ·{' '}
            {formatDateTime(session.data.start)} to {formatDateTime(session.data.end)}
          </>
        ) : null}
      </PageHeader>
      {notFound ? (
        <div className="error" role="alert">
          <p>
            <strong>No session has this id.</strong> It may not have been ingested.
          </p>
        </div>
      ) : (
        <>
          <Panel title="Summary" query={session} span={12}>
            {(s) => (
              <div className="kpis">
                <KpiCard id="duration" label="Duration" value={formatDurationS(s.duration_s)} />
                <KpiCard id="cost" label="Cost" value={formatUsd(s.cost_usd)} />
                <KpiCard id="prompts" label="Prompts" value={formatExact(s.user_prompts)} />
                <KpiCard id="api_requests" label="API requests" value={formatExact(s.api_requests)} />
                <KpiCard id="api_errors" label="API errors" value={formatExact(s.api_errors)} />
                <KpiCard id="tool_results" label="Tool runs" value={formatExact(s.tool_results)} />
                <KpiCard id="tool_success" label="Tool success" value={formatPercent(s.tool_success_rate)} />
              </div>
            )}
          </Panel>
          <div className="grid">
            <Panel title="Timeline" subtitle="time since the session started" query={session} span={12} isEmpty={(s) => s.events.length === 0}>
              {(s) => <Chart label="Session timeline" height={220} option={timelineOption(s)} />}
            </Panel>
            <Panel title="Events" subtitle="in time order, UTC" query={session} span={12} isEmpty={(s) => s.events.length === 0}>
              {(s) => <Timeline session={s} />}
            </Panel>
          </div>
        </>
      )}
    </div>
  );
}
