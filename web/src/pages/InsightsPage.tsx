import '../insights/insights.css';

import { PageHeader } from '../components/PageHeader';
import { AlertsPanel } from '../insights/AlertsPanel';
import { AnomaliesPanel } from '../insights/AnomaliesPanel';
import { BudgetsPanel } from '../insights/BudgetsPanel';
import { ForecastPanel } from '../insights/ForecastPanel';
import { ReportPanel } from '../insights/ReportPanel';
import { useFilters } from '../state/useFilters';

export default function InsightsPage() {
  const [filters] = useFilters();
  return (
    <div className="page">
      <PageHeader title="Insights">
        Where spend and usage are heading, what broke from the usual pattern and what drove it, the budgets that watch spend
        and the period's report. The forecast, the anomalies and the report follow the filters; budgets and their alerts
        cover the whole store.
      </PageHeader>
      <div className="grid">
        <ForecastPanel filters={filters} />
        <AnomaliesPanel filters={filters} />
        <BudgetsPanel />
        <AlertsPanel />
        <ReportPanel filters={filters} />
      </div>
    </div>
  );
}
