import { describe, expect, it } from 'vitest';
import { upcasters } from '../domain/upcasters.ts';
import { projectionColumns, toLoggedEvent, type ProjectedRecord } from './eventRows.ts';

const record = (over: Partial<ProjectedRecord>): ProjectedRecord => ({
  position: 7,
  eventId: 'e7',
  streamId: 'depot-north',
  version: 1,
  type: 'DepotRegistered',
  schemaVersion: 1,
  payload: '{"depotId":"north","name":"North","region":"north","at":"2026-03-01T06:00:00.000Z"}',
  metadata: '{"commandId":"c","correlationId":"c","causationId":"c","actor":"ana","deviceId":null,"recordedAt":"2026-03-01T06:00:00.000Z"}',
  recordedAt: '2026-03-01T06:00:00.000Z',
  ...over,
});

describe('event rows as projectors read them', () => {
  it('reads metadata only for projections that declare it, and only the payloads of the types they handle', () => {
    expect(projectionColumns(['DepotRegistered'], false)).toContain('NULL AS metadata');
    expect(projectionColumns(['DepotRegistered'], true)).not.toContain('NULL AS metadata');
    expect(projectionColumns(['DepotRegistered', 'WeatherRecorded'], false)).toContain("CASE WHEN type IN ('DepotRegistered', 'WeatherRecorded') THEN payload END");
  });

  it('parses metadata on first use, and says which projection forgot to declare it when it was not read', () => {
    expect(toLoggedEvent(record({}), upcasters).metadata.actor).toBe('ana');
    const withoutMetadata = toLoggedEvent(record({ metadata: null }), upcasters);
    expect(withoutMetadata.payload).toMatchObject({ depotId: 'north' });
    expect(() => withoutMetadata.metadata).toThrow(/without its metadata: the projection must declare readsMetadata/);
    expect(() => toLoggedEvent(record({ payload: null }), upcasters)).toThrow(/DepotRegistered at position 7 was read without its payload/);
  });
});
