// electron-builder hooks (loaded through the .mjs shims beside this file).
// beforeBuild: stage better-sqlite3 rebuilt for the target's Electron ABI into dist/electron, and
// tell electron-builder that node_modules are handled here (it then neither rebuilds the project's
// node_modules in place nor copies them). afterPack: flip the Electron fuses.
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';
import { Arch, type AfterPackContext, type BeforeBuildContext } from 'electron-builder';
import { join } from 'node:path';
import { stageNativeModules } from './nativeModules.ts';

/** Fuses are baked into the Electron binary: what a packaged Waybill can never be made to do. */
export const waybillFuses = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} as const;

/** The file @electron/fuses patches: the .app bundle on macOS, the executable elsewhere. */
export function packagedExecutable(context: Pick<AfterPackContext, 'appOutDir' | 'electronPlatformName'> & {
  packager: { appInfo: { productFilename: string }; executableName?: string };
}): string {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName ?? packager.appInfo.productFilename);
}

export async function afterPack(context: AfterPackContext): Promise<void> {
  const executable = packagedExecutable(context);
  // Flipping fuses invalidates an ad-hoc signature; on Apple silicon an unsigned binary will not run.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === Arch.arm64;
  await flipFuses(executable, { version: FuseVersion.V1, resetAdHocDarwinSignature, ...waybillFuses });
  console.log(`  • waybill: fuses flipped in ${executable}`);
}

export async function beforeBuild(context: BeforeBuildContext): Promise<boolean> {
  await stageNativeModules(context.appDir, join(context.appDir, 'dist', 'electron'), {
    kind: 'electron',
    version: context.electronVersion,
    platform: context.platform.nodeName,
    arch: context.arch,
  });
  return false;
}
