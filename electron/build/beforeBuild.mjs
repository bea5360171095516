// electron-builder loads hooks as JavaScript; the hook itself is TypeScript (hooks.ts), loaded through tsx.
import { tsImport } from 'tsx/esm/api';

export async function beforeBuild(context) {
  const hooks = await tsImport('./hooks.ts', import.meta.url);
  return hooks.beforeBuild(context);
}
export default beforeBuild;
