// Packs Waybill the way `npm run dist` does — same build, same electron-builder.yml, same afterPack
// hook — into a scratch project, with two stand-ins for what this machine cannot download: the
// Electron runtime (standInElectron.ts), and better-sqlite3 at Node's ABI instead of a rebuild for
// Electron. Prints a JSON summary. Run: node --import tsx test/packaging/packWithStandIn.ts DIR
import { Arch, build, Platform, type BeforeBuildContext } from 'electron-builder';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDesktop, projectRoot } from '../../electron/build/build.ts';
import { loadBuilderConfig } from '../../electron/build/builderConfig.ts';
import { afterPack } from '../../electron/build/hooks.ts';
import { generateIcons } from '../../electron/build/icons.ts';
import { stageNativeModules } from '../../electron/build/nativeModules.ts';
import { writeStandInElectron } from './standInElectron.ts';

async function pack(scratch: string) {
  const project = join(scratch, 'project');
  mkdirSync(project, { recursive: true });
  copyFileSync(join(projectRoot, 'package.json'), join(project, 'package.json'));
  copyFileSync(join(projectRoot, 'electron-builder.yml'), join(project, 'electron-builder.yml'));
  symlinkSync(join(projectRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
  const built = await buildDesktop({ outDir: join(project, 'dist') });
  generateIcons(join(project, 'dist', 'icons'));

  const electronVersion = (JSON.parse(readFileSync(join(projectRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  const electronDist = join(scratch, 'electron-dist');
  writeStandInElectron(electronDist, electronVersion);

  const config = await loadBuilderConfig(project);
  const output = join(project, 'release');
  await build({
    projectDir: project,
    publish: 'never',
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    config: {
      ...config,
      directories: { ...config.directories, output },
      electronDist,
      electronVersion,
      // The stand-in for beforeBuild's Electron rebuild: same staging, Node's ABI, no download.
      beforeBuild: async (context: BeforeBuildContext) => {
        await stageNativeModules(context.appDir, join(context.appDir, 'dist', 'electron'), { kind: 'node' }, { log: () => undefined });
        return false;
      },
      afterPack,
    },
  });
  const appOutDir = join(output, 'linux-unpacked');
  return {
    project,
    outDir: built.outDir,
    runtimeImports: built.runtimeImports,
    appOutDir,
    asar: join(appOutDir, 'resources', 'app.asar'),
    executable: join(appOutDir, config.linux?.executableName ?? 'waybill'),
  };
}

const scratch = process.argv[2];
if (!scratch) throw new Error('usage: packWithStandIn.ts SCRATCH_DIR');
pack(resolve(scratch)).then(
  (summary) => console.log(`PACKED ${JSON.stringify(summary)}`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
