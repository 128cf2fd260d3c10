import { readdirSync } from 'node:fs';
import path from 'node:path';
import { joinPath } from './paths.js';

const MAGIC = /[*?[\]{}()!]/;
const SKIP = new Set(['node_modules', '.git', 'build']);

/**
 * The directories whose listing decides what a glob matches: the pattern's static base, and
 * every directory below it when a directory segment holds a wildcard (`src/**\/*.c`). Tracking
 * these makes a new or deleted source file a change, not just an edited one.
 */
export function globDirectories(pattern: string, root: string): string[] {
  const segments = pattern.split('/');
  const firstMagic = segments.findIndex((s) => MAGIC.test(s));
  if (firstMagic < 0) return [];
  const base = path.resolve(root, ...segments.slice(0, firstMagic));
  const dirPartHasMagic = firstMagic < segments.length - 1;
  if (!dirPartHasMagic) return [base];
  const out = [base];
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || SKIP.has(e.name) || e.name.startsWith('.')) continue;
      const sub = joinPath(dir, e.name);
      out.push(sub);
      walk(sub);
    }
  };
  walk(base);
  return out;
}
