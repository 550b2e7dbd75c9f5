// Creating, changing and deleting budgets (admins only). Through the client's `request`, so each
// carries the session's CSRF token; a refusal is raised with the server's message.

import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

import { request } from './client';
import { ALERTS_URL, BUDGETS_URL } from './queries';
import type { Budget, BudgetInput } from './types';

function budgetUrl(id: number): string {
  return `${BUDGETS_URL}/${encodeURIComponent(String(id))}`;
}

export function createBudget(input: BudgetInput): Promise<Budget> {
  return request<Budget>(BUDGETS_URL, { method: 'POST', body: input });
}

// The thresholds' states start again when the thresholds change.
export function updateBudget(id: number, input: BudgetInput): Promise<Budget> {
  return request<Budget>(budgetUrl(id), { method: 'PUT', body: input });
}

export function deleteBudget(id: number): Promise<void> {
  return request<void>(budgetUrl(id), { method: 'DELETE' });
}

// After a change: the budgets' figures, and the alerts of a budget deleted, are fetched again.
export function useRefreshBudgets(): () => Promise<void> {
  const client = useQueryClient();
  return useCallback(
    () => client.invalidateQueries({ predicate: (query) => [BUDGETS_URL, ALERTS_URL].some((url) => String(query.queryKey[0]).startsWith(url)) }),
    [client],
  );
}
