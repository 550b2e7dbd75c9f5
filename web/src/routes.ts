import { lazyComponent } from './lazyComponent';

// Each page is its own chunk, loaded when first visited.
export const NAV_PAGES = [
  { path: '/', title: 'Overview', page: lazyComponent(() => import('./pages/OverviewPage')) },
  { path: '/insights', title: 'Insights', page: lazyComponent(() => import('./pages/InsightsPage')) },
  { path: '/teams', title: 'Teams', page: lazyComponent(() => import('./pages/TeamsPage')) },
  { path: '/models', title: 'Models', page: lazyComponent(() => import('./pages/ModelsPage')) },
  { path: '/tools', title: 'Tools', page: lazyComponent(() => import('./pages/ToolsPage')) },
  { path: '/code', title: 'Code', page: lazyComponent(() => import('./pages/CodePage')) },
  { path: '/reliability', title: 'Reliability', page: lazyComponent(() => import('./pages/ReliabilityPage')) },
  { path: '/activity', title: 'Activity', page: lazyComponent(() => import('./pages/ActivityPage')) },
  { path: '/sessions', title: 'Sessions', page: lazyComponent(() => import('./pages/SessionsPage')) },
  { path: '/users', title: 'Users', page: lazyComponent(() => import('./pages/UsersPage')) },
  { path: '/quality', title: 'Data quality', page: lazyComponent(() => import('./pages/QualityPage')) },
];

export const DETAIL_PAGES = [
  { path: '/sessions/:id', section: '/sessions', page: lazyComponent(() => import('./pages/SessionPage')) },
  { path: '/users/:email', section: '/users', page: lazyComponent(() => import('./pages/UserPage')) },
];
