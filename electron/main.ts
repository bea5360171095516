// The desktop shell's lifecycle: one instance, one hardened window, the core started in a utility
// process of its own on the per-user data folder (main carries no calls: each window gets a
// channel straight to it), and a graceful shutdown that lets projectors commit before the
// databases close.
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, screen, session, utilityProcess, type ForkOptions, type MessagePortMain } from 'electron';
import { dirname, join } from 'node:path';
import { startCoreProcess, type CoreProcess } from '../db/core/process/startCoreProcess.ts';
import { boundedArenaEnvironment, relaunchedFlag } from '../db/runtime/mallocArenas.ts';
import { appEntryUrl } from './appOrigin.ts';
import { desktopSession } from './desktopSession.ts';
import { appPaths, isInside, userDataFolderName } from './appPaths.ts';
import { guardContents, guardSession } from './guardContents.ts';
import { planAfterOpenFailure, startFailure, type DialogText } from './openFailurePlan.ts';
import { registerAppScheme, serveRenderer } from './registerAppProtocol.ts';
import { connectChannel } from './channels.ts';
import { createSenderCheck } from './senderCheck.ts';
import { utilityProcessLauncher } from './utilityProcessLauncher.ts';
import { windowChannelHandler } from './windowChannel.ts';
import { mainWindowOptions } from './windowOptions.ts';
import { loadWindowState, saveWindowState } from './windowState.ts';

const exportBundleExtension = '.waybill';
const shutdownGraceMs = 15_000;

app.setPath('userData', process.env.WAYBILL_USER_DATA ?? join(app.getPath('appData'), userDataFolderName(app.isPackaged)));
const paths = appPaths(__dirname, app.getPath('userData'));
/** The core's entries and migrations, where the build put them beside this bundle (inside app.asar when packaged). */
const builtFiles = { entries: paths.entriesDir, migrations: paths.migrationsDir, renderer: paths.rendererDir };

let window: BrowserWindow | null = null;
let waybill: CoreProcess | null = null;
let stopIpc: (() => void) | null = null;
let shutdown: 'running' | 'closing' | 'closed' = 'running';
const pendingFiles: string[] = [];

const boundedArenas = boundedArenaEnvironment(process.platform, process.env, process.argv);
if (boundedArenas) {
  // Linux: start again with glibc's malloc arenas bounded (db/runtime/mallocArenas.ts); the flag
  // stops a second relaunch even if the environment did not carry over.
  Object.assign(process.env, boundedArenas);
  app.relaunch({ args: [...process.argv.slice(1), relaunchedFlag] });
  app.exit(0);
} else {
  registerAppScheme();
  startSingleInstance();
}

