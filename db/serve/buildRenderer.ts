import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when the built page is missing or older than any renderer source or the contract it imports. */
export function rendererIsStale(repoRoot: string, outDir: string): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const sources = join(repoRoot, 'renderer');
  if (!existsSync(sources)) return false;
  const built = statSync(index).mtimeMs;
  return newestChange(sources) > built || statSync(join(repoRoot, 'db', 'contract.ts')).mtimeMs > built;
}

/** Builds the renderer with vite (a dev dependency) when the output is stale. */
export async function buildRendererIfNeeded(repoRoot: string, outDir: string, log: (line: string) => void): Promise<void> {
  if (!rendererIsStale(repoRoot, outDir)) return;
  if (!existsSync(join(repoRoot, 'node_modules', 'vite'))) {
    throw new Error(`The renderer is not built (${outDir}) and vite is not installed: run \`npm install\` first.`);
  }
  log('Building the renderer…');
  const vite = await import('vite');
  await vite.build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn' });
}
