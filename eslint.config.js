// One lint setup for the repo. Layers point down (boundaries below): contract ← domain ← log ←
// write ← readmodel/projector ← projections ← queries ← core ← sync ← entries, cli/serve, electron;
// the renderer sees only the contract. db/ and renderer/ never import electron; renderer/ never
// imports Node built-ins (it must run in a sandboxed page).
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'net', 'url', 'util', 'stream', 'events', 'buffer', 'process'];

/** Each layer and the layers (below it) it may import; a layer may always import itself. */
const layers = {
  contract: { pattern: ['db/contract/**'], may: [] },
  runtime: { pattern: ['db/runtime/**'], may: [] },
  domain: { pattern: ['db/domain/**'], may: ['contract'] },
  log: { pattern: ['db/log/**'], may: ['contract', 'runtime'] },
  write: { pattern: ['db/write/**'], may: ['contract', 'runtime', 'domain', 'log'] },
  readmodel: { pattern: ['db/readmodel/**'], may: ['contract', 'domain', 'log'] },
  projector: { pattern: ['db/projector/**'], may: ['contract', 'runtime', 'domain', 'log', 'readmodel'] },
  projections: { pattern: ['db/projections/**'], may: ['contract', 'domain', 'log', 'readmodel'] },
  queries: { pattern: ['db/queries/**'], may: ['contract', 'domain', 'readmodel', 'projections'] },
  seed: { pattern: ['db/seed/**'], may: ['contract', 'log'] },
  core: { pattern: ['db/core/**'], may: ['contract', 'runtime', 'domain', 'log', 'write', 'readmodel', 'projector', 'projections', 'queries', 'seed'] },
  entries: { pattern: ['db/entries/**'], may: ['contract', 'runtime', 'domain', 'log', 'write', 'readmodel', 'projector', 'projections', 'queries', 'core', 'sync'] },
  sync: { pattern: ['db/sync/**'], may: ['contract', 'runtime', 'domain', 'log', 'write', 'core'] },
  hosts: { pattern: ['db/cli/**', 'db/serve/**'], may: ['contract', 'runtime', 'log', 'core', 'sync'] },
  build: { pattern: ['electron/build/**'], may: ['contract', 'runtime'] },
  electron: { pattern: ['electron/**'], may: ['contract', 'runtime', 'core'] },
  renderer: { pattern: ['renderer/**'], may: ['contract'] },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-results/**', 'test/bench/results/**', 'db/log/migrations/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  {
    files: ['db/**', 'electron/**', 'renderer/**'],
    // Tests and test support may reach across layers to set things up.
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': Object.entries(layers).map(([type, { pattern }]) => ({ type, pattern, partialMatch: false })),
      'import/resolver': { typescript: { alwaysTryTypes: true } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: Object.entries(layers).map(([type, { may }]) => ({
            from: { element: { type } },
            allow: { to: { element: { types: { anyOf: [type, ...may] } } } },
          })),
        },
      ],
    },
  },
  {
    files: ['db/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'db/ and renderer/ must not import electron: the core runs under plain Node and the renderer talks to one transport.' }] },
      ],
    },
  },
  {
    // `expect(x.ok && x.freshness.stale).toBe(false)` passes when x is an error: assert on the whole answer.
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.name='expect'] > LogicalExpression[operator='&&']:matches([left.property.name='ok'], [left.expression.property.name='ok'], [left.left.property.name='ok'], [left.left.expression.property.name='ok'])",
          message:
            'Assert on the whole result, e.g. expect(answer).toMatchObject({ ok: true, data: { … }, freshness: { stale: false } }): with `x.ok && …` a failed answer becomes `false` and the assertion may pass anyway.',
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer must not import electron; use the transport.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer must not import Node built-ins.' })),
          ],
          patterns: [{ group: ['node:*'], message: 'The renderer must not import Node built-ins.' }],
        },
      ],
    },
  },
);
