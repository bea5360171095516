export function say(bench: string, line: string): void {
  const time = new Date().toISOString().slice(11, 19);
  process.stderr.write(`  ${time} [${bench}] ${line}\n`);
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A Markdown table from a header row and body rows. */
export function mdTable(header: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  return [
    `| ${header.join(' | ')} |`,
    `|${a.map((x) => (x === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');
}
