// Who is calling, as the host that owns the transport knows it. The renderer never chooses it.
export const surfaces = ['desktop', 'browser', 'cli'] as const;
/** Where a call came from: the desktop window, the browser-mode page, or the command line. */
export type Surface = (typeof surfaces)[number];

export interface Session {
  /** Who: the signed-in person, until profiles exist the operating-system user running the host. */
  actor: string;
  surface: Surface;
}
