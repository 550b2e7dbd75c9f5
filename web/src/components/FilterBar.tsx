import { useCallback, useEffect, useId, useState } from 'react';

import { isForbidden, isNetworkError } from '../api/client';
import { useFacets } from '../api/queries';
import { compareNatural, formatDateTime } from '../format';
import {
  ATTRIBUTE_PREFIX,
  type Filters,
  isDay,
  type ListFilterKey,
  NO_FILTERS,
  withAttribute,
} from '../state/filters';
import { CALENDAR_PRESETS, matchPreset, monthPresets, type PresetId, PRESETS, presetRange, rangeProblem } from '../state/periods';
import { useDataExtent, useFilters } from '../state/useFilters';
import { userLabel } from '../userLabel';
import { EventFilterChips } from './EventFilterChips';
import { MultiSelect } from './MultiSelect';

// The filters chosen from lists of the store's values (the event filters are set by drilling down).
export const LIST_FILTERS: { key: ListFilterKey; label: string }[] = [
  { key: 'practice', label: 'Practice' },
  { key: 'level', label: 'Level' },
  { key: 'location', label: 'Location' },
  { key: 'model', label: 'Model' },
  { key: 'email', label: 'User' },
  { key: 'terminal', label: 'Terminal' },
];

// "2026-01-05T14:00:00Z" shows as a day in a date input; the exact instant is shown beside it.
function dayPart(value: string | null): string {
  return value ? value.slice(0, 10) : '';
}

// The custom range as typed. A bound reaches the URL (and so the queries) only once the range is
// valid: an invalid date or a start after the end is flagged at its field instead of sending
// requests every panel would answer with an error.
function useRangeDraft(from: string | null, to: string | null, commit: (from: string | null, to: string | null) => void) {
  const [draft, setDraft] = useState({ from: dayPart(from), to: dayPart(to) });
  useEffect(() => setDraft({ from: dayPart(from), to: dayPart(to) }), [from, to]);
  const problem = rangeProblem(draft.from, draft.to);
  const change = (field: 'from' | 'to', value: string, badInput = false) => {
    // A browser that cannot read the typed date reports an empty value and `badInput`.
    const next = { ...draft, [field]: badInput ? 'invalid' : value };
    setDraft(next);
    if (rangeProblem(next.from, next.to)) return;
    // An unchanged bound keeps its exact form (an instant stays an instant).
    const bound = (typed: string, current: string | null) => (typed === dayPart(current) ? current : typed || null);
    commit(bound(next.from, from), bound(next.to, to));
  };
  return { draft, problem, change };
}

