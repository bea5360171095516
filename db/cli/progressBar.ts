/** A one-line progress bar on a terminal; silent when stderr is not a TTY. */
export function createProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastDraw = 0;
  const startedAt = performance.now();
  return {
    update(done: number, total: number, force = false) {
      if (!stream.isTTY) return;
      const now = performance.now();
      if (!force && now - lastDraw < 100) return;
      lastDraw = now;
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const width = 30;
      const filled = Math.round(fraction * width);
      const rate = done / Math.max(0.001, (now - startedAt) / 1000);
      const eta = rate > 0 ? (total - done) / rate : 0;
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
          `${done.toLocaleString('en')}/${total.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')}/s, ETA ${eta.toFixed(0)}s   `,
      );
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
