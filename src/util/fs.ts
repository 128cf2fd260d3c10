import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { relativeInside } from './paths.js';

/** A path as it should be shown to people: relative to `root` when inside it. */
export function displayPath(file: string, root: string): string {
  return relativeInside(root, file) || file;
}

/** Whether `file` is `dir` itself or below it (by path, no symlinks resolved). */
export function isInside(file: string, dir: string): boolean {
  return relativeInside(dir, file) !== undefined;
}

/**
 * Removes a file, if there is one: `rm(file, { force: true })` for a file, in one unlink call.
 * Node 20's `fs.promises.rm` runs an lstat and its JavaScript rimraf for each file (~0.7 ms
 * of the main thread, twice per compile).
 */
export function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
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

/**
 * Every entry below `dir` (files, folders, symlinks), as paths relative to it. Unlike Node 20's
 * `readdirSync(dir, { recursive: true })` it does not descend through a symlinked folder (what
 * is found is what may be removed: never something outside `dir`), and costs a fifth of its
 * time (~60 µs an entry in a young process). Throws as `readdirSync` does when `dir` cannot be
 * read.
 */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(rel ? path.join(dir, rel) : dir, { withFileTypes: true })) {
      const name = rel ? `${rel}${path.sep}${entry.name}` : entry.name;
      out.push(name);
      if (entry.isDirectory()) walk(name);
    }
  };
  walk('');
  return out;
}
