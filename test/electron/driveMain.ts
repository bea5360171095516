// Runs the built main bundle (dist/electron/main.cjs, built into a scratch folder) under plain Node
// against fakeElectron.ts, drives it the way a window and a user would — asking for its channel to
// the core and talking over it — and prints a JSON report.
// Run: node --import tsx test/electron/driveMain.ts SCRATCH_DIR
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { portTransport, type FromCorePort, type PortLike } from '../../db/contract/index.ts';
import { startDataFlag } from '../../db/runtime/processLauncher.ts';
import { connectChannel, portChannel } from '../../electron/channels.ts';
import { buildDesktop, projectRoot } from '../../electron/build/build.ts';
import { stageNativeModules } from '../../electron/build/nativeModules.ts';
import { createFakeElectron, type FakeFrame, type FakeMessagePortMain } from './fakeElectron.ts';

const scratch = resolve(process.argv[2] ?? '');
const outDir = join(scratch, 'dist');
await buildDesktop({ outDir, renderer: false });
mkdirSync(join(outDir, 'renderer'), { recursive: true });
writeFileSync(join(outDir, 'renderer', 'index.html'), '<!doctype html><title>Waybill</title>');
await stageNativeModules(projectRoot, join(outDir, 'electron'), { kind: 'node' }, { log: () => undefined });
const fakeModule = join(outDir, 'electron', 'node_modules', 'electron');
mkdirSync(fakeModule, { recursive: true });
writeFileSync(join(fakeModule, 'index.js'), 'module.exports = globalThis.__waybillFakeElectron;\n');

const fake = createFakeElectron({ appData: join(scratch, 'appData'), exe: '/opt/Waybill/waybill' });
(globalThis as { __waybillFakeElectron?: unknown }).__waybillFakeElectron = fake.electron;
createRequire(import.meta.url)(join(outDir, 'electron', 'main.cjs'));

if (process.argv[3] === 'expect-relaunch') {
  // Started without the allocator limit: the app should ask to be started again, and do nothing else.
  console.log(`REPORT ${JSON.stringify({ relaunches: fake.state.relaunches, exitCode: fake.state.exitCode, arenaLimit: process.env.MALLOC_ARENA_MAX ?? null, privilegedSchemes: fake.state.privilegedSchemes, utilityForks: fake.state.utilityForks.length })}`);
  process.exit(0);
}

fake.markReady();

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 30_000) throw new Error(`timed out waiting for ${what}; errors: ${fake.state.errors.join('; ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

await until(() => fake.state.windows.length === 1, 'the window');
const window = fake.state.windows[0]!;
const contents = window.webContents;

/** What the preload does: ask main for the channel to the core; returns the port main posts back, if any. */
function connect(frame: FakeFrame): FakeMessagePortMain | null {
  const before = contents.posted.length;
  for (const listener of fake.state.ipcListeners.get(connectChannel) ?? []) listener({ senderFrame: frame, sender: contents });
  const posted = contents.posted.slice(before).find((p) => p.channel === portChannel);
  return posted?.ports[0] ?? null;
}

const serve = fake.state.protocolHandlers.get('app')!;
const page = await serve(new Request('app://waybill/'));
const escape = await serve(new Request('app://evil/index.html'));

const foreignPort = connect({ ...contents.mainFrame, routingId: 99 });
const port = connect(contents.mainFrame);
if (!port) throw new Error(`main handed our window no channel; errors: ${fake.state.errors.join('; ')}`);
const portLike: PortLike = {
  post: (message) => port.postMessage(message),
  onMessage: (listener) => port.on('message', ({ data }: { data: FromCorePort }) => listener(data)),
  onClose: (listener) => port.on('close', listener),
};
const core = portTransport(portLike);
const heads: number[] = [];
core.listen('head', (message) => heads.push(message.head));

const command = await core.call('command', { type: 'RegisterDepot', payload: { depotId: 'D1', name: 'North', region: 'north' } });
const position = command.ok ? command.position : 0;
const query = await core.call('depots.board', { options: { minPosition: position, timeoutMs: 10_000 } });
const recorded = await core.call('events.list', { params: { limit: 1 }, options: { minPosition: position, timeoutMs: 10_000 } });
// A window cannot name its actor: the session is the one main bound to its channel.
const chosenActor = await core.call('command', { type: 'RegisterDepot', payload: { depotId: 'D3', name: 'West', region: 'west' }, actor: 'mallory' } as never);
const forbidden = await core.call('backup', { to: join(scratch, 'stolen.db') });
await until(() => heads.length > 0, 'a head push message');
// A rebuild runs as a (stand-in) utility process main starts on the core's request, and swaps in.
const rebuild = await core.call('rebuild', { projection: 'depot_board' });
const afterRebuild = await core.call('depots.board', { options: { minPosition: position, timeoutMs: 10_000 } });
const forks = fake.state.utilityForks.map((f) => {
  const flag = f.args.find((arg) => arg.startsWith(startDataFlag));
  return { modulePath: f.modulePath, serviceName: f.serviceName, data: flag ? (JSON.parse(flag.slice(startDataFlag.length)) as Record<string, unknown>) : null };
});
const corePid = fake.state.utilityProcesses[0]?.pid ?? null;

/** The SQLite files a process holds open, by name (from /proc; empty elsewhere). */
function openDatabases(pid: number): string[] {
  const fds = `/proc/${pid}/fd`;
  if (!existsSync(fds)) return [];
  const names: string[] = [];
  for (const fd of readdirSync(fds)) {
    try {
      const target = readlinkSync(join(fds, fd));
      if (/\.db(-wal|-shm)?$/.test(target)) names.push(target.split('/').pop()!);
    } catch {
      // closed meanwhile
    }
  }
  return names.sort();
}
const databases = { main: openDatabases(process.pid), core: corePid ? openDatabases(corePid) : [] };

const navigation = { preventDefault: () => (navigation.prevented = true), prevented: false, url: 'https://example.com/' };
contents.emit('will-navigate', navigation);
let permission: boolean | null = null;
fake.state.permissionRequest?.(contents, 'media', (granted) => (permission = granted));
let networkCancelled: boolean | null = null;
fake.state.beforeRequest?.({ url: 'https://example.com/track.js' }, (answer) => (networkCancelled = answer.cancel));

window.close();
fake.electron.app.quit();
let quit = false;
fake.appEvents.on('quit', () => (quit = true));
await until(() => quit, 'the graceful quit');
const coreExit = await fake.state.utilityProcesses[0]!.exited;
const userData = fake.state.userData;
console.log(
  `REPORT ${JSON.stringify({
    userData,
    dataFiles: existsSync(join(userData, 'data')) ? readFileSync(join(userData, 'data', 'events.db')).length > 0 : false,
    privilegedSchemes: fake.state.privilegedSchemes,
    webPreferences: window.options.webPreferences,
    loadedUrl: contents.mainFrame.url,
    page: { status: page.status, csp: page.headers.get('content-security-policy'), type: page.headers.get('content-type'), body: await page.text() },
    escapeStatus: escape.status,
    foreignPort: foreignPort !== null,
    command,
    query,
    recorded,
    chosenActor,
    forbidden,
    heads: heads.length,
    rebuild,
    afterRebuild,
    forks,
    databases,
    coreExit,
    navigationPrevented: navigation.prevented,
    windowOpen: contents.windowOpenHandler?.({ url: 'https://example.com/' }),
    permission,
    networkCancelled,
    quitCalls: fake.state.quitCalls,
    listenersAfterQuit: fake.state.ipcListeners.size,
    windowState: JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')),
    errors: fake.state.errors,
  })}`,
);
process.exit(0);
