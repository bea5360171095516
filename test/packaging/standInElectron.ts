// A stand-in for the Electron runtime, which cannot be downloaded here: a file carrying Electron's
// fuse wire (so @electron/fuses can flip it) plus the files electron-builder copies beside it.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's shipped defaults for the nine v1 fuses ('1' on, '0' off): RunAsNode, NODE_OPTIONS and inspect are on. */
export const standInFuseWire = '101001010';

export function writeStandInElectron(dir: string, version: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([Buffer.from(fuseSentinel), Buffer.from([1, standInFuseWire.length]), Buffer.from(standInFuseWire)]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('stand-in for the Electron binary\n'), wire, Buffer.alloc(32)]));
  chmodSync(join(dir, 'electron'), 0o755);
  for (const file of ['LICENSE', 'LICENSES.chromium.html', 'chrome-sandbox']) writeFileSync(join(dir, file), '');
  writeFileSync(join(dir, 'version'), version);
}
