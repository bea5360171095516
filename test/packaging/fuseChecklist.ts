// The Electron hardening checklist for fuses, written out here on its own instead of read from
// electron/build/hooks.ts: a packaged binary is compared with it, so a changed packaging config
// fails the fuse tests rather than being restated by them.
import { FuseState, FuseV1Options, type FuseConfig } from '@electron/fuses';

export type FuseName = keyof typeof FuseV1Options;
type Fuses = Record<FuseName, 'on' | 'off'>;

/** Every v1 fuse of a packaged Waybill, and why. */
export const hardenedFuses: Fuses = {
  RunAsNode: 'off', // ELECTRON_RUN_AS_NODE would make the signed binary a plain Node runtime
  EnableCookieEncryption: 'on',
  EnableNodeOptionsEnvironmentVariable: 'off', // NODE_OPTIONS could preload any script
  EnableNodeCliInspectArguments: 'off', // --inspect would let anyone attach a debugger to the main process
  EnableEmbeddedAsarIntegrityValidation: 'on',
  OnlyLoadAppFromAsar: 'on', // with integrity validation: no unverified app code is loaded
  LoadBrowserProcessSpecificV8Snapshot: 'off', // Electron's default: no snapshot of our own
  GrantFileProtocolExtraPrivileges: 'off', // the console loads from app://, never file://
  WasmTrapHandlers: 'on', // Electron's default
};

/** What Electron ships (https://www.electronjs.org/docs/latest/tutorial/fuses), the state before afterPack. */
export const electronDefaultFuses: Fuses = {
  RunAsNode: 'on',
  EnableCookieEncryption: 'off',
  EnableNodeOptionsEnvironmentVariable: 'on',
  EnableNodeCliInspectArguments: 'on',
  EnableEmbeddedAsarIntegrityValidation: 'off',
  OnlyLoadAppFromAsar: 'off',
  LoadBrowserProcessSpecificV8Snapshot: 'off',
  GrantFileProtocolExtraPrivileges: 'on',
  WasmTrapHandlers: 'on',
};

/** In wire order. */
const fuseNames = (Object.keys(hardenedFuses) as FuseName[]).sort((a, b) => FuseV1Options[a] - FuseV1Options[b]);

/** A fuse wire as read by @electron/fuses, by name: 'on', 'off', or the raw state of anything else. */
export function fusesOf(wire: FuseConfig<FuseState>): Record<FuseName, string> {
  const state = (value: FuseState | undefined) => (value === FuseState.ENABLE ? 'on' : value === FuseState.DISABLE ? 'off' : `state ${String(value)}`);
  return Object.fromEntries(fuseNames.map((name) => [name, state(wire[FuseV1Options[name]])])) as Record<FuseName, string>;
}

/** A flipFuses configuration, by name, over a binary with `base` fuses. */
export function fusesAfter(flips: Partial<Record<FuseV1Options, boolean>>, base: Fuses = electronDefaultFuses): Record<FuseName, string> {
  const flipped = (name: FuseName) => flips[FuseV1Options[name]];
  return Object.fromEntries(fuseNames.map((name) => [name, flipped(name) === undefined ? base[name] : flipped(name) ? 'on' : 'off'])) as Record<FuseName, string>;
}

/** The wire Electron's defaults make, in FuseV1Options order ('1' on, '0' off). */
export const electronDefaultWire = fuseNames.map((name) => (electronDefaultFuses[name] === 'on' ? '1' : '0')).join('');
