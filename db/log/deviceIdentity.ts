import type Database from 'better-sqlite3';

/** The data folder's device id, made at the first open that may write; null in a log from before devices (opened read-only). */
export function deviceIdOf(log: Database.Database): string | null {
  const hasTable = log.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'device'").get();
  if (!hasTable) return null;
  return (log.prepare('SELECT device_id FROM device').pluck().get() as string | undefined) ?? null;
}

/** The device id, made (once, for good: the table is append-only) if the folder has none yet. */
export function ensureDeviceId(writer: Database.Database, newId: () => string, now: () => string): string {
  return writer
    .transaction(() => {
      const existing = deviceIdOf(writer);
      if (existing !== null) return existing;
      const id = newId();
      writer.prepare('INSERT INTO device (device_id, created_at) VALUES (?, ?)').run(id, now());
      return id;
    })
    .immediate();
}
