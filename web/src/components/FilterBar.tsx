import { isForbidden } from '../api/client';
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
import { matchPreset, type PresetId, PRESETS, presetRange } from '../state/periods';
import { useDataExtent, useFilters } from '../state/useFilters';
import { userLabel } from '../userLabel';
import { EventFilterChips } from './EventFilterChips';
import { MultiSelect } from './MultiSelect';

const LIST_FILTERS: { key: ListFilterKey; label: string }[] = [
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

// The one filter bar: every page reads its filters from the URL this writes.
export function FilterBar() {
  const [filters, setFilters] = useFilters();
  const facets = useFacets();
  // The whole store's extent anchors the presets ("last 7 days" of the data).
  const { firstDay, lastDay } = useDataExtent();
  const preset = matchPreset(filters.from, filters.to, lastDay);
  const instantRange = (filters.from && !isDay(filters.from)) || (filters.to && !isDay(filters.to));
  const anyFilter = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  const update = (patch: Partial<Filters>) => setFilters({ ...filters, ...patch });
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
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id} disabled={p.days !== null && !lastDay}>
                {p.label}
              </option>
            ))}
            <option value="custom" disabled>
              Custom range
            </option>
          </select>
        </label>
        <label className="field">
          <span className="field__label">From</span>
          <input
            type="date"
            value={dayPart(filters.from)}
            min={firstDay ?? undefined}
            max={filters.to ? dayPart(filters.to) : (lastDay ?? undefined)}
            onChange={(event) => update({ from: event.target.value || null })}
          />
        </label>
        <label className="field">
          <span className="field__label">To</span>
          <input
            type="date"
            value={dayPart(filters.to)}
            min={filters.from ? dayPart(filters.from) : (firstDay ?? undefined)}
            max={lastDay ?? undefined}
            onChange={(event) => update({ to: event.target.value || null })}
          />
        </label>
        <span className="filterbar__zone" title="Every date and time on this dashboard is in UTC">
          {instantRange
            ? `${formatDateTime(filters.from, false)} – ${formatDateTime(filters.to, false)} UTC`
            : 'UTC'}
        </span>
      </div>
      <div className="filterbar__lists">
        {LIST_FILTERS.map(({ key, label }) => {
          const options = facets.data?.[key] ?? [];
          return (
            <MultiSelect
              key={key}
              label={label}
              options={key === 'level' ? [...options].sort(compareNatural) : options}
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
      {facets.error && !isForbidden(facets.error) ? <p className="filterbar__error">Filter values could not be loaded: {facets.error.message}</p> : null}
    </div>
  );
}
