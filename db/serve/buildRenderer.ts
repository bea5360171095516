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

/** True when the built page is missing or older than any renderer source, the contract it imports, or the build config. */
export function rendererIsStale(repoRoot: string, outDir: string): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const sources = join(repoRoot, 'renderer');
  if (!existsSync(sources)) return false;
  const built = statSync(index).mtimeMs;
  const inputs = [join(repoRoot, 'db', 'contract.ts'), join(repoRoot, 'vite.config.ts')].filter((file) => existsSync(file));
  return newestChange(sources) > built || inputs.some((file) => statSync(file).mtimeMs > built);
}

/** Builds the renderer with vite (a dev dependency) when the output is stale. */
export async function buildRendererIfNeeded(repoRoot: string, outDir: string, log: (line: string) => void): Promise<void> {
  if (!rendererIsStale(repoRoot, outDir)) return;
  if (!existsSync(join(repoRoot, 'node_modules', 'vite'))) {
    throw new Error(`The renderer is not built (${outDir}) and vite is not installed: run \`npm install\` first.`);
  }
  log('Building the renderer…');
  const vite = await import('vite');
  // Vite and the React plugin take NODE_ENV as given; from inside a test run it is 'test', which would ship dev React.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ configFile: join(repoRoot, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}
