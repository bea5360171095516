// IPC channel names shared by the preload and the main process. No imports: the sandboxed
// preload bundles this file, and it may only load `electron` at run time.

/** The window asks for its channel to the core on this one… */
export const connectChannel = 'waybill:connect';
/** …and receives it (a message port straight to the core process) on this one. */
export const portChannel = 'waybill:channel';
