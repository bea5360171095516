/**
 * How worker-thread entries are bundled wherever that happens (per-process dev bundle, the test
 * setup, packaging): CommonJS for Node 20, better-sqlite3 left to node_modules, and
 * `import.meta.url` pointing at the bundle itself.
 */
export const workerBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3'],
  banner: { js: 'const __waybillImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__waybillImportMetaUrl' },
} as const;
