import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Freshness, WaybillErrorBody } from '../../db/contract/index.ts';

export type Cursor = string | number;

export type PageAnswer<Row> =
  | { ok: true; data: { rows: Row[]; next: Cursor | null; total?: number }; freshness: Freshness }
  | { ok: false; error: WaybillErrorBody };

export interface PagedListState<Row, Params> {
  params: Params;
  rows: Row[];
  next: Cursor | null;
  total: number | null;
  freshness: Freshness | null;
  /** 'loading' only before the first answer for these params; refreshes keep the old rows on screen. */
  status: 'idle' | 'loading' | 'ready' | 'error';
  loadingMore: boolean;
  error: WaybillErrorBody | null;
  setParams(params: Params): Promise<void>;
  loadMore(): Promise<void>;
  refresh(minPosition?: number): Promise<void>;
}

export type PageLoader<Row, Params> = (params: Params, cursor: Cursor | undefined, minPosition?: number) => Promise<PageAnswer<Row>>;

/** Keyset paging over one named query: pages are fetched one at a time, only when asked for. */
export function createPagedListStore<Row, Params>(load: PageLoader<Row, Params>, initial: Params): StoreApi<PagedListState<Row, Params>> {
  let generation = 0;
  return createStore<PagedListState<Row, Params>>((set, get) => {
    async function loadFirst(minPosition?: number): Promise<void> {
      const mine = ++generation;
      const answer = await load(get().params, undefined, minPosition);
      if (mine !== generation) return;
      if (!answer.ok) return set({ status: 'error', error: answer.error, loadingMore: false });
      set({
        rows: answer.data.rows,
        next: answer.data.next,
        total: answer.data.total ?? null,
        freshness: answer.freshness,
        status: 'ready',
        error: null,
        loadingMore: false,
      });
    }
    return {
      params: initial,
      rows: [],
      next: null,
      total: null,
      freshness: null,
      status: 'idle',
      loadingMore: false,
      error: null,
      setParams(params) {
        set({ params, rows: [], next: null, total: null, status: 'loading', error: null });
        return loadFirst();
      },
      refresh(minPosition) {
        if (get().status === 'idle' || get().status === 'error') set({ status: 'loading' });
        return loadFirst(minPosition);
      },
      async loadMore() {
        const { next, loadingMore, status } = get();
        if (next === null || loadingMore || status !== 'ready') return;
        const mine = generation;
        set({ loadingMore: true });
        const answer = await load(get().params, next);
        if (mine !== generation) return;
        if (!answer.ok) return set({ loadingMore: false, error: answer.error });
        set((state) => ({
          rows: state.rows.concat(answer.data.rows),
          next: answer.data.next,
          total: answer.data.total ?? state.total,
          freshness: answer.freshness,
          loadingMore: false,
        }));
      },
    };
  });
}
