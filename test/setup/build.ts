// Vitest global setup: the one build step's Node bundles (and the console page, when its sources
// changed), so every test runs what the CLI, browser mode and the desktop app run.
import { buildNode, buildRenderer } from '../../electron/build/build.ts';

export default async function build(): Promise<void> {
  await buildNode();
  buildRenderer();
}
