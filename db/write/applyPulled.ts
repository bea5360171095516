import type Database from 'better-sqlite3';
import type { PulledEvent } from '../contract/syncWire.ts';
import { WaybillError } from '../contract/waybillError.ts';
import { upcasters } from '../domain/upcasters.ts';
import { EventLogWriter } from '../log/eventLogWriter.ts';
import { originHash } from '../log/originHash.ts';
import { RowInserter } from '../log/rowInserter.ts';
import { createUuidV7Generator } from '../log/uuidv7.ts';
import { commandsOf, recordedElsewhereRequest, type ForeignEvent } from './recordedElsewhere.ts';

export interface PullApplied {
  /** Events new to this log, appended. */
  appended: number;
  /** Events it already had (its own coming back, or imported before): only their place in the server's order is stored. */
  known: number;
  head: number;
  /** The highest server sequence stored: where the next pull starts. */
  cursor: number;
  /**
   * The server put this page's new events before events this log already held (its own, not yet
   * back from the server): read models built in log order now differ from the server's order.
   */
  reordered: boolean;
}

/** The pull cursor: the highest server sequence this log has stored (0 before the first pull). */
export function pullCursor(db: Database.Database): number {
  return db.prepare('SELECT coalesce(max(server_seq), 0) FROM server_order').pluck().get() as number;
}

/**
 * Stores a page pulled from the sync server in one transaction, with the cursor: a crash keeps
 * both or neither. Events are idempotent by event id (and a page sent again by server sequence);
 * new ones are appended in the server's order keeping their origin, and each device's chain is
 * checked where its previous event is here. A page that skips a server sequence, or that clashes
 * with what this log holds, changes nothing and is refused.
 */
export function applyPulled(writer: Database.Database, page: readonly PulledEvent[]): PullApplied {
  const log = new EventLogWriter(writer, upcasters);
  const newId = createUuidV7Generator();
  const placeOf = writer.prepare('SELECT e.event_id FROM server_order s JOIN events e ON e.position = s.position WHERE s.server_seq = ?').pluck();
  const places = new RowInserter(writer, 'server_order', ['server_seq', 'position', 'received_at']);
  const noteReorder = writer.prepare('INSERT INTO reorders (position, server_seq) VALUES (?, ?)');
  return log.transaction(() => {
    let cursor = pullCursor(writer);
    // Every server sequence up to the cursor has its row, so the cursor counts the events already placed in the server's order.
    const placedBefore = cursor;
    const headBefore = log.head();
    let reorderedAt: number | null = null;
    let known = 0;
    const fresh: ForeignEvent[] = [];
    const freshIds = new Set<string>();
    const chains = new Map<string, { deviceSeq: number; deviceHash: string }>();
    for (const event of page) {
      if (event.serverSeq <= cursor) {
        if (placeOf.get(event.serverSeq) !== event.eventId) throw clash(`The server now puts ${event.eventId} at #${event.serverSeq}, where this laptop has stored another event`, 'server_order_changed');
        continue;
      }
      if (event.serverSeq !== cursor + 1) {
        throw new WaybillError('CONFLICT', `The server's page skips from #${cursor} to #${event.serverSeq}; nothing was stored. Sync again.`, { rule: 'pull_gap', retryable: true });
      }
      cursor = event.serverSeq;
      if (freshIds.has(event.eventId) || log.hasEvent(event.eventId)) {
        known++;
        continue;
      }
      const chain = chains.get(event.deviceId) ?? log.originHead(event.deviceId);
      if (chain.deviceSeq >= event.deviceSeq) throw clash(`Device ${event.deviceId} event #${event.deviceSeq} differs from the one this laptop has`, 'fork');
      if (chain.deviceSeq === event.deviceSeq - 1 && originHash(chain.deviceHash, event) !== event.deviceHash) {
        throw new WaybillError('CORRUPT', `Device ${event.deviceId} event #${event.deviceSeq} does not continue that device's hash chain; nothing was stored.`, { rule: 'chain_broken' });
      }
      chains.set(event.deviceId, { deviceSeq: event.deviceSeq, deviceHash: event.deviceHash });
      // The first new event goes after every event here; if some of those are not yet placed before it, the orders part.
      if (fresh.length === 0 && placedBefore + known < headBefore) reorderedAt = event.serverSeq;
      fresh.push({
        eventId: event.eventId,
        streamId: event.streamId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        recordedAt: event.recordedAt,
        payload: JSON.parse(event.payload) as Record<string, unknown>,
        metadata: JSON.parse(event.metadata) as Record<string, unknown>,
        recordedElsewhere: { deviceId: event.deviceId, deviceSeq: event.deviceSeq, deviceHash: event.deviceHash, recordedAt: event.recordedAt, payload: event.payload, metadata: event.metadata },
      });
      freshIds.add(event.eventId);
    }
    const positions = new Map<string, number>();
    for (const command of log.appendMany(commandsOf(fresh).map((group) => recordedElsewhereRequest(newId, 'Pulled', group)))) {
      for (const event of command.events) positions.set(event.eventId, event.position);
    }
    places.insert(page.filter((e) => e.serverSeq > placedBefore).map((e) => [e.serverSeq, positions.get(e.eventId) ?? log.positionOf(e.eventId), e.receivedAt]));
    if (reorderedAt !== null) noteReorder.run(headBefore + 1, reorderedAt);
    return { appended: fresh.length, known, head: log.head(), cursor, reordered: reorderedAt !== null };
  });
}

function clash(what: string, rule: string): WaybillError {
  return new WaybillError('CONFLICT', `${what}; nothing was stored. The device's history forked: ask whoever runs the sync server.`, { rule });
}
