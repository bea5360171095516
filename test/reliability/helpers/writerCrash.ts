// The writer-crash scenario, shared by `npm test` (a few kills) and the soak (hundreds): a child
// appends commands and prints each acknowledgement; it is SIGKILLed at a random moment; the next
// child re-sends the command that was in flight, with the same id. Afterwards the log is checked
// against every acknowledgement.
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import type { CommandRequest } from '../../../db/contract/index.ts';
import { spawnJsonChild } from './children.ts';
import { seededRandom } from './random.ts';
import { workload } from './workload.ts';

const childScript = fileURLToPath(new URL('./writerChild.ts', import.meta.url));

export interface Ack {
  id: string;
  position: number;
  events: number;
  duplicate: boolean;
}

export interface WriterCrashRun {
  kills: number;
  /** Kills that landed after the child acknowledged at least one command of its own. */
  killsWhileAppending: number;
  /** Kills that landed while some projector thread had published a checkpoint behind the last acknowledged position. */
  killsWhileProjecting: number;
  acks: Ack[];
  /** Command ids that were in flight at a kill and were sent again by the next child. */
  retried: string[];
  /** Anything a child printed on stderr or rejected (expected: nothing). */
  problems: string[];
}

/** Kills `kills` writer children at random moments (seeded), each re-sending its predecessor's command in flight. */
export async function runWriterCrashes(dataDir: string, options: { kills: number; seed: number; maxAcks: number; maxCheckpoints: number; label?: string }): Promise<WriterCrashRun> {
  const random = seededRandom(options.seed);
  const run: WriterCrashRun = { kills: 0, killsWhileAppending: 0, killsWhileProjecting: 0, acks: [], retried: [], problems: [] };
  let inFlight: CommandRequest | null = null;
  for (let kill = 0; kill < options.kills; kill++) {
    const prefix = `${options.label ?? 'k'}${kill}`;
    const child = spawnJsonChild(childScript, [dataDir, prefix, ...(inFlight ? [JSON.stringify(inFlight)] : [])]);
    // Kill at a random point of progress, never of wall time, so a busy machine changes nothing:
    // one kill in five as soon as the child says it is opening the folder (migrations, startup
    // checks, workers booting), two in five after a random number of acknowledged commands, and
    // two in five after a random number of projector checkpoints (appends and projection both under way).
    const when = random();
    if (when < 0.2) {
      await child.waitFor((line) => line.opening === true);
    } else if (when < 0.6) {
      await child.waitFor((line) => typeof line.id === 'string', 1 + Math.floor(random() * options.maxAcks));
    } else {
      await child.waitFor((line) => typeof line.projection === 'string', 1 + Math.floor(random() * options.maxCheckpoints));
    }
    await child.kill();
    run.kills++;
    const acks: Ack[] = child.lines.filter((line): line is Ack & Record<string, unknown> => typeof line.id === 'string' && typeof line.position === 'number');
    for (const line of child.lines) if ('rejected' in line) run.problems.push(`${prefix}: rejected ${JSON.stringify(line)}`);
    const stderr = child.stderr().trim();
    if (stderr !== '') run.problems.push(`${prefix}: ${stderr}`);
    run.acks.push(...acks.map(({ id, position, events, duplicate }) => ({ id, position, events, duplicate })));

    const checkpoints = new Map<string, number>();
    for (const line of child.lines) if (typeof line.projection === 'string') checkpoints.set(line.projection, line.checkpoint as number);
    const lastAck = acks.at(-1)?.position ?? 0;
    if (checkpoints.size > 0 && [...checkpoints.values()].some((c) => c < lastAck)) run.killsWhileProjecting++;

    const retriedNow: CommandRequest | null = inFlight;
    const retryAcked = retriedNow !== null && acks[0]?.id === retriedNow.commandId;
    if (retriedNow) run.retried.push(retriedNow.commandId!);
    const own: Ack[] = retriedNow && retryAcked ? acks.slice(1) : acks;
    if (retriedNow && !retryAcked) {
      inFlight = retriedNow; // died before even the retry was answered: retry it again
    } else {
      inFlight = nth(workload(prefix), own.length);
      if (own.some((ack) => !ack.duplicate)) run.killsWhileAppending++;
    }
  }
  return run;
}

function nth<T>(items: Iterable<T>, index: number): T {
  let i = 0;
  for (const item of items) if (i++ === index) return item;
  throw new Error('unreachable: the workload is endless');
}

export interface LogAudit {
  head: number;
  /** Acknowledged command ids with no row in `commands`. */
  missing: string[];
  /** Acknowledged commands whose events in the log differ in number from the acknowledgement. */
  miscounted: string[];
  /** Commands whose events are not exactly first_position..last_position, all carrying its id. */
  partial: string[];
  /** Events whose command id names no accepted command. */
  orphanEvents: number;
  /** Positions missing between 1 and the head. */
  gaps: number;
}

/**
 * Reads the log with a plain read-only connection and compares it with the acknowledgements, in
 * one pass over each table (events has no index on command_id; a lookup per command would scan).
 */
export function auditLog(logPath: string, acks: readonly Ack[]): LogAudit {
  const db = new Database(logPath, { readonly: true, fileMustExist: true });
  try {
    const head = (db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().get() as number) ?? 0;
    const count = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    const events = new Map<string, { n: number; lo: number; hi: number }>();
    let orphanEvents = 0;
    const grouped = db.prepare('SELECT command_id AS id, count(*) AS n, min(position) AS lo, max(position) AS hi FROM events GROUP BY command_id').iterate();
    for (const row of grouped as IterableIterator<{ id: string | null; n: number; lo: number; hi: number }>) {
      if (row.id === null) orphanEvents += row.n;
      else events.set(row.id, row);
    }
    const commands = new Map<string, { first: number; last: number }>();
    for (const row of db.prepare('SELECT command_id AS id, first_position AS first, last_position AS last FROM commands').iterate() as IterableIterator<{ id: string; first: number; last: number }>) {
      commands.set(row.id, row);
    }
    const missing: string[] = [];
    const miscounted: string[] = [];
    for (const ack of acks) {
      const row = commands.get(ack.id);
      if (!row) missing.push(ack.id);
      else if (events.get(ack.id)?.n !== ack.events || row.last - row.first + 1 !== ack.events) miscounted.push(ack.id);
    }
    // All of a command's events, and only they, fill its range of positions.
    const partial: string[] = [];
    for (const [id, row] of commands) {
      const own = events.get(id);
      if (!own || own.n !== row.last - row.first + 1 || own.lo !== row.first || own.hi !== row.last) partial.push(id);
    }
    for (const [id, own] of events) if (!commands.has(id)) orphanEvents += own.n;
    return { head, missing, miscounted, partial, orphanEvents, gaps: head - count };
  } finally {
    db.close();
  }
}
