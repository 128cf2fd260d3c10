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
export function findExecutable(name: string, cwd: string): string | undefined {
  const exts =
    process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE').split(';')] : [''];
  if (name.includes('/') || (process.platform === 'win32' && name.includes('\\'))) {
    const full = path.resolve(cwd, name);
    return exts.map((e) => full + e).find(isExecutableFile);
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
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
