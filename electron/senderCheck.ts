import { isAppUrl } from './appOrigin.ts';

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of Electron's IpcMainInvokeEvent the check reads. */
export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
}

export type SenderCheck = (event: InvokeEventLike) => boolean;

/**
 * Accepts a call only from our window's main frame showing an app:// page: not from a subframe,
 * another window, a page that navigated elsewhere, or a frame that is gone.
 */
export function createSenderCheck(mainFrame: () => FrameLike | null): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    const ours = mainFrame();
    if (!frame || !ours) return false;
    if (frame.processId !== ours.processId || frame.routingId !== ours.routingId) return false;
    return isAppUrl(frame.url);
  };
}
