import type Database from 'better-sqlite3';
import type { FleetDevice, SyncStatus, WaybillErrorBody } from '../../contract/index.ts';
import { MAX_PULL_EVENTS, MAX_PUSH_EVENTS, type SyncRefusal } from '../../contract/syncWire.ts';
import { toErrorBody, WaybillError } from '../../contract/waybillError.ts';
import { deviceEventsAfter, deviceHead } from '../../log/originEvents.ts';
import { pullCursor } from '../../write/applyPulled.ts';
import type { CommandWriter } from '../writer/commandWriter.ts';
import { freshProgress, readSyncFile, removeSyncFile, writeSyncFile, type SyncFile } from './syncFile.ts';
import { enrol, SyncServerClient } from './syncServerClient.ts';

/** Pages as large as the server gives: a joining laptop pulls a million events in 200 requests, not 1,000. */
const PULL_PAGE = MAX_PULL_EVENTS;
/** How long a background pull waits on the server for news before asking again. */
const LONG_POLL_SECONDS = 25;
const RETRY_FIRST_MS = 1000;
// Offline for hours costs a refused connection every 10 s at most; back online, sync resumes within that.
const RETRY_MAX_MS = 10_000;

export interface LaptopSyncParts {
  dataDir: string;
  deviceId: string;
  logReader: Database.Database;
  writer: CommandWriter;
  /** Told whenever the status may have changed. */
  changed: () => void;
  /** How many conflicts wait for a person. */
  openConflicts: () => number;
  /** Rebuilds every read model (in the server's order, since the log now differs from it). */
  rebuildAll: () => Promise<void>;
  now?: () => string;
}

/** One at a time per direction: a second push waits for the first, so two never send the same events. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

function refused(answer: SyncRefusal): WaybillError {
  return new WaybillError(answer.error.code, answer.error.message, answer.error);
}

/**
 * This laptop's side of sync: pushes its own events after what the server acknowledged, pulls
 * the server's order after its cursor (stored with the events, by the writer), and keeps going in
 * the background whenever the server can be reached. Offline, nothing changes for the console.
 */
export class LaptopSync {
  private file: SyncFile | null = null;
  /** Why sync.json could not be read at open (the folder then does not sync until it joins again). */
  private damaged: WaybillErrorBody | null = null;
  private readonly pushes = new Serial();
  private readonly pulls = new Serial();
  private readonly now: () => string;
  private background: { stop: AbortController; done: Promise<void>; pushAlarm: Alarm; pullAlarm: Alarm } | null = null;
  private rebuilding: Promise<void> | null = null;
  private rebuildAgain = false;

  constructor(private readonly parts: LaptopSyncParts) {
    try {
      this.file = readSyncFile(parts.dataDir);
    } catch (error) {
      this.damaged = toErrorBody(error);
    }
    this.now = parts.now ?? (() => new Date().toISOString());
    parts.writer.onAppended(() => this.background?.pushAlarm.ring());
  }

  status(): SyncStatus {
    const head = deviceHead(this.parts.logReader, this.parts.deviceId);
    const cursor = pullCursor(this.parts.logReader);
    const progress = this.file?.progress ?? freshProgress();
    const membership = this.file?.membership ?? null;
    return {
      joined: membership !== null,
      server: membership?.server ?? null,
      deviceId: this.parts.deviceId,
      deviceName: membership?.deviceName ?? null,
      online: membership !== null && progress.online,
      lastContactAt: progress.lastContactAt,
      lastPushAt: progress.lastPushAt,
      lastPullAt: progress.lastPullAt,
      deviceHead: head,
      acked: progress.acked,
      waiting: Math.max(0, head - progress.acked),
      cursor,
      serverHead: Math.max(progress.serverHead, cursor),
      behind: Math.max(0, progress.serverHead - cursor),
      allOnServer: membership !== null && head <= progress.acked,
      caughtUpAt: progress.caughtUpAt,
      conflicts: this.parts.openConflicts(),
      problem: progress.problem ?? this.damaged,
    };
  }

  async join(server: string, code: string): Promise<SyncStatus> {
    if (this.file) throw new WaybillError('CONFLICT', `This data folder already syncs with ${this.file.membership.server}; run \`waybill sync leave\` first.`, { rule: 'already_joined' });
    const answer = await enrol(server, code, this.parts.deviceId);
    if (!answer.ok) throw refused(answer);
    const at = this.now();
    this.file = {
      membership: { server: new URL(server).origin, serverId: answer.serverId, deviceId: answer.deviceId, deviceName: answer.name, secret: answer.secret, joinedAt: at },
      progress: { ...freshProgress(), online: true, lastContactAt: at },
    };
    this.save();
    this.wakeBackground();
    return this.status();
  }

