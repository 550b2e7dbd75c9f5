import { lazy } from 'react';

// Each page is its own chunk, loaded when first visited.
export const NAV_PAGES = [
  { path: '/', title: 'Overview', page: lazy(() => import('./pages/OverviewPage')) },
  { path: '/teams', title: 'Teams', page: lazy(() => import('./pages/TeamsPage')) },
  { path: '/models', title: 'Models', page: lazy(() => import('./pages/ModelsPage')) },
  { path: '/tools', title: 'Tools', page: lazy(() => import('./pages/ToolsPage')) },
  { path: '/reliability', title: 'Reliability', page: lazy(() => import('./pages/ReliabilityPage')) },
  { path: '/activity', title: 'Activity', page: lazy(() => import('./pages/ActivityPage')) },
  { path: '/sessions', title: 'Sessions', page: lazy(() => import('./pages/SessionsPage')) },
  { path: '/users', title: 'Users', page: lazy(() => import('./pages/UsersPage')) },
  { path: '/quality', title: 'Data quality', page: lazy(() => import('./pages/QualityPage')) },
] as const;

export const DETAIL_PAGES = [
  { path: '/sessions/:id', section: '/sessions', page: lazy(() => import('./pages/SessionPage')) },
  { path: '/users/:email', section: '/users', page: lazy(() => import('./pages/UserPage')) },
] as const;
