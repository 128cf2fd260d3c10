import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { joinPath } from '../util/paths.js';

/**
 * "Now" as the filesystem records it: the mtime of a file written this instant. File times come
 * from the kernel's coarse clock (a few ms behind the real one) or are truncated to seconds, so
 * comparing a file's mtime with `Date.now()` can miss a change made just after it; comparing
 * with a time from the same clock cannot (git compares with its index file's mtime likewise).
 */
export function fsNow(dir: string): number {
  const file = joinPath(dir, '.kiln', 'clock');
  try {
    writeFileSync(file, '');
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
  }
  return statSync(file).mtimeMs;
}
