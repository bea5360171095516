import { describe, expect, it } from 'vitest';
import { lineChart } from './svg.ts';

/** Legend labels as drawn: their x and text, in order. */
function legend(svg: string): { x: number; label: string }[] {
  return [...svg.matchAll(/<text x="([\d.]+)" y="39">([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), label: m[2]! }));
}

describe('soak line charts', () => {
  it('lays legend entries out one after another, each starting past the end of the previous label', () => {
    const labels = ['RSS (all threads and rebuild job processes)', 'RSS of rebuild job processes', 'JS heap (main thread)'];
    const svg = lineChart({
      title: 't',
      xLabel: 'minutes',
      yLabel: 'MiB',
      series: labels.map((label, i) => ({ label, color: '#000', points: [{ x: 0, y: i }, { x: 1, y: i + 1 }] })),
    });
    const drawn = legend(svg);
    expect(drawn.map((d) => d.label)).toEqual(labels);
    // 6.5 px per character is the average width of system-ui at 12 px (wider than most fonts' average).
    for (let i = 1; i < drawn.length; i++) expect(drawn[i]!.x - drawn[i - 1]!.x).toBeGreaterThan(drawn[i - 1]!.label.length * 6.5);
  });
});
