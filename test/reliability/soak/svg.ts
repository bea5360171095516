// A dependency-free SVG line chart for the soak's curves (RSS and WAL sizes over time).
import { maximum } from './stats.ts';

export interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** A generous estimate of a label's width at the legend's 12 px: legend entries must never overlap. */
export function legendTextWidth(label: string): number {
  return Math.ceil(label.length * 7);
}

/** Lines over a shared x axis (minutes) and y axis (the unit given), with gridlines, labels and a legend. */
export function lineChart(options: { title: string; xLabel: string; yLabel: string; series: Series[]; marks?: { x: number; label: string }[] }): string {
  const width = 900;
  const height = 420;
  const pad = { left: 70, right: 20, top: 50, bottom: 60 };
  const all = options.series.flatMap((s) => s.points);
  const xMax = niceMax(Math.max(maximum(all.map((p) => p.x)), 1));
  const yMax = niceMax(Math.max(maximum(all.map((p) => p.y)), 1) * 1.1);
  const x = (v: number) => pad.left + (v / xMax) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / yMax) * (height - pad.top - pad.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${escape(options.title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const value = (yMax / 5) * i;
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${pad.left - 8}" y="${y(value) + 4}" text-anchor="end" fill="#374151">${Math.round(value * 10) / 10}</text>`);
  }
  for (let i = 0; i <= 10; i++) {
    const value = (xMax / 10) * i;
    parts.push(`<text x="${x(value)}" y="${height - pad.bottom + 18}" text-anchor="middle" fill="#374151">${Math.round(value * 10) / 10}</text>`);
  }
  for (const mark of options.marks ?? []) {
    parts.push(`<line x1="${x(mark.x)}" x2="${x(mark.x)}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#9ca3af" stroke-dasharray="4 4"/>`);
    parts.push(`<text x="${x(mark.x) + 4}" y="${pad.top + 12}" fill="#6b7280">${escape(mark.label)}</text>`);
  }
  parts.push(`<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#111827"/>`);
  parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}" stroke="#111827"/>`);
  parts.push(`<text x="${width / 2}" y="${height - 18}" text-anchor="middle">${escape(options.xLabel)}</text>`);
  parts.push(`<text x="18" y="${height / 2}" text-anchor="middle" transform="rotate(-90 18 ${height / 2})">${escape(options.yLabel)}</text>`);
  let legendX = pad.left + 10;
  for (const series of options.series) {
    const path = series.points.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${series.color}" stroke-width="1.6" points="${path}"/>`);
    parts.push(`<rect x="${legendX}" y="${pad.top - 16}" width="12" height="4" fill="${series.color}"/>`);
    parts.push(`<text x="${legendX + 18}" y="${pad.top - 11}">${escape(series.label)}</text>`);
    legendX += 18 + legendTextWidth(series.label) + 24;
  }
  parts.push('</svg>');
  return parts.join('\n');
}
