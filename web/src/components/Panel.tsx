import { type ReactNode, type Ref, useEffect, useId } from 'react';

import { isForbidden, isNetworkError } from '../api/client';
import { preloadCharts } from '../charts/Chart';

import type { QueryState } from './queryState';

interface PanelProps<T> {
  title: string;
  subtitle?: ReactNode;
  query: QueryState<T>;
  isEmpty?: (data: T) => boolean;
  emptyText?: string;
  // What a 403 means here, for panels whose answers only some roles get; by default the token's
  // practices do not cover the filters, which the page's scope notice explains.
  forbiddenText?: string;
  actions?: ReactNode;
  // Grid columns the panel spans (of 12).
  span?: 3 | 4 | 5 | 6 | 7 | 8 | 12;
  // The section element, for pages that fetch a panel's figures only once it is near the viewport.
  panelRef?: Ref<HTMLElement>;
  children: (data: T) => ReactNode;
}

// A titled card that shows its query's loading, error and empty states, so that no page has to.
// `data-status` and `aria-busy` tell tests and assistive technology when the figures are current.
export function Panel<T>({
  title,
  subtitle,
  query,
  isEmpty,
  emptyText = 'No data for these filters.',
  forbiddenText = "Outside your token's scope.",
  actions,
  span = 6,
  panelRef,
  children,
}: PanelProps<T>) {
  const headingId = useId();
  const { data, error } = query;
  // Panels mount in the same commit as their page's requests go out: loading the chart library
  // from here compiles it while the answers are on their way, not before the requests leave.
  useEffect(preloadCharts, []);
  let status: 'loading' | 'deferred' | 'forbidden' | 'offline' | 'error' | 'empty' | 'ready';
  let body: ReactNode;
  if (isNetworkError(error)) {
    // The server is unreachable: the banner at the top says so once, and the panel fetches again
    // by itself when it is back. Meanwhile it keeps the figures it had, if any.
    status = 'offline';
    body = data !== undefined && !isEmpty?.(data) ? children(data) : <p className="panel__empty">Waiting for the server…</p>;
  } else if (isForbidden(error)) {
    // Outside the token's scope: the page says so once (ScopeNotice), not in every panel.
    status = 'forbidden';
    body = <p className="panel__empty">{forbiddenText}</p>;
  } else if (error) {
    status = 'error';
    body = <ErrorMessage error={error} onRetry={query.refetch} />;
  } else if (data === undefined && !query.isFetching) {
    // Not asked for yet: the page fetches it once the panel is near the viewport.
    status = 'deferred';
    body = <DeferredMessage />;
  } else if (data === undefined) {
    status = 'loading';
    body = <LoadingMessage />;
  } else if (isEmpty?.(data)) {
    status = 'empty';
    body = <p className="panel__empty">{emptyText}</p>;
  } else {
    status = 'ready';
    body = children(data);
  }
  return (
    <section
      ref={panelRef}
      className={`panel span-${span}`}
      aria-labelledby={headingId}
      aria-busy={query.isFetching || status === 'loading'}
      data-status={status}
    >
      <header className="panel__header">
        <div>
          <h2 id={headingId} className="panel__title">
            {title}
          </h2>
          {subtitle ? <p className="panel__subtitle">{subtitle}</p> : null}
        </div>
        {actions ? <div className="panel__actions">{actions}</div> : null}
      </header>
      <div className="panel__body">{body}</div>
    </section>
  );
}

export function LoadingMessage() {
  return (
    <div className="loading" role="status">
      <span className="loading__bar" />
      <span className="visually-hidden">Loading…</span>
    </div>
  );
}

function DeferredMessage() {
  return (
    <div className="loading">
      <span className="visually-hidden">Loads when scrolled into view.</span>
    </div>
  );
}

export function ErrorMessage({ error, onRetry }: { error: Error; onRetry?: () => unknown }) {
  return (
    <div className="error" role="alert">
      <p>
        <strong>Could not load this.</strong> {error.message}
      </p>
      {onRetry ? (
        <button type="button" className="button" onClick={() => onRetry()}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
