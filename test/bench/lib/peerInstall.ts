// Installs the peer (Emmett SQLite) into test/bench/peer on first use, so the project's own
// `npm install` stays free of it, and loads it by path (no static import: typecheck works without it).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { say } from './log.ts';

export interface PeerPaths {
  dir: string;
  emmettSqlite: string;
  versions: { emmett: string; emmettSqlite: string; sqlite3: string };
}

export function ensurePeerInstalled(benchDir: string): PeerPaths {
  const dir = join(benchDir, 'peer');
  const modules = join(dir, 'node_modules');
  const pkg = (name: string) => join(modules, name, 'package.json');
  const usable = () => {
    if (!existsSync(pkg('@event-driven-io/emmett-sqlite')) || !existsSync(pkg('sqlite3'))) return false;
    try {
      createRequire(join(dir, 'package.json'))('sqlite3');
      return true;
    } catch {
      return false;
    }
  };
  if (!usable()) {
    say('peer', 'installing @event-driven-io/emmett-sqlite@0.38.5, @event-driven-io/emmett@0.38.5 and sqlite3 into test/bench/peer (first use only)');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-package-lock'], { stdio: 'inherit' });
    if (!usable()) {
      // npm may have skipped sqlite3's native build; build it explicitly.
      execFileSync(npm, ['rebuild', 'sqlite3', '--prefix', dir], { stdio: 'inherit' });
    }
    if (!usable()) throw new Error('the peer could not be installed: sqlite3 has no native binding in test/bench/peer/node_modules');
  }
  const version = (name: string) => (JSON.parse(readFileSync(pkg(name), 'utf8')) as { version: string }).version;
  const entry = join(modules, '@event-driven-io', 'emmett-sqlite', 'dist', 'index.js');
  return { dir, emmettSqlite: pathToFileURL(entry).href, versions: { emmett: version('@event-driven-io/emmett'), emmettSqlite: version('@event-driven-io/emmett-sqlite'), sqlite3: version('sqlite3') } };
}
