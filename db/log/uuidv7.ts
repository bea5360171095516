import { randomFillSync } from 'node:crypto';

/**
 * Time-ordered UUIDv7 (RFC 9562). Ids from one generator are strictly increasing even within
 * one millisecond (a 12-bit counter in rand_a), which keeps the log's unique index append-friendly.
 */
export function createUuidV7Generator(now: () => number = Date.now, fillRandom: (bytes: Uint8Array) => void = randomFillSync) {
  let lastMs = -1;
  let counter = 0;
  const pool = new Uint8Array(4096);
  let poolOffset = pool.length;
  const bytes = new Uint8Array(16);

  return function uuidv7(): string {
    let ms = now();
    if (ms <= lastMs) {
      counter++;
      if (counter > 0xfff) {
        lastMs++;
        counter = 0;
      }
      ms = lastMs;
    } else {
      lastMs = ms;
      counter = 0;
    }
    if (poolOffset + 8 > pool.length) {
      fillRandom(pool);
      poolOffset = 0;
    }
    bytes[0] = (ms / 2 ** 40) & 0xff;
    bytes[1] = (ms / 2 ** 32) & 0xff;
    bytes[2] = (ms >>> 24) & 0xff;
    bytes[3] = (ms >>> 16) & 0xff;
    bytes[4] = (ms >>> 8) & 0xff;
    bytes[5] = ms & 0xff;
    bytes[6] = 0x70 | ((counter >>> 8) & 0x0f);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | (pool[poolOffset]! & 0x3f);
    for (let i = 9; i < 16; i++) bytes[i] = pool[poolOffset + i - 8]!;
    poolOffset += 8;
    let hex = '';
    for (let i = 0; i < 16; i++) hex += HEX[bytes[i]!];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const UUID_V7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
