import { describe, expect, it } from 'vitest';
import { niceCeiling } from './LiveChart.tsx';

describe('the chart axis', () => {
  it('rounds its top up to 2, 5 or 10 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 1557, 50_001].map(niceCeiling)).toEqual([2, 2, 2, 5, 10, 10, 20, 2000, 100_000]);
  });
});
