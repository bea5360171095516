import { useCallback, useEffect, useRef, useState } from 'react';
import type { Freshness, QueryName, QueryOptions, QueryParams, QueryResult, QueryResults, WaybillErrorBody } from '../../db/contract/index.ts';
import { useConsole } from '../app/consoleContext.ts';

export interface QueryState<Q extends QueryName> {
  data: QueryResults[Q] | undefined;
  freshness: Freshness | null;
  error: WaybillErrorBody | null;
  loading: boolean;
  reload(options?: QueryOptions): Promise<void>;
}

/**
 * Runs one named query and keeps its last good answer on screen while reloading.
 * With `followHeadMs`, it reloads when the log's head moves, at most that often, and when a rebuild
 * swaps a read model in (after a pull that reordered the log, answers change while the head stays).
 */
export function useQuery<Q extends QueryName>(name: Q, params: QueryParams<Q> | null, options: { followHeadMs?: number } = {}): QueryState<Q> {
  const { api, live } = useConsole();
  const [state, setState] = useState<Omit<QueryState<Q>, 'reload'>>({ data: undefined, freshness: null, error: null, loading: params !== null });
  const key = JSON.stringify(params);
  const generation = useRef(0);

  const reload = useCallback(
    async (queryOptions?: QueryOptions) => {
      if (key === 'null') return;
      const mine = ++generation.current;
      setState((previous) => ({ ...previous, loading: true }));
      const options = queryOptions ?? live.readOptions();
      const answer = (await api.call(name, { params: JSON.parse(key) as QueryParams<Q>, ...(options ? { options } : {}) } as never)) as QueryResult<Q>;
      if (mine !== generation.current) return;
      if (answer.ok) setState({ data: answer.data as QueryResults[Q], freshness: answer.freshness, error: null, loading: false });
      else setState((previous) => ({ ...previous, error: answer.error, loading: false }));
    },
    [api, live, name, key],
  );

  useEffect(() => {
    setState({ data: undefined, freshness: null, error: null, loading: key !== 'null' });
    void reload();
  }, [reload, key]);

  const follow = options.followHeadMs;
  useEffect(() => {
    if (follow === undefined) return;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = live.store.subscribe((now, before) => {
      if ((now.head === before.head && now.swaps === before.swaps) || timer) return;
      const wait = Math.max(0, last + follow - Date.now());
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        void reload();
      }, wait);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [follow, live, reload]);

  return { ...state, reload };
}
