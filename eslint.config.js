// One lint setup for the repo. Layer rules: db/ and renderer/ never import electron;
// renderer/ never imports Node built-ins (it must run in a sandboxed page).
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'net', 'url', 'util', 'stream', 'events', 'buffer', 'process'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-results/**', 'test/bench/results/**', 'db/log/migrations/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  {
    files: ['db/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'db/ and renderer/ must not import electron: the core runs under plain Node and the renderer talks to one API object.' }] },
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
            { name: 'electron', message: 'The renderer must not import electron; use the WaybillApi object.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer must not import Node built-ins.' })),
          ],
          patterns: [{ group: ['node:*'], message: 'The renderer must not import Node built-ins.' }],
        },
      ],
    },
  },
);
