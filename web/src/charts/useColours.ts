import { useCallback } from 'react';

import { useFacets } from '../api/queries';
import type { Facets } from '../api/types';
import { type ColourDimension, colourFor } from './palette';

const EMPTY: readonly string[] = [];

function domainOf(facets: Facets | undefined, dimension: ColourDimension): readonly string[] {
  if (!facets || dimension === 'event') return EMPTY;
  return (facets[dimension] as string[] | undefined) ?? EMPTY;
}

// `colour(dimension, key)`: the colour of a value, from the whole store's values of its dimension
// (the unfiltered facets, which the filter bar asks for too), so that a model has the same colour
// on every page and under every filter.
export function useColours(): (dimension: ColourDimension, key: string) => string {
  const { data } = useFacets();
  return useCallback((dimension, key) => colourFor(dimension, key, domainOf(data, dimension)), [data]);
}
