// The window's channel to the core (electron/windowChannel.ts), without Electron: main hands a
// channel only to our window's main frame, bound to the session main chose; anyone else gets none.
import { describe, expect, it } from 'vitest';
import type { Session } from '../../db/contract/index.ts';
import { portChannel } from '../../electron/channels.ts';
import { createSenderCheck, type FrameLike } from '../../electron/senderCheck.ts';
import { windowChannelHandler, type ConnectEventLike } from '../../electron/windowChannel.ts';

const ourFrame: FrameLike = { url: 'app://waybill/index.html#/parcels', processId: 4, routingId: 1 };
const desktop: Session = { actor: 'ana', surface: 'desktop' };

function handshake(mainFrame: () => FrameLike | null = () => ourFrame) {
  const attached: { session: Session; port: unknown }[] = [];
  const posted: { channel: string; message: unknown; transfer: unknown[] }[] = [];
  let refused = 0;
  let made = 0;
  const connect = windowChannelHandler({
    attach: (session, port) => attached.push({ session, port }),
    newChannel: () => ({ port1: `core-end-${++made}`, port2: `window-end-${made}` }),
    session: desktop,
    isTrustedSender: createSenderCheck(mainFrame),
    onRefused: () => refused++,
  });
  const ask = (senderFrame: FrameLike | null) => {
    const event: ConnectEventLike = { senderFrame, sender: { postMessage: (channel, message, transfer) => posted.push({ channel, message, transfer }) } };
    connect(event);
  };
  return { ask, attached, posted, refused: () => refused };
}

describe("the window's channel to the core", () => {
  it('gives our window one end of a new channel and the core the other, bound to the session main chose', () => {
    const { ask, attached, posted } = handshake();
    ask(ourFrame);
    expect(attached).toEqual([{ session: desktop, port: 'core-end-1' }]);
    expect(posted).toEqual([{ channel: portChannel, message: null, transfer: ['window-end-1'] }]);
  });

  it('makes a fresh channel each time the window asks (a reload)', () => {
    const { ask, attached } = handshake();
    ask(ourFrame);
    ask(ourFrame);
    expect(attached.map((a) => a.port)).toEqual(['core-end-1', 'core-end-2']);
  });

  it.each([
    ['a subframe of our window', { ...ourFrame, routingId: 2 }],
    ['another renderer process', { ...ourFrame, processId: 9 }],
    ['our frame after it navigated to a web page', { ...ourFrame, url: 'https://evil.example/' }],
    ['our frame showing a file:// page', { ...ourFrame, url: 'file:///etc/passwd' }],
    ['an app:// page of another host', { ...ourFrame, url: 'app://other/index.html' }],
    ['a frame that is gone', null],
  ])('gives no channel when the caller is %s, and tells the log', (_name, frame) => {
    const { ask, attached, posted, refused } = handshake();
    ask(frame);
    expect({ attached, posted, refused: refused() }).toEqual({ attached: [], posted: [], refused: 1 });
  });

  it('gives no channel before our window exists', () => {
    const { ask, attached, refused } = handshake(() => null);
    ask(ourFrame);
    expect({ attached, refused: refused() }).toEqual({ attached: [], refused: 1 });
  });
});
