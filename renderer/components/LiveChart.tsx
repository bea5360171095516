import { useEffect, useRef } from 'react';
import { useConsole } from '../app/consoleContext.ts';
import { sampleCount } from '../stores/liveStore.ts';

/** One colour per read model (--chart-1 … in theme.css), so no two lag lines look alike. */
const chartColours = 7;

export interface ChartLine {
  label: string;
  values: readonly number[];
}

/** A round axis top (2, 5, 10, 20, 50, …) so the gridline labels read as whole numbers. */
export function niceCeiling(value: number): number {
  if (value <= 2) return 2;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * magnitude >= value) ?? 10;
  return step * magnitude;
}

function drawChart(canvas: HTMLCanvasElement, lines: readonly ChartLine[], unit: (value: number) => string): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (width === 0 || height === 0) return;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  if (!context) return;
  const style = getComputedStyle(canvas);
  const colour = (name: string) => style.getPropertyValue(name).trim() || '#888';
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);

  const max = niceCeiling(Math.max(0, ...lines.flatMap((line) => line.values)));
  const top = 16;
  const bottom = height - 18;
  const step = width / (sampleCount - 1);
  context.strokeStyle = colour('--border');
  context.lineWidth = 1;
  context.font = `11px ${style.fontFamily}`;
  context.fillStyle = colour('--text-muted');
  for (const fraction of [0, 0.5, 1]) {
    const y = Math.round(bottom - fraction * (bottom - top)) + 0.5;
    context.beginPath();
    context.moveTo(0, y);
    context.lineTo(width, y);
    context.stroke();
    context.fillText(unit(max * fraction), 4, y - 3);
  }
  context.fillText('2 min ago', 4, height - 4);
  context.textAlign = 'right';
  context.fillText('now', width - 4, height - 4);
  context.textAlign = 'left';

  lines.forEach((line, index) => {
    if (line.values.length < 2) return;
    context.strokeStyle = colour(`--chart-${(index % chartColours) + 1}`);
    context.lineWidth = 2;
    context.beginPath();
    const offset = sampleCount - line.values.length;
    line.values.forEach((value, i) => {
      const x = (offset + i) * step;
      const y = bottom - (value / max) * (bottom - top);
      if (i === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    });
    context.stroke();
  });
}

/** A canvas line chart of live samples. It redraws at most once per animation frame, however often samples arrive. */
export function LiveChart({ lines, unit, label }: { lines: () => readonly ChartLine[]; unit: (value: number) => string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { live, preferences } = useConsole();
  const read = useRef(lines);
  read.current = lines;

  useEffect(() => {
    let frame: number | null = null;
    const request = () => {
      frame ??= requestAnimationFrame(() => {
        frame = null;
        if (canvas.current) drawChart(canvas.current, read.current(), unit);
      });
    };
    request();
    const stopLive = live.store.subscribe((state, previous) => {
      if (state.sampleTick !== previous.sampleTick) request();
    });
    const stopTheme = preferences.subscribe(request);
    const observer = new ResizeObserver(request);
    if (canvas.current) observer.observe(canvas.current);
    return () => {
      stopLive();
      stopTheme();
      observer.disconnect();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [live, preferences, unit]);

  const legend = lines();
  return (
    <figure className="chart">
      <canvas ref={canvas} className="chart-canvas" role="img" aria-label={label} />
      {legend.length > 1 ? (
        <figcaption className="chart-legend">
          {legend.map((line, index) => (
            <span key={line.label} className="legend-item">
              <span className={`legend-swatch swatch-${(index % chartColours) + 1}`} />
              {line.label}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}
