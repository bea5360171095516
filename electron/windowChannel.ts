// The window's channel to the core: main checks who asks, creates a message port pair, hands one
// end to the core process bound to the window's session, and the other to the window. From then
// on the window talks to the core directly; main carries none of it. Pure — no `electron` import,
// so tests drive it with fakes.
import type { Session } from '../db/contract/index.ts';
import { portChannel } from './channels.ts';
import type { FrameLike, SenderCheck } from './senderCheck.ts';

/** The parts of Electron's IpcMainEvent the handshake uses. */
export interface ConnectEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: { postMessage(channel: string, message: unknown, transfer: unknown[]): void };
}

export interface WindowChannelOptions {
  /** Hands one end of a new channel to the core, bound to `session`. */
  attach(session: Session, port: unknown): void;
  /** A new message port pair (Electron's MessageChannelMain). */
  newChannel(): { port1: unknown; port2: unknown };
  session: Session;
  isTrustedSender: SenderCheck;
  /** Told about every refused request (for the log). */
  onRefused?: () => void;
}

/** Answers a window's `connect`: a channel to the core for our window's main frame, nothing for anyone else. */
export function windowChannelHandler(options: WindowChannelOptions): (event: ConnectEventLike) => void {
  return (event) => {
    if (!options.isTrustedSender(event)) return options.onRefused?.();
    const { port1, port2 } = options.newChannel();
    options.attach(options.session, port1);
    event.sender.postMessage(portChannel, null, [port2]);
  };
}
