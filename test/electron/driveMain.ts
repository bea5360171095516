// Runs the built main bundle (dist/electron/main.cjs, built into a scratch folder) under plain Node
// against fakeElectron.ts, drives it the way a window and a user would, and prints a JSON report.
// Run: node --import tsx test/electron/driveMain.ts SCRATCH_DIR
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { buildDesktop, projectRoot } from '../../electron/build/build.ts';
import { stageNativeModules } from '../../electron/build/nativeModules.ts';
import { jobDataFlag } from '../../db/projector/parentLink.ts';
import { createFakeElectron, type FakeFrame } from './fakeElectron.ts';

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
  console.log(`REPORT ${JSON.stringify({ relaunches: fake.state.relaunches, exitCode: fake.state.exitCode, arenaLimit: process.env.MALLOC_ARENA_MAX ?? null, privilegedSchemes: fake.state.privilegedSchemes, ipcHandlers: fake.state.ipcHandlers.size })}`);
  process.exit(0);
}
const environment = { migrations: process.env.WAYBILL_MIGRATIONS_DIR, workers: process.env.WAYBILL_WORKER_DIR };
fake.markReady();

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}; errors: ${fake.state.errors.join('; ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

await until(() => fake.state.windows.length === 1, 'the window');
const window = fake.state.windows[0]!;
const contents = window.webContents;
const invoke = (channel: string, frame: FakeFrame | null, ...args: unknown[]) => {
  const handler = fake.state.ipcHandlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return Promise.resolve(handler({ senderFrame: frame }, ...args)).then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ rejected: error instanceof Error ? error.message : String(error) }),
  );
};

const channels = [...fake.state.ipcHandlers.keys()];
const serve = fake.state.protocolHandlers.get('app')!;
const page = await serve(new Request('app://waybill/'));
const escape = await serve(new Request('app://evil/index.html'));

const command = await invoke('waybill:command', contents.mainFrame, { type: 'RegisterDepot', payload: { depotId: 'D1', name: 'North', region: 'north' } });
const foreign = await invoke('waybill:command', { ...contents.mainFrame, routingId: 99 }, { type: 'RegisterDepot', payload: { depotId: 'D2', name: 'South', region: 'south' } });
const position = (command as { resolved?: { position?: number } }).resolved?.position ?? 0;
const query = await invoke('waybill:query', contents.mainFrame, 'depots.board', {}, { minPosition: position, timeoutMs: 10_000 });
await until(() => contents.sent.some(([channel]) => channel === 'waybill:push:head'), 'a head push message');
// A rebuild runs as a (stand-in) utility process from the bundled worker entry, and swaps in.
const rebuild = await invoke('waybill:rebuild', contents.mainFrame, { projection: 'depot_board' });
const afterRebuild = await invoke('waybill:query', contents.mainFrame, 'depots.board', {}, { minPosition: position, timeoutMs: 10_000 });
const jobs = fake.state.utilityForks.map((f) => ({ modulePath: f.modulePath, serviceName: f.serviceName, job: JSON.parse(f.args[0]!.slice(jobDataFlag.length)) as unknown }));

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

const userData = fake.state.userData;
console.log(
  `REPORT ${JSON.stringify({
    environment,
    userData,
    dataFiles: existsSync(join(userData, 'data')) ? readFileSync(join(userData, 'data', 'events.db')).length > 0 : false,
    privilegedSchemes: fake.state.privilegedSchemes,
    webPreferences: window.options.webPreferences,
    loadedUrl: contents.mainFrame.url,
    page: { status: page.status, csp: page.headers.get('content-security-policy'), type: page.headers.get('content-type'), body: await page.text() },
    escapeStatus: escape.status,
    channels,
    command,
    foreign,
    query,
    rebuild,
    afterRebuild,
    jobs,
    pushChannels: [...new Set(contents.sent.map(([channel]) => channel))],
    navigationPrevented: navigation.prevented,
    windowOpen: contents.windowOpenHandler?.({ url: 'https://example.com/' }),
    permission,
    networkCancelled,
    quitCalls: fake.state.quitCalls,
    handlersAfterQuit: fake.state.ipcHandlers.size,
    windowState: JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')),
    errors: fake.state.errors,
  })}`,
);
process.exit(0);