  async leave(): Promise<SyncStatus> {
    this.file = null;
    this.damaged = null;
    removeSyncFile(this.parts.dataDir);
    this.parts.changed();
    return this.status();
  }

  /** Push everything waiting, then pull until caught up with the server. */
  async syncNow(signal?: AbortSignal): Promise<{ pushed: number; pulled: number; status: SyncStatus }> {
    const pushed = await this.push(signal);
    const pulled = await this.pull(0, signal);
    // Asked for in person: the answer comes once the read models agree with the server's order.
    await this.rebuilding;
    // The server answers again: a background loop waiting out a retry goes on now.
    this.wakeBackground();
    return { pushed, pulled, status: this.status() };
  }

  /** Every device enrolled on the server, as the server sees it; a look only, so sync's own status does not change. */
  async fleet(signal?: AbortSignal): Promise<FleetDevice[]> {
    const answer = await this.client().fleet(signal);
    if (!answer.ok) throw refused(answer);
    return answer.devices;
  }

  /** Keeps pushing on every append and long-polling for other devices' events, retrying with backoff while offline. */
  startBackground(): void {
    if (this.background) return;
    const stop = new AbortController();
    const pushAlarm = new Alarm(stop.signal);
    const pullAlarm = new Alarm(stop.signal);
    const pushLoop = async () => {
      let retry = RETRY_FIRST_MS;
      while (!stop.signal.aborted) {
        let pause = RETRY_MAX_MS;
        try {
          if (this.file && this.status().waiting > 0) await this.push(stop.signal);
          retry = RETRY_FIRST_MS;
        } catch (error) {
          pause = error instanceof WaybillError && error.retryable ? retry : RETRY_MAX_MS;
          retry = Math.min(retry * 2, RETRY_MAX_MS);
        }
        await pushAlarm.wait(pause);
      }
    };
    const pullLoop = async () => {
      let retry = RETRY_FIRST_MS;
      while (!stop.signal.aborted) {
        if (!this.file) {
          await pullAlarm.wait(RETRY_MAX_MS);
          continue;
        }
        try {
          await this.pull(LONG_POLL_SECONDS, stop.signal);
          retry = RETRY_FIRST_MS;
        } catch {
          if (await pullAlarm.wait(retry)) retry = RETRY_FIRST_MS;
          else retry = Math.min(retry * 2, RETRY_MAX_MS);
        }
      }
    };
    const done = Promise.all([pushLoop(), pullLoop()]).then(() => undefined);
    this.background = { stop, done, pushAlarm, pullAlarm };
  }

  private wakeBackground(): void {
    this.background?.pushAlarm.ring();
    this.background?.pullAlarm.ring();
  }

  async stop(): Promise<void> {
    if (!this.background) return;
    this.background.stop.abort();
    await this.background.done;
    this.background = null;
    // A rebuild in the server's order that a background pull started: it ends before the read models close under it.
    await this.rebuilding?.catch(() => undefined);
  }

  private client(): SyncServerClient {
    if (!this.file) throw new WaybillError('NOT_FOUND', 'This data folder does not sync with a server yet: run `waybill sync join URL CODE` with a code from whoever runs it.', { rule: 'not_joined' });
    return new SyncServerClient(this.file.membership, () => deviceHead(this.parts.logReader, this.parts.deviceId), this.now);
  }

  private push(signal?: AbortSignal): Promise<number> {
    return this.pushes.run(() =>
      this.reporting(signal, async () => {
        const client = this.client();
        let pushed = 0;
        for (;;) {
          const progress = this.file!.progress;
          const events = deviceEventsAfter(this.parts.logReader, this.parts.deviceId, progress.acked, MAX_PUSH_EVENTS);
          if (events.length === 0) return pushed;
          const answer = await client.push(events, signal);
          if (!answer.ok) {
            // The server knows best what it holds: start again from the number it expects.
            if (answer.error.rule === 'sequence_gap' && answer.expected !== undefined && answer.expected - 1 !== progress.acked) {
              this.update({ acked: answer.expected - 1 });
              continue;
            }
            throw refused(answer);
          }
          pushed += answer.stored;
          this.update({ acked: answer.acked, serverHead: Math.max(progress.serverHead, answer.serverHead), lastPushAt: this.now() });
        }
      }),
    );
  }

