import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';

import { createBudget, updateBudget } from '../api/budgets';
import { isForbidden } from '../api/client';
import { useFacets } from '../api/queries';
import type { Budget, BudgetInput, BudgetPeriod, ThresholdBasis } from '../api/types';
import { LIST_FILTERS } from '../components/FilterBar';
import { MultiSelect } from '../components/MultiSelect';
import { canFilterBy } from '../state/drill';
import { userLabel } from '../userLabel';

// The form as typed: numbers stay text until the form is checked, so that a half-typed one is kept.
interface BudgetDraft {
  name: string;
  amount: string;
  period: BudgetPeriod;
  // Filter parameter -> values; sent as the API's comma-separated lists.
  filters: Record<string, string[]>;
  thresholds: { percent: string; basis: ThresholdBasis }[];
  webhook: string;
}

const NEW_BUDGET: BudgetDraft = {
  name: '',
  amount: '',
  period: 'month',
  filters: {},
  thresholds: [
    { percent: '80', basis: 'actual' },
    { percent: '100', basis: 'forecast' },
  ],
  webhook: '',
};

function draftOf(budget: Budget | null): BudgetDraft {
  if (!budget) return NEW_BUDGET;
  return {
    name: budget.name,
    amount: String(budget.amount_usd),
    period: budget.period,
    filters: Object.fromEntries(Object.entries(budget.filters).map(([key, value]) => [key, value.split(',').filter(Boolean)])),
    thresholds: budget.thresholds.map((t) => ({ percent: String(t.percent), basis: t.basis })),
    webhook: budget.webhook ?? '',
  };
}

interface BudgetProblems {
  name?: string;
  amount?: string;
  thresholds?: string;
  // By the threshold's position.
  threshold?: Record<number, string>;
  webhook?: string;
}

function positiveNumber(text: string): boolean {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value > 0;
}

// What the form can tell before asking the server; the server checks the rest and says why.
function budgetProblems(draft: BudgetDraft): BudgetProblems {
  const problems: BudgetProblems = {};
  if (!draft.name.trim()) problems.name = 'Give the budget a name.';
  if (!positiveNumber(draft.amount)) problems.amount = 'An amount in dollars, above 0.';
  if (draft.thresholds.length === 0) problems.thresholds = 'Add a threshold: a budget alerts only when one is crossed.';
  draft.thresholds.forEach((t, i) => {
    if (!positiveNumber(t.percent)) problems.threshold = { ...problems.threshold, [i]: 'A percentage of the amount, above 0.' };
  });
  const webhook = draft.webhook.trim();
  if (webhook) {
    let protocol = '';
    try {
      protocol = new URL(webhook).protocol;
    } catch {
      // Not an address at all: the message below says what is wanted.
    }
    if (protocol !== 'http:' && protocol !== 'https:') problems.webhook = 'An http:// or https:// address, or nothing.';
  }
  return problems;
}

function inputOf(draft: BudgetDraft): BudgetInput {
  const webhook = draft.webhook.trim();
  return {
    name: draft.name.trim(),
    amount_usd: Number(draft.amount),
    period: draft.period,
    filters: Object.fromEntries(
      Object.entries(draft.filters)
        .filter(([, values]) => values.length > 0)
        .map(([key, values]) => [key, values.join(',')]),
    ),
    thresholds: draft.thresholds.map((t) => ({ percent: Number(t.percent), basis: t.basis })),
    ...(webhook ? { webhook } : {}),
  };
}

// A labelled control with its problem, if any, read out with it.
function Field({ label, problem, hint, children }: {
  label: string;
  problem?: string;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const problemId = `${id}-problem`;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': problem ? problemId : undefined })}
      {problem ? (
        <span className="field__problem" id={problemId}>
          {problem}
        </span>
      ) : hint ? (
        <span className="field__hint">{hint}</span>
      ) : null}
    </div>
  );
}

const LIST_FILTER_KEYS = new Set<string>(LIST_FILTERS.map((f) => f.key));

