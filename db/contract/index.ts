// The contract: every command, query, admin operation and push topic with its schema, in
// db/contract/. The core, the CLI, the hosts and the renderer all infer their types from here.
// Renderer-safe: zod only, no Node imports.
export * from './admin.ts';
export * from './commands.ts';
export * from './errors.ts';
export * from './issues.ts';
export * from './operations.ts';
export * from './push.ts';
export * from './queries.ts';
export * from './session.ts';
export * from './shapes.ts';
export * from './sync.ts';
export * from './browserWire.ts';
export * from './waybillError.ts';
export * from './portWire.ts';