  private pull(waitSeconds: number, signal?: AbortSignal): Promise<number> {
    return this.pulls.run(() =>
      this.reporting(signal, async () => {
        const client = this.client();
        // A page asked for ahead may fail while this one is stored: that is seen when it is awaited, not as an unhandled rejection.
        const ask = (after: number, wait: number) => {
          const page = client.pull(after, PULL_PAGE, wait, signal);
          page.catch(() => undefined);
          return page;
        };
        let pulled = 0;
        let next = ask(pullCursor(this.parts.logReader), waitSeconds);
        for (;;) {
          const cursor = pullCursor(this.parts.logReader);
          const answer = await next;
          if (!answer.ok) throw refused(answer);
          if (answer.events.length === 0) {
            const caughtUp = cursor >= answer.serverHead;
            this.update({ serverHead: answer.serverHead, lastPullAt: this.now(), ...(caughtUp ? { caughtUpAt: this.now() } : {}) });
            return pulled;
          }
          // The next page is asked for while this one is stored, so the server and PostgreSQL work on the other core meanwhile;
          // it is stored only if it follows on (applyPulled refuses a page that skips a server sequence).
          next = ask(answer.events.at(-1)!.serverSeq, 0);
          const applied = await this.parts.writer.applyPulled(answer.events);
          pulled += applied.appended;
          if (applied.reordered) void this.rebuildInServerOrder().catch(() => undefined);
          this.update({ serverHead: Math.max(answer.serverHead, applied.cursor), lastPullAt: this.now() });
        }
      }),
    );
  }

  /** One rebuild of every read model at a time; a reorder meanwhile asks for one more after it (it may have started before the reorder). */
  private rebuildInServerOrder(): Promise<void> {
    if (this.rebuilding) {
      this.rebuildAgain = true;
      return this.rebuilding;
    }
    const run = async () => {
      do {
        this.rebuildAgain = false;
        await this.parts.rebuildAll();
      } while (this.rebuildAgain);
    };
    this.rebuilding = run().finally(() => (this.rebuilding = null));
    return this.rebuilding;
  }

  /** Runs one exchange with the server, keeping online/problem up to date either way. */
  private async reporting<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      const wasOffline = this.file !== null && !this.file.progress.online;
      this.update({ online: true, lastContactAt: this.now(), problem: null });
      // The server answers again: the other loop need not wait out its retry.
      if (wasOffline) this.wakeBackground();
      return result;
    } catch (error) {
      // Stopped on purpose (the app is closing): nothing went wrong with the server.
      if (this.file && !signal?.aborted) {
        const problem: WaybillErrorBody = toErrorBody(error);
        const unreachable = problem.code === 'UNAVAILABLE' && problem.rule === undefined;
        this.update(unreachable ? { online: false, problem } : { online: true, lastContactAt: this.now(), problem });
      }
      throw error;
    }
  }

  private update(change: Partial<SyncFile['progress']>): void {
    if (!this.file) return;
    this.file = { ...this.file, progress: { ...this.file.progress, ...change } };
    this.save();
  }

  private save(): void {
    if (this.file) writeSyncFile(this.parts.dataDir, this.file);
    this.parts.changed();
  }
}

/** A wait that ends after `ms`, when rung (true), or when the loop stops; a ring while nobody waits ends the next wait at once. */
class Alarm {
  private ringNow: (() => void) | null = null;
  private rungMeanwhile = false;

  constructor(private readonly stop: AbortSignal) {}

  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stop.aborted) return resolve(false);
      if (this.rungMeanwhile) {
        this.rungMeanwhile = false;
        return resolve(true);
      }
      const end = (rung: boolean) => {
        clearTimeout(timer);
        this.stop.removeEventListener('abort', stopped);
        this.ringNow = null;
        resolve(rung);
      };
      const stopped = () => end(false);
      const timer = setTimeout(() => end(false), ms);
      this.stop.addEventListener('abort', stopped, { once: true });
      this.ringNow = () => end(true);
    });
  }

  ring(): void {
    if (this.ringNow) this.ringNow();
    else this.rungMeanwhile = true;
  }
}
