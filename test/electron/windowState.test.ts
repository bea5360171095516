// The window comes back where the user left it, unless that place is no longer on any screen.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWindowState, loadWindowState, saveWindowState } from '../../electron/windowState.ts';

const laptop = [{ x: 0, y: 0, width: 1920, height: 1080 }];

function stateFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'waybill-window-')), 'window-state.json');
}

describe('window state', () => {
  it('remembers size, place and maximized across a save and a load', () => {
    const file = stateFile();
    saveWindowState(file, { bounds: { x: 100, y: 80, width: 1200, height: 760 }, maximized: true });
    expect(loadWindowState(file, laptop)).toEqual({ bounds: { x: 100, y: 80, width: 1200, height: 760 }, maximized: true });
  });

  it('starts centred at the default size when there is no file or it is damaged', () => {
    const file = stateFile();
    expect(loadWindowState(file, laptop)).toEqual(defaultWindowState);
    writeFileSync(file, '{"bounds": {"width": "wide"');
    expect(loadWindowState(file, laptop)).toEqual(defaultWindowState);
  });

  it('forgets a place that is on no screen any more (the external monitor was unplugged), keeping the size', () => {
    const file = stateFile();
    saveWindowState(file, { bounds: { x: 2500, y: 100, width: 1200, height: 760 }, maximized: false });
    expect(loadWindowState(file, laptop)).toEqual({ bounds: { width: 1200, height: 760 }, maximized: false });
  });

  it('keeps the window between its minimum size and the largest screen', () => {
    const file = stateFile();
    saveWindowState(file, { bounds: { x: 10, y: 10, width: 200, height: 5000 }, maximized: false });
    expect(loadWindowState(file, laptop).bounds).toEqual({ x: 10, y: 10, width: 900, height: 1080 });
  });

  it('writes plain JSON', () => {
    const file = stateFile();
    saveWindowState(file, defaultWindowState);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(defaultWindowState);
  });
});
