import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';

import { deleteBudget, useRefreshBudgets } from '../api/budgets';
import { isForbidden } from '../api/client';
import { useBudgets } from '../api/queries';
import type { Budget, BudgetPeriod } from '../api/types';
import { DataTable } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { formatDateTime, formatPercent, formatUsd } from '../format';
import { addDays } from '../state/periods';
import { NEEDS_EVERY_PRACTICE, useCanChangeBudgets } from './access';
import { BudgetForm } from './BudgetForm';
import { ShareBar } from './ShareBar';

const PERIOD_LABELS: Record<BudgetPeriod, string> = { day: 'Day', week: 'Week', month: 'Month' };

// "2026-01-01 to 2026-01-31": the period's UTC days, its end exclusive as the API gives it.
function periodDays(start: string, end: string): string {
  const first = start.slice(0, 10);
  const last = addDays(end.slice(0, 10), -1);
  return first === last ? first : `${first} to ${last}`;
}

function filtersText(filters: Record<string, string>): string {
  const parts = Object.entries(filters).map(([key, value]) => `${key}: ${value.split(',').join(' or ')}`);
  return parts.length > 0 ? parts.join('; ') : 'all spend';
}

export function thresholdText(t: { percent: number; basis: 'actual' | 'forecast' }): string {
  return `${t.percent} % of the amount by the ${t.basis === 'actual' ? 'spend' : 'forecast'}`;
}

function share(part: number, amount: number): number | null {
  return amount > 0 ? part / amount : null;
}

// Edit and Delete for one budget; Delete asks first, in place.
function BudgetActions({ budget, onEdit }: { budget: Budget; onEdit: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const refresh = useRefreshBudgets();
  const remove = useMutation({ mutationFn: () => deleteBudget(budget.id), onSuccess: refresh });
  if (confirming) {
    return (
      <span className="row-actions" role="group" aria-label={`Delete ${budget.name}?`}>
        <span>Delete this budget and its alerts?</span>
        <button type="button" className="button button--small button--danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
          Delete
        </button>
        <button
          type="button"
          className="button button--small"
          autoFocus
          onClick={() => {
            setConfirming(false);
            remove.reset();
          }}
        >
          Keep
        </button>
        {remove.error ? (
          <span className="field__problem" role="alert">
            Not deleted: {remove.error.message}
          </span>
        ) : null}
      </span>
    );
  }
  return (
    <span className="row-actions">
      <button type="button" className="button button--small" aria-label={`Edit ${budget.name}`} onClick={onEdit}>
        Edit
      </button>
      <button type="button" className="button button--small" aria-label={`Delete ${budget.name}`} onClick={() => setConfirming(true)}>
        Delete
      </button>
    </span>
  );
}

export function BudgetsPanel() {
  const query = useBudgets();
  const canChange = useCanChangeBudgets() && !isForbidden(query.error);
  const refresh = useRefreshBudgets();
  // The budget being edited, `new` for one being made, or null with the form closed.
  const [editing, setEditing] = useState<Budget | 'new' | null>(null);
  const closeForm = () => setEditing(null);
  const saved = () => {
    closeForm();
    void refresh();
  };
  return (
    <Panel
      title="Budgets"
      subtitle="spend this period against each budget's amount, and where the forecast takes it by the period's end · UTC"
      query={query}
      forbiddenText={NEEDS_EVERY_PRACTICE}
      span={12}
      actions={
        canChange ? (
          <button type="button" className="button button--small" disabled={editing !== null} onClick={() => setEditing('new')}>
            New budget
          </button>
        ) : null
      }
    >
      {(data) => (
        <>
          {data.budgets.length === 0 ? (
            <p className="panel__empty">No budgets yet{canChange ? ': New budget sets one, with the thresholds that alert.' : '.'}</p>
          ) : (
            <DataTable
              caption="Budgets"
              rows={data.budgets}
              rowKey={(b) => String(b.id)}
              csvName="budgets"
              scope="store"
              columns={[
                {
                  key: 'name',
                  label: 'Budget',
                  value: (b) => b.name,
                  render: (b) => (
                    <>
                      <span className="budget__name">{b.name}</span>
                      {canChange ? <BudgetActions budget={b} onEdit={() => setEditing(b)} /> : null}
                    </>
                  ),
                },
                { key: 'filters', label: 'Spend counted', value: (b) => filtersText(b.filters) },
                {
                  key: 'period',
                  label: 'Period',
                  value: (b) => b.period_start,
                  render: (b) => `${PERIOD_LABELS[b.period]}: ${periodDays(b.period_start, b.period_end)}`,
                },
                {
                  key: 'spend_usd',
                  label: 'Spend',
                  value: (b) => b.spend_usd,
                  numeric: true,
                  render: (b) => (
                    <ShareBar
                      fraction={share(b.spend_usd, b.amount_usd) ?? 0}
                      text={`${formatUsd(b.spend_usd)} of ${formatUsd(b.amount_usd)} (${formatPercent(share(b.spend_usd, b.amount_usd), 0)})`}
                      alarm={b.state === 'alarm'}
                    />
                  ),
                },
                { key: 'amount_usd', label: 'Amount', value: (b) => b.amount_usd, kind: 'usd', hidden: true },
                {
                  key: 'forecast_usd',
                  label: 'Forecast to the period end',
                  value: (b) => b.forecast_usd,
                  numeric: true,
                  render: (b) => `${formatUsd(b.forecast_usd)} (${formatPercent(share(b.forecast_usd, b.amount_usd), 0)})`,
                },
                {
                  key: 'state',
                  label: 'State',
                  value: (b) => b.state,
                  render: (b) => (
                    <span className="state-badge" data-state={b.state}>
                      {b.state === 'alarm' ? 'Alarm' : 'OK'}
                    </span>
                  ),
                },
                {
                  key: 'thresholds',
                  label: 'Thresholds',
                  sortable: false,
                  value: (b) =>
                    b.thresholds.map((t) => `${thresholdText(t)}: ${t.state === 'alarm' ? `fired ${formatDateTime(t.fired_at)}` : 'not reached'}`).join('; '),
                  render: (b) => (
                    <ul className="thresholds">
                      {b.thresholds.map((t) => (
                        <li key={`${t.percent}:${t.basis}`} data-state={t.state}>
                          {thresholdText(t)}:{' '}
                          {t.state === 'alarm' ? <strong>fired {formatDateTime(t.fired_at)}</strong> : 'not reached'}
                        </li>
                      ))}
                    </ul>
                  ),
                },
                { key: 'webhook', label: 'Webhook', value: (b) => b.webhook ?? '', hidden: true },
              ]}
            />
          )}
          {editing !== null ? (
            <BudgetForm
              // A new form for each budget edited, its fields from that budget.
              key={editing === 'new' ? 'new' : editing.id}
              budget={editing === 'new' ? null : editing}
              onSaved={saved}
              onCancel={closeForm}
            />
          ) : null}
        </>
      )}
    </Panel>
  );
}