// The one filter bar: every page reads its filters from the URL this writes.
export function FilterBar() {
  const [filters, setFilters] = useFilters();
  // Every value in the store, for the lists' labels and the attribute filters offered; and, while a
  // list is open, for each filter the values among the events the other filters match. Asking the
  // latter only then keeps a filter change to the requests of the panels in view.
  const [openLists, setOpenLists] = useState(0);
  const onListOpen = useCallback((open: boolean) => setOpenLists((n) => n + (open ? 1 : -1)), []);
  const all = useFacets();
  const narrowed = useFacets(filters, openLists > 0);
  const facets = openLists > 0 && narrowed.data ? narrowed : all;
  const facetsError = all.error ?? (openLists > 0 ? narrowed.error : null);
  // The whole store's extent anchors the presets ("last 7 days" of the data).
  const { firstDay, lastDay } = useDataExtent();
  const preset = matchPreset(filters.from, filters.to, lastDay, firstDay);
  const instantRange = (filters.from && !isDay(filters.from)) || (filters.to && !isDay(filters.to));
  const anyFilter = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const months = lastDay ? monthPresets(lastDay, firstDay) : [];
  const errorId = useId();

  const update = (patch: Partial<Filters>) => setFilters({ ...filters, ...patch });
  const range = useRangeDraft(filters.from, filters.to, (from, to) => update({ from, to }));
  // Custom attributes the data carries, and any the URL filters on.
  const attributeKeys = [
    ...new Set([
      ...Object.keys(facets.data ?? {})
        .filter((name) => name.startsWith(ATTRIBUTE_PREFIX))
        .map((name) => name.slice(ATTRIBUTE_PREFIX.length)),
      ...Object.keys(filters.attributes),
    ]),
  ].sort();

  const choosePreset = (id: PresetId) => {
    if (id === 'all') update({ from: null, to: null });
    else if (lastDay) update(presetRange(id, lastDay));
  };

  const dateField = (field: 'from' | 'to', label: string, min: string | undefined, max: string | undefined) => {
    const invalid = range.problem?.field === field;
    return (
      <label className="field">
        <span className="field__label">{label}</span>
        <input
          type="date"
          value={range.draft[field] === 'invalid' ? '' : range.draft[field]}
          min={min}
          max={max}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? errorId : undefined}
          onChange={(event) => range.change(field, event.target.value, event.target.validity?.badInput ?? false)}
        />
      </label>
    );
  };

  return (
    <div className="filterbar" role="search" aria-label="Filters">
      <div className="filterbar__dates">
        <label className="field">
          <span className="field__label">Period</span>
          <select
            value={preset}
            onChange={(event) => choosePreset(event.target.value as PresetId)}
            aria-label="Date range preset"
          >
            <option value="all">All time</option>
            <optgroup label="Rolling, to the last day with data">
              {PRESETS.filter((p) => p.days !== null).map((p) => (
                <option key={p.id} value={p.id} disabled={!lastDay}>
                  {p.label}
                </option>
              ))}
            </optgroup>
            <optgroup label="Calendar (UTC)">
              {CALENDAR_PRESETS.map((p) => (
                <option key={p.id} value={p.id} disabled={!lastDay}>
                  {p.label}
                </option>
              ))}
            </optgroup>
            {months.length > 0 ? (
              <optgroup label="Months">
                {months.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
            <option value="custom" disabled>
              Custom range
            </option>
          </select>
        </label>
        {dateField('from', 'From', firstDay ?? undefined, range.draft.to && range.draft.to !== 'invalid' ? range.draft.to : (lastDay ?? undefined))}
        {dateField('to', 'To', range.draft.from && range.draft.from !== 'invalid' ? range.draft.from : (firstDay ?? undefined), lastDay ?? undefined)}
        {range.problem ? (
          <p className="filterbar__invalid" id={errorId} role="alert">
            {range.problem.message} The figures still show the last valid period.
          </p>
        ) : (
          <span className="filterbar__zone" title="Every date and time on this dashboard is in UTC">
            {instantRange
              ? `${formatDateTime(filters.from, false)} – ${formatDateTime(filters.to, false)} UTC`
              : 'UTC'}
          </span>
        )}
      </div>
      <div className="filterbar__lists">
        {LIST_FILTERS.map(({ key, label }) => {
          const options = facets.data?.[key] ?? [];
          return (
            <MultiSelect
              key={key}
              label={label}
              options={key === 'level' ? [...options].sort(compareNatural) : options}
              counts={facets.data?.counts?.[key]}
              onOpenChange={onListOpen}
              selected={filters[key]}
              optionLabel={key === 'email' ? userLabel : undefined}
              onChange={(values) => update({ [key]: values })}
            />
          );
        })}
        {attributeKeys.map((key) => (
          <MultiSelect
            key={ATTRIBUTE_PREFIX + key}
            label={key}
            options={facets.data?.[`attr.${key}`] ?? []}
            counts={facets.data?.counts?.[`attr.${key}`]}
            onOpenChange={onListOpen}
            selected={filters.attributes[key] ?? []}
            onChange={(values) => update({ attributes: withAttribute(filters.attributes, key, values) })}
          />
        ))}
        <EventFilterChips filters={filters} onChange={setFilters} />
        <button
          type="button"
          className="button button--quiet"
          disabled={!anyFilter}
          onClick={() => setFilters(NO_FILTERS)}
        >
          Clear filters
        </button>
      </div>
      {facetsError && !isForbidden(facetsError) && !isNetworkError(facetsError) ? <p className="filterbar__error">Filter values could not be loaded: {facetsError.message}</p> : null}
    </div>
  );
}
