import { Component, type ReactNode, useEffect } from 'react';

import { Brand } from './components/Brand';
import { FilterBar } from './components/FilterBar';
import { Link } from './components/Link';
import { ConnectionBanner } from './components/ConnectionBanner';
import { LoadingMessage } from './components/Panel';
import { type LazyComponent, useLazyComponent } from './lazyComponent';
import { LiveUpdates } from './live/LiveUpdates';
import { matchPath, useLocation } from './router';
import { DETAIL_PAGES, NAV_PAGES } from './routes';
import { ScopeNotice } from './session/ScopeNotice';
import { SessionBadge } from './session/SessionBadge';
import { setTheme, useTheme } from './state/theme';
import { useFilterQuery } from './state/useFilters';

// A page that throws while rendering shows what went wrong instead of a blank screen.
class PageErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error) {
    // The details are for developers (the console), not for the page.
    console.error(error);
  }

  render() {
    if (this.state.error) {
      return (
        <div className="error" role="alert">
          <p>
            <strong>This page could not be shown.</strong> Try again; if it keeps failing, reload the page.
          </p>
          <button type="button" className="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}

function ThemeToggle() {
  const theme = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="button button--quiet" onClick={() => setTheme(next)} aria-label={`Switch to ${next} theme`}>
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        <Link href="/">Go to the overview</Link>
      </p>
    </div>
  );
}

type PageParams = { params: Record<string, string> };

function resolvePage(pathname: string): { section: string | null; title: string; page?: LazyComponent<PageParams>; params: Record<string, string> } {
  const normalised = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const nav = NAV_PAGES.find((p) => p.path === normalised);
  if (nav) return { section: nav.path, title: nav.title, page: nav.page as LazyComponent<PageParams>, params: {} };
  for (const detail of DETAIL_PAGES) {
    const params = matchPath(detail.path, normalised);
    if (params) {
      const section = NAV_PAGES.find((p) => p.path === detail.section);
      return { section: detail.section, title: section?.title ?? '', page: detail.page, params };
    }
  }
  return { section: null, title: 'Not found', params: {} };
}

// Starts loading the code of the page at `pathname` before React first renders, so that it arrives
// alongside the app's own instead of after it. A failure is left for the page slot to report.
export function preloadPage(pathname: string): void {
  resolvePage(pathname).page?.load().catch(() => undefined);
}

function PageSlot({ page, params }: { page: LazyComponent<PageParams>; params: Record<string, string> }) {
  const { Component: Page, error, retry } = useLazyComponent(page);
  if (error) return <PageLoadFailed onRetry={retry} />;
  return Page ? <Page params={params} /> : <LoadingMessage />;
}

function PageLoadFailed({ onRetry }: { onRetry: () => void }) {
  return (
    <div className="error" role="alert">
      <p>
        <strong>This page could not be loaded.</strong> The connection may have dropped, or the dashboard was updated
        since this tab opened. It is tried again when the server is back; reloading loads the current version.
      </p>
      <p className="error__actions">
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload the page
        </button>
      </p>
    </div>
  );
}

export function App() {
  const { pathname } = useLocation();
  const filterQuery = useFilterQuery();
  const { section, title, page, params } = resolvePage(pathname);

  useEffect(() => {
    document.title = `${title} · ccanalytics`;
  }, [title]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Brand />
        <nav aria-label="Pages">
          <ul className="nav">
            {NAV_PAGES.map((page) => (
              <li key={page.path}>
                <Link
                  href={`${page.path}${filterQuery}`}
                  className="nav__link"
                  aria-current={section === page.path ? 'page' : undefined}
                >
                  {page.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar__footer">
          <ThemeToggle />
        </div>
      </aside>
      <div className="main">
        <div className="main__top">
          <ConnectionBanner />
          <header className="topbar">
            <FilterBar />
            <LiveUpdates />
            <SessionBadge />
          </header>
        </div>
        <main id="main" tabIndex={-1}>
          <ScopeNotice />
          <PageErrorBoundary key={pathname}>{page ? <PageSlot page={page} params={params} /> : <NotFound />}</PageErrorBoundary>
        </main>
      </div>
    </div>
  );
}
