import { useSessionState } from '../session/SessionContext';

// Budgets and alerts span every practice: a token scoped to some is refused them (403).
export const NEEDS_EVERY_PRACTICE =
  'Budgets and their alerts cover every practice, so they need a token that sees every practice. Yours sees only some; the forecasts and anomalies above are yours to use.';

// Whether to offer creating, changing and deleting budgets: admins may. In open mode (no tokens)
// anyone may, and until the session is known the server has the last word.
export function useCanChangeBudgets(): boolean {
  const state = useSessionState();
  if (state.phase !== 'ready') return true;
  return !state.session.auth_required || state.session.role === 'admin';
}
