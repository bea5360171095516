// A sampling CPU profile of one piece of work on this thread (node:inspector), summarised as the
// functions and files with the most self time: the measured reasons behind a figure.
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileEntry {
  label: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: ProfileEntry[];
  files: ProfileEntry[];
}

function place(url: string, repoRoot: string): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  const rel = relative(repoRoot, path);
  if (rel.startsWith('node_modules/')) return rel.split('/').slice(0, rel.includes('/@') ? 3 : 2).join('/');
  return rel.startsWith('..') ? path : rel;
}

export async function profile<T>(repoRoot: string, work: () => Promise<T> | T, intervalUs = 200): Promise<{ result: T; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  let result: T;
  let cpu: CpuProfile;
  try {
    result = await work();
  } finally {
    cpu = ((await session.post('Profiler.stop')) as { profile: CpuProfile }).profile;
    await session.post('Profiler.disable');
    session.disconnect();
  }
  return { result, summary: summarise(cpu, repoRoot) };
}

function summarise(cpu: CpuProfile, repoRoot: string): ProfileSummary {
  const totalHits = cpu.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  const totalMs = (cpu.endTime - cpu.startTime) / 1000;
  const msPerHit = totalMs / totalHits;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of cpu.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const file = place(node.callFrame.url, repoRoot);
    const name = node.callFrame.functionName || '(anonymous)';
    // Line numbers are of the code tsx generated, not of the source: leave them out.
    const fn = node.callFrame.url ? `${name} (${file})` : name;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    const fileKey = node.callFrame.url ? file : name.startsWith('(') ? name : `native: ${name}`;
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + hits);
  }
  const top = (map: Map<string, number>, n: number): ProfileEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([label, hits]) => ({ label, selfMs: hits * msPerHit, share: hits / totalHits }));
  return { totalMs, functions: top(byFunction, 12), files: top(byFile, 10) };
}

export function profileMarkdown(title: string, summary: ProfileSummary): string {
  const rows = (entries: ProfileEntry[]) =>
    entries.map((e) => `| ${e.label.replace(/\|/g, '\\|')} | ${e.selfMs.toFixed(0)} | ${(e.share * 100).toFixed(1)} % |`).join('\n');
  return [
    `**CPU profile: ${title}** (${summary.totalMs.toFixed(0)} ms sampled on the main thread; native SQLite time is attributed to the better-sqlite3 call that made it)`,
    '',
    '| Self time by file / native call | ms | share |',
    '|---|---:|---:|',
    rows(summary.files),
    '',
    '| Self time by function | ms | share |',
    '|---|---:|---:|',
    rows(summary.functions),
    '',
  ].join('\n');
}
