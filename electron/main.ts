// The desktop shell's lifecycle: one instance, one hardened window, the core opened on the per-user
// data folder, and a graceful shutdown that lets projectors commit before the databases close.
import { app, BrowserWindow, dialog, screen, session, utilityProcess } from 'electron';
import { dirname, join } from 'node:path';
import type { Core } from '../db/core/core.ts';
import { openCore } from '../db/core/openCore.ts';
import { boundedArenaEnvironment, relaunchedFlag } from '../db/runtime/mallocArenas.ts';
import { appEntryUrl } from './appOrigin.ts';
import { desktopSession } from './desktopSession.ts';
import { appPaths, isInside, userDataFolderName } from './appPaths.ts';
import { guardContents, guardSession } from './guardContents.ts';
import { planAfterOpenFailure, startFailure, type DialogText } from './openFailurePlan.ts';
import { registerAppScheme, serveRenderer } from './registerAppProtocol.ts';
import { registerIpc } from './registerIpc.ts';
import { utilityProcessLauncher } from './utilityJobLauncher.ts';
import { mainWindowOptions } from './windowOptions.ts';
import { loadWindowState, saveWindowState } from './windowState.ts';

const exportBundleExtension = '.waybill';
const shutdownGraceMs = 15_000;

app.setPath('userData', process.env.WAYBILL_USER_DATA ?? join(app.getPath('appData'), userDataFolderName(app.isPackaged)));
const paths = appPaths(__dirname, app.getPath('userData'));
/** The core's entries and migrations, where the build put them beside this bundle (inside app.asar when packaged). */
const builtFiles = { entries: paths.entriesDir, migrations: paths.migrationsDir, renderer: paths.rendererDir };

let window: BrowserWindow | null = null;
let waybill: Core | null = null;
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
  stopIpc = registerIpc(
    waybill.endpoint,
    desktopSession(),
    () => (window && !window.isDestroyed() ? window.webContents.mainFrame : null),
    (channel, message) => {
      if (window && !window.isDestroyed()) window.webContents.send(channel, message);
    },
  );
  createWindow();
  if (opened.notice && window) void dialog.showMessageBox(window, { type: 'warning', ...opened.notice });
  pendingFiles.splice(0).forEach(showExportBundle);
}

/** Opens the data folder; a read-only one is opened read-only with a notice for the user (openFailurePlan.ts). Null after a failure was shown. */
async function openDataFolder(): Promise<{ core: Core; notice: DialogText | null } | null> {
  try {
    // Rebuilds and verifies in utility processes: what they allocate is returned when they exit.
    const jobLauncher = utilityProcessLauncher((modulePath, args, options) => utilityProcess.fork(modulePath, args, options));
    return { core: await openCore({ dataDir: paths.dataDir, jobLauncher, files: builtFiles }), notice: null };
  } catch (error) {
    const plan = planAfterOpenFailure(error, paths.dataDir);
    if (plan.action === 'quit') return quitWith(plan.failure);
    try {
      return { core: await openCore({ dataDir: paths.dataDir, readOnly: true, files: builtFiles }), notice: plan.notice };
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
