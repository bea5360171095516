// Which code a run measured: the commit, uncommitted changes under db/, and a hash of db/ taken at
// the start and the end (other people edit db/ while benchmarks run).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CodeVersion {
  commit: string;
  uncommittedInDb: string[];
  dbHash: string;
}

export function codeVersion(repoRoot: string): CodeVersion {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    uncommittedInDb: git('status', '--porcelain', '--', 'db').split('\n').filter(Boolean),
    dbHash: hashDir(join(repoRoot, 'db')),
  };
}

export function hashDir(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mjs|js|sql|json)$/.test(entry.name)) hash.update(path).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 12);
}
