// A stand-in for the Electron runtime, which cannot be downloaded here: a file carrying Electron's
// fuse wire (so @electron/fuses can flip it) plus the files electron-builder copies beside it.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronDefaultWire } from './fuseChecklist.ts';

const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

export function writeStandInElectron(dir: string, version: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  // Electron's shipped defaults, so every fuse afterPack must change starts the other way.
  const wire = Buffer.concat([Buffer.from(fuseSentinel), Buffer.from([1, electronDefaultWire.length]), Buffer.from(electronDefaultWire)]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('stand-in for the Electron binary\n'), wire, Buffer.alloc(32)]));
  chmodSync(join(dir, 'electron'), 0o755);
  for (const file of ['LICENSE', 'LICENSES.chromium.html', 'chrome-sandbox']) writeFileSync(join(dir, file), '');
  writeFileSync(join(dir, 'version'), version);
}
