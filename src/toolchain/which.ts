import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds an executable the way `execvp` would: a name with a slash is taken as a path (relative to
 * `cwd`), anything else is searched in PATH. Returns the absolute path, or undefined.
 *
 * PATH is read from `process.env`, untracked, on purpose: npm prepends its own `.bin` folders to
 * PATH in every script, so tracking it would make every build dirty. The resolved compiler path
 * is part of each object's command hash instead, so a different compiler still recompiles.
 */
export function findExecutable(
  name: string,
  cwd: string,
  /** Skips a candidate (the next one on PATH is tried): see `masqueradeTarget`. */
  accept: (candidate: string) => boolean = () => true,
): string | undefined {
  const exts =
    process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE').split(';')] : [''];
  if (name.includes('/') || (process.platform === 'win32' && name.includes('\\'))) {
    const full = path.resolve(cwd, name);
    return exts.map((e) => full + e).find(isExecutableFile);
  }
  for (const dir of searchDirs()) {
    for (const ext of exts) {
      const candidate =
        dir.prefix === undefined ? path.join(dir.dir, name + ext) : dir.prefix + name + ext;
      if (isExecutableFile(candidate) && accept(candidate)) return candidate;
    }
  }
  return undefined;
}

interface SearchDir {
  dir: string;
  /** What `path.join(dir, name)` puts before a plain name, when that is plain concatenation. */
  prefix: string | undefined;
}

let searched: { PATH: string; dirs: SearchDir[] } | undefined;

/**
 * PATH's folders, each normalised once per PATH value rather than once per name looked up
 * (doctor looks up some twenty names in every folder).
 */
function searchDirs(): SearchDir[] {
  const PATH = process.env.PATH ?? '';
  if (searched?.PATH !== PATH) {
    const dirs = PATH.split(path.delimiter)
      .filter(Boolean)
      .map((dir): SearchDir => {
        // path.join(dir, name) is normalize(dir) + sep + name, except for "." (just name) and a
        // root (no second separator). Windows drive forms keep path.join.
        if (process.platform === 'win32') return { dir, prefix: undefined };
        const n = path.normalize(dir);
        return { dir, prefix: n === '.' ? '' : n.endsWith(path.sep) ? n : n + path.sep };
      });
    searched = { PATH, dirs };
  }
  return searched.dirs;
}

function isExecutableFile(file: string): boolean {
  try {
    // A lookup misses in most PATH folders: a stat that reports "no such file" without throwing
    // spares an exception per folder (doctor looks up some twenty names).
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
