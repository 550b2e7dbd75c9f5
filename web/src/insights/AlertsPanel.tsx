import { useState } from 'react';

import { useAlerts } from '../api/queries';
import type { Alert } from '../api/types';
import { DataTable, Pagination } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { formatDateTime, formatExact, formatUsd, MISSING } from '../format';
import { NEEDS_EVERY_PRACTICE } from './access';
import { thresholdText } from './BudgetsPanel';

const PAGE_SIZE = 50;

const STATUS_LABELS: Record<Alert['status'], string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  no_webhook: 'No webhook',
};

// Every threshold crossed and what became of its webhook, newest first.
export function AlertsPanel() {
  const [offset, setOffset] = useState(0);
  const query = useAlerts(PAGE_SIZE, offset);
  return (
    <Panel
      title="Alerts"
      subtitle="each threshold crossed, and the delivery of its webhook, newest first · UTC"
      query={query}
      isEmpty={(d) => d.total === 0}
      emptyText="No budget has crossed a threshold yet."
      forbiddenText={NEEDS_EVERY_PRACTICE}
      span={12}
    >
      {(data) => (
        <DataTable
          caption="Budget alerts"
          rows={data.alerts}
          rowKey={(a) => String(a.id)}
          csvName="budget-alerts"
          scope="store"
          columns={[
            { key: 'budget', label: 'Budget', value: (a) => a.budget },
            { key: 'threshold', label: 'Threshold', value: (a) => thresholdText(a) },
            { key: 'at', label: 'When', value: (a) => a.at, render: (a) => formatDateTime(a.at) },
            {
              key: 'spend_usd',
              label: 'Spend then',
              value: (a) => a.spend_usd,
              numeric: true,
              render: (a) => `${formatUsd(a.spend_usd)} of ${formatUsd(a.amount_usd)}`,
            },
            { key: 'forecast_usd', label: 'Forecast then', value: (a) => a.forecast_usd, kind: 'usd', hidden: true },
            {
              key: 'status',
              label: 'Status',
              value: (a) => a.status,
              render: (a) => (
                <span className="delivery" data-status={a.status}>
                  {STATUS_LABELS[a.status] ?? a.status}
                </span>
              ),
            },
            { key: 'attempts', label: 'Attempts', value: (a) => a.attempts, numeric: true, render: (a) => formatExact(a.attempts) },
            { key: 'last_attempt_at', label: 'Last attempt', value: (a) => a.last_attempt_at, render: (a) => formatDateTime(a.last_attempt_at), hidden: true },
            { key: 'last_error', label: 'Last error', value: (a) => a.last_error, render: (a) => a.last_error ?? MISSING },
            { key: 'delivered_at', label: 'Delivered', value: (a) => a.delivered_at, render: (a) => formatDateTime(a.delivered_at), hidden: true },
          ]}
          footer={
            data.total > PAGE_SIZE ? <Pagination offset={offset} limit={PAGE_SIZE} total={data.total} onChange={setOffset} /> : undefined
          }
        />
      )}
    </Panel>
  );
}
