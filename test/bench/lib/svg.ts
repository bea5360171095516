// Small hand-written SVG charts: lines (CDFs, progress over time, histograms) and grouped bars.
import type { BarChart, LineChart } from './types.ts';

const W = 760;
const PALETTE = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7d8c', '#57606a'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Axis {
  min: number;
  max: number;
  log: boolean;
}

function niceTicks(axis: Axis, count = 6): number[] {
  if (axis.log) {
    const ticks: number[] = [];
    for (let e = Math.floor(Math.log10(axis.min)); e <= Math.ceil(Math.log10(axis.max)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= axis.min * 0.999 && v <= axis.max * 1.001) ticks.push(v);
      }
    }
    return ticks.length > 12 ? ticks.filter((v) => Math.abs(Math.log10(v) % 1) < 1e-9) : ticks;
  }
  const span = axis.max - axis.min || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? mag * 10;
  const ticks: number[] = [];
  for (let v = Math.ceil(axis.min / step) * step; v <= axis.max + step * 1e-9; v += step) ticks.push(Math.round(v * 1e9) / 1e9);
  return ticks;
}

function label(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(0)}k`;
  if (a >= 1000) return `${+(v / 1e3).toFixed(1)}k`;
  if (a >= 1) return `${+v.toFixed(2)}`;
  return `${+v.toPrecision(2)}`;
}

function scale(axis: Axis, from: number, to: number): (v: number) => number {
  if (axis.log) {
    const lo = Math.log10(axis.min);
    const hi = Math.log10(axis.max);
    return (v) => from + ((Math.log10(Math.max(v, axis.min)) - lo) / (hi - lo || 1)) * (to - from);
  }
  return (v) => from + ((v - axis.min) / (axis.max - axis.min || 1)) * (to - from);
}

function range(values: number[], log: boolean, padTop = false): Axis {
  const usable = log ? values.filter((v) => v > 0) : values;
  let min = Math.min(...usable);
  let max = Math.max(...usable);
  if (!Number.isFinite(min)) return { min: log ? 0.001 : 0, max: 1, log };
  if (log) {
    min = 10 ** (Math.floor(Math.log10(Math.min(...usable)) * 2) / 2);
    max = 10 ** (Math.ceil(Math.log10(max) * 2) / 2);
  } else {
    min = Math.min(0, min);
    if (padTop) max = max * 1.05;
    if (max === min) max = min + 1;
  }
  return { min, max, log };
}

export function lineChartSvg(chart: LineChart): string {
  const H = 380;
  const m = { l: 64, r: 18, t: 34, b: 96 + Math.ceil(chart.series.length / 3) * 16 };
  const height = H + m.b - 60;
  const xs = chart.series.flatMap((s) => s.points.map((p) => p[0])).concat((chart.marks ?? []).flatMap((k) => (k.x === undefined ? [] : [k.x])));
  const ys = chart.series.flatMap((s) => s.points.map((p) => p[1])).concat((chart.marks ?? []).flatMap((k) => (k.y === undefined ? [] : [k.y])));
  const xa = range(xs, chart.logX ?? false);
  const ya = range(ys, chart.logY ?? false, true);
  const plotBottom = H - 60;
  const X = scale(xa, m.l, W - m.r);
  const Y = scale(ya, plotBottom, m.t);
  const parts: string[] = [];
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(chart.title)}</text>`);
  for (const t of niceTicks(xa)) {
    parts.push(`<line x1="${X(t).toFixed(1)}" x2="${X(t).toFixed(1)}" y1="${m.t}" y2="${plotBottom}" stroke="#eaeef2"/>`);
    parts.push(`<text x="${X(t).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle" font-size="11">${label(t)}</text>`);
  }
  for (const t of niceTicks(ya)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${Y(t).toFixed(1)}" y2="${Y(t).toFixed(1)}" stroke="#eaeef2"/>`);
    parts.push(`<text x="${m.l - 6}" y="${(Y(t) + 4).toFixed(1)}" text-anchor="end" font-size="11">${label(t)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${plotBottom - m.t}" fill="none" stroke="#8c959f"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${plotBottom + 36}" text-anchor="middle" font-size="12">${esc(chart.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${(m.t + plotBottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(chart.yLabel)}</text>`);
  for (const mark of chart.marks ?? []) {
    if (mark.x !== undefined) {
      parts.push(`<line x1="${X(mark.x).toFixed(1)}" x2="${X(mark.x).toFixed(1)}" y1="${m.t}" y2="${plotBottom}" stroke="#cf222e" stroke-dasharray="5 4"/>`);
      const nearRight = X(mark.x) > W - m.r - 140;
      parts.push(`<text x="${(X(mark.x) + (nearRight ? -4 : 4)).toFixed(1)}" y="${m.t + 12}" font-size="11" fill="#cf222e"${nearRight ? ' text-anchor="end"' : ''}>${esc(mark.label)}</text>`);
    }
    if (mark.y !== undefined) {
      parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${Y(mark.y).toFixed(1)}" y2="${Y(mark.y).toFixed(1)}" stroke="#cf222e" stroke-dasharray="5 4"/>`);
      parts.push(`<text x="${W - m.r - 4}" y="${(Y(mark.y) - 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#cf222e">${esc(mark.label)}</text>`);
    }
  }
  chart.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const pts = s.points.filter((p) => (!chart.logX || p[0] > 0) && (!chart.logY || p[1] > 0));
    if (pts.length === 0) return;
    let d = '';
    pts.forEach((p, k) => {
      const x = X(p[0]).toFixed(1);
      const y = Y(p[1]).toFixed(1);
      if (k === 0) d += `M${x},${y}`;
      else if (chart.step) d += `H${x}V${y}`;
      else d += `L${x},${y}`;
    });
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const lx = m.l + (i % 3) * 230;
    const ly = plotBottom + 56 + Math.floor(i / 3) * 16;
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="14" height="4" fill="${color}"/>`);
    parts.push(`<text x="${lx + 20}" y="${ly - 4}" font-size="11">${esc(s.label)}</text>`);
  });
  return svg(height, parts);
}

export function barChartSvg(chart: BarChart): string {
  const labels = [...new Set(chart.groups.flatMap((g) => g.bars.map((b) => b.label)))];
  const barH = 11;
  const groupH = labels.length * barH + 10;
  const m = { l: 220, r: 70, t: 34 };
  const plotBottom = m.t + chart.groups.length * groupH;
  const height = plotBottom + 44 + Math.ceil(labels.length / 3) * 16;
  const values = chart.groups.flatMap((g) => g.bars.map((b) => b.value)).concat((chart.marks ?? []).map((k) => k.x));
  const xa = range(values, chart.logX ?? false, true);
  const X = scale(xa, m.l, W - m.r);
  const parts: string[] = [];
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(chart.title)}</text>`);
  for (const t of niceTicks(xa)) {
    parts.push(`<line x1="${X(t).toFixed(1)}" x2="${X(t).toFixed(1)}" y1="${m.t}" y2="${plotBottom}" stroke="#eaeef2"/>`);
    parts.push(`<text x="${X(t).toFixed(1)}" y="${plotBottom + 14}" text-anchor="middle" font-size="11">${label(t)}</text>`);
  }
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${plotBottom + 30}" text-anchor="middle" font-size="12">${esc(chart.unit)}${chart.logX ? ' (log scale)' : ''}</text>`);
  chart.groups.forEach((g, gi) => {
    const top = m.t + gi * groupH + 5;
    parts.push(`<text x="${m.l - 8}" y="${(top + (labels.length * barH) / 2 + 4).toFixed(1)}" text-anchor="end" font-size="11">${esc(g.label)}</text>`);
    g.bars.forEach((b) => {
      const li = labels.indexOf(b.label);
      const y = top + li * barH;
      const x0 = chart.logX ? m.l : X(0);
      const w = Math.max(1, X(b.value) - x0);
      parts.push(`<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${PALETTE[li % PALETTE.length]}"/>`);
      parts.push(`<text x="${(x0 + w + 3).toFixed(1)}" y="${y + barH - 3}" font-size="9">${label(b.value)}</text>`);
    });
  });
  for (const mark of chart.marks ?? []) {
    parts.push(`<line x1="${X(mark.x).toFixed(1)}" x2="${X(mark.x).toFixed(1)}" y1="${m.t}" y2="${plotBottom}" stroke="#cf222e" stroke-dasharray="5 4"/>`);
    parts.push(`<text x="${(X(mark.x) + 3).toFixed(1)}" y="${m.t - 2}" font-size="10" fill="#cf222e">${esc(mark.label)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${plotBottom - m.t}" fill="none" stroke="#8c959f"/>`);
  labels.forEach((l, i) => {
    const lx = m.l + (i % 3) * 170;
    const ly = plotBottom + 48 + Math.floor(i / 3) * 16;
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>`);
    parts.push(`<text x="${lx + 14}" y="${ly}" font-size="11">${esc(l)}</text>`);
  });
  return svg(height, parts);
}

function svg(height: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif">
<rect width="100%" height="100%" fill="#ffffff"/>
${parts.join('\n')}
</svg>
`;
}
