import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listTree, removeFile } from '../util/fs.js';
import { joinPath } from '../util/paths.js';
import { pidExists } from '../util/process.js';

/**
 * The marker in every temporary name Kiln writes. A build killed with SIGKILL leaves such files
 * behind; `sweepTemps` removes those whose writer is gone.
 */
const TEMP_MARK = '.kiln-tmp-';
const TEMP_RE = /\.kiln-tmp-(\d+)-[0-9a-f]{8}(?:\.[^/\\]*)?$/;

/**
 * A unique temporary sibling of `file`: the pid and a random part, so neither a second process
 * nor an orphaned child of a killed build can ever write to the same name.
 */
export function tempPath(file: string): string {
  // node:crypto on first use, as in hash.ts.
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  return `${file}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Writes a file so that readers see either the old content or the new, never a torn file:
 * write to a temporary sibling, then rename over the target (atomic on one filesystem).
 *
 * Synchronous inside: Kiln's own files are small (state, manifests, markers), and five trips
 * through libuv's thread pool (mkdir, open, write, close, rename) cost more than the writes, the
 * more so while every core is compiling. The promise keeps callers free to change that.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  writeFileAtomicSync(file, data);
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tempPath(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (error) {
    removeFile(tmp);
    throw error;
  }
}

/**
 * Removes the temporary files under `dir` whose writing process is no longer alive: what a
 * killed build left. Files of live processes (another build of a shared tree) are kept.
 * Returns how many were removed.
 */
export function sweepTemps(
  dir: string,
  isAlive: (pid: number) => boolean = (pid) => pid === process.pid || pidExists(pid),
): number {
  let entries: string[];
  try {
    entries = listTree(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const rel of entries) {
    const m = TEMP_RE.exec(rel);
    if (!m || isAlive(Number(m[1]))) continue;
    rmSync(joinPath(dir, rel), { force: true, recursive: true });
    removed += 1;
  }
  return removed;
}
