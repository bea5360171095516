import { describe, expect, it } from 'vitest';
import { pullAnswerSchema, type PullAnswer } from '../../../db/contract/syncWire.ts';
import { startSyncServer } from '../../../db/sync/server/index.ts';
import { deviceChain } from './deviceChain.ts';
import { answer, deviceClient, enrol, type DeviceClient } from './syncHttp.ts';
import { syncServerFixture } from './syncServerFixture.ts';

const fixture = syncServerFixture();
type Page = Extract<PullAnswer, { ok: true }>;
const page = async (client: DeviceClient, after: number, limit?: number, wait?: number): Promise<Page> => {
  const reply = answer(pullAnswerSchema, await client.pull(after, limit, wait));
  if (!reply.ok) throw new Error(`pull refused: ${JSON.stringify(reply)}`);
  return reply;
};

describe('pull', () => {
  it('pages through every event in server order, each as its device recorded it, with its server sequence and when it arrived', async () => {
    const a = await enrol(fixture.url, fixture.databaseUrl, 'Pager A');
    const b = await enrol(fixture.url, fixture.databaseUrl, 'Pager B');
    const start = (await page(a, 0, 1)).serverHead;
    const chainA = deviceChain(4, { deviceId: a.deviceId });
    const chainB = deviceChain(3, { deviceId: b.deviceId });
    await a.push(chainA.seqs(1, 2));
    await b.push(chainB.events);
    await a.push(chainA.seqs(3, 4));
    const order = [...chainA.seqs(1, 2), ...chainB.events, ...chainA.seqs(3, 4)];

    const pages: Page[] = [];
    for (let after = start; ; ) {
      const next = await page(a, after, 3);
      pages.push(next);
      if (next.events.length === 0) break;
      after = next.events.at(-1)!.serverSeq;
    }
    expect(pages.map((p) => p.events.length)).toEqual([3, 3, 1, 0]);
    expect(pages.map((p) => p.serverHead)).toEqual([start + 7, start + 7, start + 7, start + 7]);
    expect(pages.flatMap((p) => p.events)).toEqual(order.map((event, i) => ({ ...event, serverSeq: start + i + 1, receivedAt: expect.any(String) })));
    for (const event of pages.flatMap((p) => p.events)) expect(Math.abs(Date.parse(event.receivedAt) - Date.now())).toBeLessThan(60_000);
  });

  it('a long-poll with nothing after the cursor is answered by the next push, made through another server on the same database', async () => {
    const other = await startSyncServer({ databaseUrl: fixture.databaseUrl });
    try {
      const listener = await enrol(fixture.url, fixture.databaseUrl, 'Listener');
      const pusher = await enrol(fixture.url, fixture.databaseUrl, 'Remote pusher');
      const head = (await page(listener, 0, 1)).serverHead;
      const waiting = page(listener, head, 100, 30);
      const events = deviceChain(2, { deviceId: pusher.deviceId }).events;
      // The long-poll is answered by the push: its events, or (had it looked just before the commit) nothing yet; then at once.
      await deviceClient(other.url, pusher).push(events);
      const woken = await waiting;
      const got = woken.events.length > 0 ? woken : await page(listener, head, 100, 30);
      expect(got).toEqual({ ok: true, events: events.map((e, i) => ({ ...e, serverSeq: head + i + 1, receivedAt: expect.any(String) })), serverHead: head + 2 });
    } finally {
      await other.close();
    }
  });

  it('a long-poll that nothing answers returns an empty page with the head when its wait is over', async () => {
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Patient poller');
    const head = (await page(device, 0, 1)).serverHead;
    expect(await page(device, head, 10, 1)).toEqual({ ok: true, events: [], serverHead: head });
  });

  it('closing the server answers its waiting long-polls at once', async () => {
    const closing = await startSyncServer({ databaseUrl: fixture.databaseUrl });
    const device = await enrol(fixture.url, fixture.databaseUrl, 'Left waiting');
    const head = (await page(device, 0, 1)).serverHead;
    const waiting = page(deviceClient(closing.url, device), head, 10, 30);
    // The poll is in: the server saw the device's request.
    await expect.poll(async () => (await page(device, 0, 1)).serverHead).toBe(head);
    await closing.close();
    expect(await waiting).toEqual({ ok: true, events: [], serverHead: head });
  });
});
