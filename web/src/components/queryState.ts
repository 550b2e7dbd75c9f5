// The part of a query's state that panels render from; several queries combine into one.

export interface QueryState<T> {
  data: T | undefined;
  error: Error | null;
  isPending: boolean;
  isFetching: boolean;
  refetch: () => unknown;
}

type DataOf<Q> = Q extends QueryState<infer T> ? NonNullable<T> : never;

// Ready when every query is; failed when any failed. Data appears only once all of it is there,
// so that a panel never draws half of its figures.
export function combineQueries<Qs extends QueryState<unknown>[]>(
  ...queries: Qs
): QueryState<{ [K in keyof Qs]: DataOf<Qs[K]> }> {
  const allData = queries.every((q) => q.data !== undefined);
  return {
    data: allData ? (queries.map((q) => q.data) as { [K in keyof Qs]: DataOf<Qs[K]> }) : undefined,
    error: queries.find((q) => q.error)?.error ?? null,
    isPending: queries.some((q) => q.isPending),
    isFetching: queries.some((q) => q.isFetching),
    refetch: () => queries.forEach((q) => q.error && q.refetch()),
  };
}
