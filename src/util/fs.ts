import { lstatSync } from 'node:fs';
import path from 'node:path';

/** A path as it should be shown to people: relative to `root` when inside it. */
export function displayPath(file: string, root: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Whether `file` is `dir` itself or below it (by path, no symlinks resolved). */
export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Whether anything (a file, a folder, a dangling symlink) is at `file`. */
export function pathExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
