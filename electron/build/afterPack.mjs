// electron-builder loads hooks as JavaScript; the hook itself is TypeScript (hooks.ts), loaded through tsx.
import { tsImport } from 'tsx/esm/api';

export async function afterPack(context) {
  const hooks = await tsImport('./hooks.ts', import.meta.url);
  return hooks.afterPack(context);
}
export default afterPack;
