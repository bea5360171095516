import { describe, expect, it } from 'vitest';
import type { Freshness } from '../../db/contract/index.ts';
import { createPagedListStore, type Cursor, type PageAnswer } from './pagedList.ts';

const freshness: Freshness = { readModel: 'parcel_summary', position: 10, head: 10, lag: 0, stale: false };
const page = (rows: number[], next: Cursor | null, total = 99): PageAnswer<number> => ({ ok: true, data: { rows, next, total }, freshness });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('the keyset-paged list store', () => {
  it('loads the first page, then the next one from the cursor the answer gave', async () => {
    const asked: (Cursor | undefined)[] = [];
    const store = createPagedListStore<number, { q: string }>(async (_params, cursor) => {
      asked.push(cursor);
      return cursor === undefined ? page([1, 2], 'after-2') : page([3], null);
    }, { q: '' });
    await store.getState().setParams({ q: 'x' });
    await store.getState().loadMore();
    expect(asked).toEqual([undefined, 'after-2']);
    expect(store.getState().rows).toEqual([1, 2, 3]);
    expect(store.getState().next).toBeNull();
    expect(store.getState().total).toBe(99);
  });

  it('asks for at most one page at a time however often loadMore is called', async () => {
    let calls = 0;
    const second = deferred<PageAnswer<number>>();
    const store = createPagedListStore<number, object>(async (_params, cursor) => {
      calls++;
      return cursor === undefined ? page([1], 'c1') : second.promise;
    }, {});
    await store.getState().setParams({});
    const loads = [store.getState().loadMore(), store.getState().loadMore(), store.getState().loadMore()];
    second.resolve(page([2], null));
    await Promise.all(loads);
    expect(calls).toBe(2);
    expect(store.getState().rows).toEqual([1, 2]);
  });

  it('keeps the old rows on screen while a refresh is in flight', async () => {
    const later = deferred<PageAnswer<number>>();
    let first = true;
    const store = createPagedListStore<number, object>(async () => {
      if (!first) return later.promise;
      first = false;
      return page([1, 2], null);
    }, {});
    await store.getState().setParams({});
    const refreshing = store.getState().refresh(42);
    expect(store.getState().rows).toEqual([1, 2]);
    expect(store.getState().status).toBe('ready');
    later.resolve(page([7], null));
    await refreshing;
    expect(store.getState().rows).toEqual([7]);
  });

  it('drops an answer for filters that were replaced meanwhile', async () => {
    const slow = deferred<PageAnswer<number>>();
    const store = createPagedListStore<number, { q: string }>(async (params) => (params.q === 'old' ? slow.promise : page([5], null)), { q: '' });
    const old = store.getState().setParams({ q: 'old' });
    await store.getState().setParams({ q: 'new' });
    slow.resolve(page([1, 2, 3], null));
    await old;
    expect(store.getState().rows).toEqual([5]);
    expect(store.getState().params).toEqual({ q: 'new' });
  });

  it('shows an error answer as the error state', async () => {
    const store = createPagedListStore<number, object>(async () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'gone' } }), {});
    await store.getState().setParams({});
    expect(store.getState().status).toBe('error');
    expect(store.getState().error?.message).toBe('gone');
  });
});