function startSingleInstance(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    app.on('second-instance', (_event, argv) => {
      focusWindow();
      openedFiles(argv).forEach(showExportBundle);
    });
    app.on('open-file', (event, file) => {
      event.preventDefault();
      showExportBundle(file);
    });
    app.on('web-contents-created', (_event, contents) => guardContents(contents));
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    app.on('activate', () => {
      if (!window && waybill) createWindow();
    });
    app.on('before-quit', (event) => {
      if (shutdown === 'closed') return;
      event.preventDefault();
      // A second quit while closing waits for the first: the pending close quits when done.
      if (shutdown === 'running') void closeCore().then(() => app.quit());
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
    pendingFiles.push(...openedFiles(process.argv));
    app.whenReady().then(start).catch(fail);
  }
}

async function start(): Promise<void> {
  if (app.isPackaged && [dirname(app.getPath('exe')), process.resourcesPath].some((dir) => isInside(paths.dataDir, dir))) {
    throw new Error(`Refusing to keep data inside the install folder (${paths.dataDir}).`);
  }
  guardSession(session.defaultSession);
  serveRenderer(paths.rendererDir);
  const opened = await openDataFolder();
  if (!opened) return;
  waybill = opened.core;
  const core = waybill;
  const connect = windowChannelHandler({
    attach: (windowSession, port) => core.attach(windowSession, port),
    newChannel: () => new MessageChannelMain(),
    session: desktopSession(),
    isTrustedSender: createSenderCheck(() => (window && !window.isDestroyed() ? window.webContents.mainFrame : null)),
    onRefused: () => console.warn('waybill: refused a channel to the core (foreign sender)'),
  });
  const onConnect = (event: Electron.IpcMainEvent) =>
    connect({ senderFrame: event.senderFrame, sender: { postMessage: (channel, message, ports) => event.sender.postMessage(channel, message, ports as MessagePortMain[]) } });
  ipcMain.on(connectChannel, onConnect);
  stopIpc = () => ipcMain.removeListener(connectChannel, onConnect);
  // A core that dies leaves the window without answers: say so and end, rather than show stale data.
  void core.exited.then((code) => {
    if (shutdown === 'running') quitWith({ title: 'Waybill stopped', message: `The Waybill core stopped unexpectedly (exit code ${code}).`, detail: `Data folder: ${paths.dataDir}` });
  });
  createWindow();
  if (opened.notice && window) void dialog.showMessageBox(window, { type: 'warning', ...opened.notice });
  pendingFiles.splice(0).forEach(showExportBundle);
}

/** Opens the data folder; a read-only one is opened read-only with a notice for the user (openFailurePlan.ts). Null after a failure was shown. */
async function openDataFolder(): Promise<{ core: CoreProcess; notice: DialogText | null } | null> {
  const fork = (modulePath: string, args: string[], options: ForkOptions) => utilityProcess.fork(modulePath, args, options);
  // The core in a utility process; its rebuilds and verifies in utility processes too, started here on its request.
  const start = (readOnly: boolean) =>
    startCoreProcess({
      launcher: utilityProcessLauncher(fork, 'Waybill core'),
      jobLauncher: utilityProcessLauncher(fork, 'Waybill projector job'),
      core: { dataDir: paths.dataDir, readOnly, files: builtFiles },
    });
  try {
    return { core: await start(false), notice: null };
  } catch (error) {
    const plan = planAfterOpenFailure(error, paths.dataDir);
    if (plan.action === 'quit') return quitWith(plan.failure);
    try {
      return { core: await start(true), notice: plan.notice };
    } catch (second) {
      return quitWith(startFailure(second, paths.dataDir));
    }
  }
}

function createWindow(): void {
  const state = loadWindowState(
    paths.windowStateFile,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const created = new BrowserWindow(mainWindowOptions(state.bounds, paths.preload, { devTools: !app.isPackaged }));
  window = created;
  if (state.maximized) created.maximize();
  created.once('ready-to-show', () => created.show());
  created.on('close', () => {
    saveWindowState(paths.windowStateFile, { bounds: created.getNormalBounds(), maximized: created.isMaximized() });
  });
  created.on('closed', () => {
    if (window === created) window = null;
  });
  void created.loadURL(appEntryUrl);
}

/** Stop taking calls, let the core finish its batches and close its databases; never hang the quit. */
async function closeCore(): Promise<void> {
  shutdown = 'closing';
  stopIpc?.();
  const closing = waybill?.close() ?? Promise.resolve();
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), shutdownGraceMs).unref());
  try {
    if ((await Promise.race([closing, timeout])) === 'timeout') console.error('waybill: the core did not close in time; quitting anyway');
  } catch (error) {
    console.error('waybill: closing the core failed', error);
  }
  shutdown = 'closed';
}

function focusWindow(): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

function openedFiles(argv: readonly string[]): string[] {
  return argv.slice(1).filter((arg) => !arg.startsWith('-') && arg.toLowerCase().endsWith(exportBundleExtension));
}

/** A double-clicked export bundle: the import is a recovery operation, done with the CLI on purpose. */
function showExportBundle(file: string): void {
  if (!window) {
    pendingFiles.push(file);
    return;
  }
  void dialog.showMessageBox(window, {
    type: 'info',
    title: 'Waybill export bundle',
    message: 'This is a Waybill export bundle.',
    detail: `To import it into this computer's data folder, quit Waybill and run:\n\nnpx waybill import --from "${file}" --data "${paths.dataDir}"`,
  });
}

function fail(error: unknown): void {
  quitWith(startFailure(error, paths.dataDir));
}

function quitWith(failure: DialogText): null {
  dialog.showErrorBox(failure.title, `${failure.message}\n\n${failure.detail}`);
  shutdown = 'closed';
  app.exit(1);
  return null;
}
