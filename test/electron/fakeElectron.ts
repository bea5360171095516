// A recording stand-in for the parts of the `electron` module the main process uses, so the built
// main bundle can run under plain Node (the Electron binary cannot be downloaded here).
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

/** Loaded into each stand-in utility process: Electron's `process.parentPort`, over Node's IPC channel. */
const fakeParentPort = new URL('./fakeParentPort.mjs', import.meta.url).href;

/**
 * A stand-in for Electron's MessagePortMain, entangled with its twin. Handed to a stand-in utility
 * process, it becomes a relay: what its twin posts goes over the child's IPC channel, tagged with
 * the port's number, and what the child posts on its end comes back to the twin.
 */
export class FakeMessagePortMain extends EventEmitter {
  twin: FakeMessagePortMain | null = null;
  remote: { send(message: unknown): void; id: number } | null = null;
  closed = false;
  postMessage(message: unknown): void {
    if (this.closed || !this.twin) return;
    this.twin.deliver(structuredClone(message));
  }
  deliver(data: unknown): void {
    if (this.remote) this.remote.send({ __fakePort: this.remote.id, data });
    else this.emit('message', { data, ports: [] });
  }
  start(): void {}
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
    this.twin?.close();
  }
}

let nextPortId = 1;

/** A stand-in for Electron's UtilityProcess: a real Node child process that speaks over `process.parentPort`. */
class FakeUtilityProcess extends EventEmitter {
  private readonly child: ChildProcess;
  private readonly ports = new Map<number, FakeMessagePortMain>();
  pid: number | undefined;
  /** Resolves with the exit code once the process has gone. */
  readonly exited: Promise<number>;
  constructor(modulePath: string, args: string[]) {
    super();
    let markExited!: (code: number) => void;
    this.exited = new Promise((resolve) => (markExited = resolve));
    this.child = fork(modulePath, args, { execArgv: ['--import', fakeParentPort], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.pid = this.child.pid;
    this.child.on('message', (message: { __fakePort?: number; __fakePortClosed?: number; data?: unknown }) => {
      // What the child posts on a port it was handed reaches that port's twin here.
      if (message?.__fakePort !== undefined) return void this.ports.get(message.__fakePort)?.twin?.emit('message', { data: message.data, ports: [] });
      if (message?.__fakePortClosed !== undefined) return void this.ports.get(message.__fakePortClosed)?.close();
      this.emit('message', message);
    });
    this.child.on('exit', (code) => {
      this.pid = undefined;
      for (const port of this.ports.values()) port.close();
      this.emit('exit', code ?? 1);
      markExited(code ?? 1);
    });
  }
  postMessage(message: unknown, transfer: FakeMessagePortMain[] = []): void {
    if (!this.child.connected) return;
    const ids = transfer.map((port) => {
      const id = nextPortId++;
      port.remote = { id, send: (m) => this.child.connected && this.child.send(m as object) };
      this.ports.set(id, port);
      return id;
    });
    this.child.send((ids.length ? { __fakePorts: ids, data: message } : message) as object);
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

export interface FakeFrame {
  url: string;
  processId: number;
  routingId: number;
}
type Handler = (event: unknown, ...args: unknown[]) => unknown;

class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeFrame = { url: '', processId: 7, routingId: 1 };
  readonly sent: [string, unknown][] = [];
  /** What main posted to the window with message ports (the channel to the core). */
  readonly posted: { channel: string; message: unknown; ports: FakeMessagePortMain[] }[] = [];
  postMessage(channel: string, message: unknown, ports: FakeMessagePortMain[] = []): void {
    this.posted.push({ channel, message, ports });
  }
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  send(channel: string, message: unknown): void {
    this.sent.push([channel, message]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
}

export function createFakeElectron(paths: { appData: string; exe: string }) {
  const appEvents = new EventEmitter();
  const state = {
    userData: '',
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    ipcHandlers: new Map<string, Handler>(),
    ipcListeners: new Map<string, Set<Handler>>(),
    windows: [] as FakeBrowserWindow[],
    permissionRequest: null as null | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
    beforeRequest: null as null | ((details: { url: string }, callback: (response: { cancel: boolean }) => void) => void),
    quitCalls: 0,
    exitCode: null as number | null,
    relaunches: [] as unknown[],
    utilityForks: [] as { modulePath: string; args: string[]; serviceName: string | undefined }[],
    utilityProcesses: [] as FakeUtilityProcess[],
    errors: [] as string[],
  };
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      state.windows.push(this);
      appEvents.emit('web-contents-created', {}, this.webContents);
    }
    static getAllWindows(): FakeBrowserWindow[] {
      return state.windows.filter((window) => !window.destroyed);
    }
    async loadURL(url: string): Promise<void> {
      this.webContents.mainFrame.url = url;
      this.emit('ready-to-show');
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    show(): void {}
    maximize(): void {}
    isMaximized(): boolean {
      return false;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
    getNormalBounds() {
      return { x: 40, y: 30, width: 1111, height: 777 };
    }
    close(): void {
      this.emit('close');
      this.destroyed = true;
      this.emit('closed');
    }
  }

  const electron = {
    app: {
      isPackaged: false,
      on: (event: string, listener: (...args: unknown[]) => void) => appEvents.on(event, listener),
      setPath: (name: string, value: string) => {
        if (name === 'userData') state.userData = value;
      },
      getPath: (name: string) => (name === 'userData' ? state.userData : name === 'appData' ? paths.appData : name === 'exe' ? paths.exe : `/fake/${name}`),
      getAppPath: () => paths.exe,
      requestSingleInstanceLock: () => true,
      whenReady: () => ready,
      quit: () => {
        state.quitCalls += 1;
        const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
        appEvents.emit('before-quit', event);
        if (!event.defaultPrevented) appEvents.emit('quit');
      },
      exit: (code: number) => {
        state.exitCode = code;
      },
      relaunch: (options?: unknown) => state.relaunches.push(options ?? {}),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => state.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof state.permissionRequest) => (state.permissionRequest = handler),
        setPermissionCheckHandler: () => undefined,
        setDevicePermissionHandler: () => undefined,
        webRequest: { onBeforeRequest: (_filter: unknown, handler: typeof state.beforeRequest) => (state.beforeRequest = handler) },
      },
    },
    ipcMain: {
      handle: (channel: string, handler: Handler) => {
        if (state.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
        state.ipcHandlers.set(channel, handler);
      },
      removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
      on: (channel: string, listener: Handler) => {
        const set = state.ipcListeners.get(channel) ?? new Set<Handler>();
        state.ipcListeners.set(channel, set.add(listener));
      },
      removeListener: (channel: string, listener: Handler) => {
        state.ipcListeners.get(channel)?.delete(listener);
        if (state.ipcListeners.get(channel)?.size === 0) state.ipcListeners.delete(channel);
      },
    },
    MessageChannelMain: class {
      readonly port1 = new FakeMessagePortMain();
      readonly port2 = new FakeMessagePortMain();
      constructor() {
        this.port1.twin = this.port2;
        this.port2.twin = this.port1;
      }
    },
    BrowserWindow: FakeBrowserWindow,
    utilityProcess: {
      fork: (modulePath: string, args: string[] = [], options: { serviceName?: string } = {}) => {
        state.utilityForks.push({ modulePath, args, serviceName: options.serviceName });
        const child = new FakeUtilityProcess(modulePath, args);
        state.utilityProcesses.push(child);
        return child;
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    dialog: {
      showErrorBox: (title: string, message: string) => state.errors.push(`${title}: ${message}`),
      showMessageBox: async () => ({ response: 0 }),
    },
  };
  return { electron, state, appEvents, markReady };
}
