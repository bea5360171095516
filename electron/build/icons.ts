// `npm run icons`: renders electron/build/icon.svg into every icon electron-builder needs —
// a PNG set for Linux, icon.ico for Windows, icon.icns for macOS — under dist/icons.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from './build.ts';

export const iconSource = join(projectRoot, 'electron/build/icon.svg');
export const linuxSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
const icoSizes = [16, 24, 32, 48, 64, 128, 256] as const;
/** ICNS entry types that hold PNG data, by pixel size (retina variants reuse the larger bitmaps). */
const icnsEntries: ReadonlyArray<readonly [string, number]> = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

function render(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
}

/** ICO with PNG-compressed images (Windows Vista and later); 256 is stored as 0 in the directory. */
export function encodeIco(images: ReadonlyArray<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

export function encodeIcns(entries: ReadonlyArray<{ type: string; png: Buffer }>): Buffer {
  const chunks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const total = 8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(total, 4);
  return Buffer.concat([head, ...chunks]);
}

export function generateIcons(outDir = join(projectRoot, 'dist/icons')): { pngDir: string; ico: string; icns: string } {
  const svg = readFileSync(iconSource, 'utf8');
  const pngs = new Map<number, Buffer>();
  const png = (size: number) => {
    let image = pngs.get(size);
    if (!image) pngs.set(size, (image = render(svg, size)));
    return image;
  };
  rmSync(outDir, { recursive: true, force: true });
  const pngDir = join(outDir, 'png');
  mkdirSync(pngDir, { recursive: true });
  for (const size of linuxSizes) writeFileSync(join(pngDir, `${size}x${size}.png`), png(size));
  const ico = join(outDir, 'icon.ico');
  writeFileSync(ico, encodeIco(icoSizes.map((size) => ({ size, png: png(size) }))));
  const icns = join(outDir, 'icon.icns');
  writeFileSync(icns, encodeIcns(icnsEntries.map(([type, size]) => ({ type, png: png(size) }))));
  return { pngDir, ico, icns };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const made = generateIcons();
  console.log(`waybill: icons in ${made.pngDir}, ${made.ico}, ${made.icns}`);
}
