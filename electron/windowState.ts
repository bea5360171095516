// The window's size and place, remembered as JSON in the per-user folder. A file that is missing,
// damaged, or puts the window off every screen falls back to a centred default.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds: WindowBounds;
  maximized: boolean;
}

export const defaultWindowState: WindowState = { bounds: { width: 1280, height: 820 }, maximized: false };
const minimum = { width: 900, height: 600 };
/** How much of the title bar must be on a screen for the saved place to be kept. */
const grip = { width: 120, height: 40 };

const coordinate = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(1).max(100_000);
const stateSchema = z.object({
  bounds: z.object({ x: coordinate.optional(), y: coordinate.optional(), width: size, height: size }),
  maximized: z.boolean(),
});

function overlaps(a: Area, b: Area): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Keeps a saved state only where it would be visible on one of today's screens. */
export function fitToScreens(state: WindowState, workAreas: readonly Area[]): WindowState {
  const largest = workAreas.reduce((max, area) => ({ width: Math.max(max.width, area.width), height: Math.max(max.height, area.height) }), {
    width: minimum.width,
    height: minimum.height,
  });
  const width = Math.min(Math.max(state.bounds.width, minimum.width), largest.width);
  const height = Math.min(Math.max(state.bounds.height, minimum.height), largest.height);
  const { x, y } = state.bounds;
  if (x === undefined || y === undefined) return { bounds: { width, height }, maximized: state.maximized };
  const titleBar = { x, y, width: Math.min(grip.width, width), height: grip.height };
  const visible = workAreas.some((area) => overlaps(titleBar, area));
  return { bounds: visible ? { x, y, width, height } : { width, height }, maximized: state.maximized };
}

export function loadWindowState(file: string, workAreas: readonly Area[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return defaultWindowState;
  }
  const parsed = stateSchema.safeParse(raw);
  return parsed.success ? fitToScreens(parsed.data, workAreas) : defaultWindowState;
}

/** Writes beside the target then renames, so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, file);
}
