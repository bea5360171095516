import { describe, expect, it } from 'vitest';
import { maximum } from './stats.ts';

describe('soak statistics', () => {
  it('take the maximum of an hour of samples without overflowing the stack (the first 60-minute soak died on Math.max(...samples))', () => {
    const hourOfLag = Array.from({ length: 720_000 }, (_, i) => (i * 7919) % 1000);
    hourOfLag[500_000] = 1234;
    expect(maximum(hourOfLag)).toBe(1234);
    expect(maximum([])).toBe(0);
    expect(maximum([-3, -1])).toBe(-1);
  });
});