// Creating a budget, or changing `budget`. `onSaved` is called once the server has taken it.
export function BudgetForm({ budget, onSaved, onCancel }: { budget: Budget | null; onSaved: () => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(budget));
  // Problems show from the first attempt to save, and then follow the typing.
  const [checked, setChecked] = useState(false);
  const facets = useFacets();
  const save = useMutation({
    mutationFn: (input: BudgetInput) => (budget ? updateBudget(budget.id, input) : createBudget(input)),
    onSuccess: onSaved,
  });
  const problems = checked ? budgetProblems(draft) : {};
  const update = (patch: Partial<BudgetDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setThreshold = (index: number, patch: Partial<BudgetDraft['thresholds'][number]>) =>
    update({ thresholds: draft.thresholds.map((t, i) => (i === index ? { ...t, ...patch } : t)) });
  // Filters a budget has that the form has no list for (a tool, a custom attribute) are kept as they are.
  const otherFilters = Object.entries(draft.filters).filter(([key, values]) => !LIST_FILTER_KEYS.has(key) && values.length > 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(budgetProblems(draft)).length > 0) return;
    save.mutate(inputOf(draft));
  };

  return (
    <form className="budget-form" aria-label={budget ? `Edit budget ${budget.name}` : 'New budget'} onSubmit={submit} noValidate>
      <div className="budget-form__row">
        <Field label="Name" problem={problems.name}>
          {(props) => <input {...props} type="text" value={draft.name} autoFocus onChange={(e) => update({ name: e.target.value })} />}
        </Field>
        <Field label="Amount (USD)" problem={problems.amount}>
          {(props) => (
            <input {...props} type="number" min="0" step="any" inputMode="decimal" value={draft.amount} onChange={(e) => update({ amount: e.target.value })} />
          )}
        </Field>
        <Field label="Period" hint="calendar periods, UTC">
          {(props) => (
            <select {...props} value={draft.period} onChange={(e) => update({ period: e.target.value as BudgetPeriod })}>
              <option value="day">Day</option>
              <option value="week">Week</option>
              <option value="month">Month</option>
            </select>
          )}
        </Field>
        <Field label="Webhook (optional)" problem={problems.webhook} hint="told of every threshold crossed">
          {(props) => (
            <input {...props} type="url" placeholder="https://" value={draft.webhook} onChange={(e) => update({ webhook: e.target.value })} />
          )}
        </Field>
      </div>

      <fieldset className="budget-form__group">
        <legend>Spend counted</legend>
        <div className="budget-form__filters">
          {LIST_FILTERS.map(({ key, label }) => (
            <MultiSelect
              key={key}
              label={label}
              // A value holding a comma cannot be one of a filter's comma-separated values.
              options={(facets.data?.[key] ?? []).filter(canFilterBy)}
              selected={draft.filters[key] ?? []}
              optionLabel={key === 'email' ? userLabel : undefined}
              onChange={(values) => update({ filters: { ...draft.filters, [key]: values } })}
            />
          ))}
        </div>
        <p className="field__hint">
          {Object.values(draft.filters).some((values) => values.length > 0) ? 'Only the spend these filters match.' : 'Every practice, model and user.'}
          {otherFilters.length > 0 ? ` Also filtered by ${otherFilters.map(([key, values]) => `${key}: ${values.join(' or ')}`).join('; ')}.` : ''}
        </p>
      </fieldset>

      <fieldset className="budget-form__group">
        <legend>Thresholds</legend>
        {problems.thresholds ? <p className="field__problem">{problems.thresholds}</p> : null}
        <ul className="budget-form__thresholds">
          {draft.thresholds.map((threshold, index) => (
            <li key={index} role="group" aria-label={`Threshold ${index + 1}`}>
              <Field label="Percent of the amount" problem={problems.threshold?.[index]}>
                {(props) => (
                  <input
                    {...props}
                    type="number"
                    min="0"
                    step="any"
                    inputMode="decimal"
                    value={threshold.percent}
                    onChange={(e) => setThreshold(index, { percent: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Reached by">
                {(props) => (
                  <select {...props} value={threshold.basis} onChange={(e) => setThreshold(index, { basis: e.target.value as ThresholdBasis })}>
                    <option value="actual">the spend so far</option>
                    <option value="forecast">the forecast to the period's end</option>
                  </select>
                )}
              </Field>
              <button
                type="button"
                className="button button--small"
                onClick={() => update({ thresholds: draft.thresholds.filter((_, i) => i !== index) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="button button--small"
          onClick={() => update({ thresholds: [...draft.thresholds, { percent: '', basis: 'actual' }] })}
        >
          Add a threshold
        </button>
      </fieldset>

      {save.error ? (
        <div className="error" role="alert">
          <p>
            <strong>{isForbidden(save.error) ? 'Only an admin token can change budgets.' : 'The server did not take the budget.'}</strong>{' '}
            {save.error.message}
          </p>
        </div>
      ) : null}
      <div className="budget-form__actions">
        <button type="submit" className="button" disabled={save.isPending}>
          {budget ? 'Save changes' : 'Create budget'}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
