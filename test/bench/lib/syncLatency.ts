// Laptop A records a command, laptop B (online, syncing in the background) shows it: the time from
// A's command to B's query answering with it, and, for the same command, to A's own query doing so.
import type { CommandRequest } from '../../../db/contract/index.ts';
import type { BenchCore } from './benchCore.ts';
import { sleep } from './stats.ts';
import type { WireRequest } from './syncWireTimes.ts';

export type RegisterParcel = Extract<CommandRequest, { type: 'RegisterParcel' }>;

export interface Crossing {
  /** performance.now() before A's command, when it returned, when A's own query showed it, when B's did (Infinity: never within the wait). */
  sent: number;
  committed: number;
  local: number;
  remote: number;
}

const NEVER_MS = 30_000;

async function shows(laptop: BenchCore, parcelId: string, minPosition: number): Promise<boolean> {
  const answer = await laptop.query('parcel.summary', { parcelId }, { minPosition, timeoutMs: 5000 });
  return answer.ok && answer.data !== null && !answer.freshness.stale;
}

/**
 * Registers each parcel on A on an open-loop schedule (`ratePerSecond`, a late one sent at once).
 * B is not polled: each time its log's head moves (its `head` push topic, as the console hears it)
 * the parcels still missing are asked for at that head, read-your-writes, on B's query path.
 */
export async function crossings(a: BenchCore, b: BenchCore, commands: readonly RegisterParcel[], ratePerSecond: number): Promise<Crossing[]> {
  const missing = new Map<string, (at: number) => void>();
  const look = async (head: number) => {
    for (const parcelId of [...missing.keys()]) {
      if (!(await shows(b, parcelId, head))) continue;
      const seen = missing.get(parcelId);
      missing.delete(parcelId);
      seen?.(performance.now());
    }
  };
  const stop = b.subscribe('head', ({ head }) => void look(head));
  const interval = 1000 / ratePerSecond;
  const pending: Promise<Crossing>[] = [];
  const t0 = performance.now();
  try {
    for (let i = 0; i < commands.length; i++) {
      const due = t0 + i * interval;
      if (performance.now() < due) await sleep(due - performance.now());
      const command = commands[i]!;
      const parcelId = command.payload.parcelId;
      const remote = new Promise<number>((resolve) => {
        missing.set(parcelId, resolve);
        setTimeout(() => resolve(Number.POSITIVE_INFINITY), NEVER_MS).unref();
      });
      const sent = performance.now();
      const result = await a.command(command);
      const committed = performance.now();
      if (!result.ok) throw new Error(`${command.type} refused on A: ${result.error.message}`);
      const local = shows(a, parcelId, result.position).then((found) => (found ? performance.now() : Number.POSITIVE_INFINITY));
      pending.push(Promise.all([local, remote]).then(([l, r]) => ({ sent, committed, local: l, remote: r })));
    }
    return await Promise.all(pending);
  } finally {
    stop();
    missing.clear();
  }
}

export interface CrossingLegs {
  /** A's command returned → A's push left; the push out; A's push answered → B's pull answered; → B's query showed it. */
  toPush: number[];
  push: number[];
  toPulled: number[];
  toShown: number[];
}

/** Each crossing matched by time with A's first push answered after it and B's first pull answered after that. */
export function crossingLegs(all: readonly Crossing[], wire: readonly WireRequest[], aDevice: string, bDevice: string): CrossingLegs {
  const pushes = wire.filter((r) => r.kind === 'push' && r.deviceId === aDevice).sort((x, y) => x.end - y.end);
  const pulls = wire.filter((r) => r.kind === 'pull' && r.deviceId === bDevice).sort((x, y) => x.end - y.end);
  const legs: CrossingLegs = { toPush: [], push: [], toPulled: [], toShown: [] };
  for (const c of all) {
    if (!Number.isFinite(c.remote)) continue;
    const push = pushes.find((p) => p.end >= c.committed);
    const pull = push && pulls.find((p) => p.end >= push.end);
    if (!push || !pull) continue;
    legs.toPush.push(Math.max(0, push.start - c.committed));
    legs.push.push(push.end - push.start);
    legs.toPulled.push(pull.end - push.end);
    legs.toShown.push(c.remote - pull.end);
  }
  return legs;
}
