import { readdirSync, type Stats, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { hashBytes, hashFile, hashFileSync } from './hash.js';

/** What a file (or a directory's listing) looked like when a build recorded it. */
export interface FileStamp {
  /** Content hash (`dir:<hash>` of the sorted names for a directory); null: it did not exist. */
  hash: string | null;
  size: number;
  mtimeMs: number;
  /**
   * Recorded within one timestamp tick of the file's last change, so a later edit in that same
   * tick could keep size and mtime: the content decides on every check (git's "racily clean").
   */
  racy?: true;
  /** The file changed while the build that recorded it was using it: it never matches. */
  unstable?: true;
}

/**
 * True when a file last changed at `mtimeMs` may have changed again, unnoticed by size and
 * mtime, at or after `atMs` (a time from `fsNow`, the filesystem's own clock): the change was
 * in the same tick of that clock. Whole-second mtimes (ext3, HFS+; FAT's 2 s) are a coarse
 * filesystem whose tick is its own, whatever the clock file's filesystem says.
 */
export function changedWithinTick(mtimeMs: number, atMs: number, coarse = false): boolean {
  return mtimeMs >= atMs || (coarse && mtimeMs + 2000 > atMs);
}

/**
 * Whether `file` lives on a filesystem that keeps whole-second mtimes. A whole-second mtime
 * alone does not say so: `cmake --install`, `tar` and `cp -p` set whole seconds on fine-grained
 * filesystems too. Its folder's mtime, set by the filesystem itself, tells them apart.
 */
export function coarseTime(file: string, mtimeMs: number): boolean {
  if (mtimeMs % 1000 !== 0) return false;
  // A filesystem's granularity does not change while Kiln runs: each folder is asked once, and
  // each file's answer kept (packaged headers all have whole-second mtimes, and a build stamps
  // each of them once per unit that reads it).
  let coarse = coarseFiles.get(file);
  if (coarse !== undefined) return coarse;
  const dir = path.dirname(file);
  coarse = coarseDirs.get(dir);
  if (coarse === undefined) {
    try {
      coarse = statSync(dir).mtimeMs % 1000 === 0;
    } catch {
      return true;
    }
    coarseDirs.set(dir, coarse);
  }
  coarseFiles.set(file, coarse);
  return coarse;
}

const coarseDirs = new Map<string, boolean>();
const coarseFiles = new Map<string, boolean>();

export const MISSING: FileStamp = Object.freeze({ hash: null, size: 0, mtimeMs: 0 });

function fromStats(file: string, st: Stats, hash: string, takenAt: number): FileStamp {
  const stamp: FileStamp = { hash, size: st.size, mtimeMs: st.mtimeMs };
  if (changedWithinTick(st.mtimeMs, takenAt, coarseTime(file, st.mtimeMs))) stamp.racy = true;
  return stamp;
}

/**
 * A stat taken now, synchronously, or undefined when the file is missing: a build stats hundreds
 * of headers, and for a call this cheap the thread-pool round trip of `fs.promises.stat` costs
 * many times the call itself.
 */
export function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function listingHash(names: string[]): string {
  return `dir:${hashBytes(names.sort().join('\0'))}`;
}

/**
 * What a stamp records as the content of `file`, just stat-ed as `st`: its hash, or for a
 * directory `dir:` and the hash of its sorted names.
 */
export function contentHashSync(file: string, st: Stats): string {
  return st.isDirectory() ? listingHash(readdirSync(file)) : hashFileSync(file);
}

/** `contentHashSync`, reading a large file through the thread pool (`hashFile`). */
export async function contentHash(file: string, st: Stats): Promise<string> {
  return st.isDirectory() ? listingHash(await readdir(file)) : hashFile(file, st.size);
}

/**
 * Stamps a file or directory (synchronously: the fresh-build path loads nothing async);
 * `takenAt` is `fsNow()` just before, for the racily-clean rule.
 */
export function stampSync(file: string, takenAt: number): FileStamp {
  const st = statOrUndefined(file);
  if (!st) return { ...MISSING };
  return fromStats(file, st, contentHashSync(file, st), takenAt);
}

/**
 * `stampSync`, taking the hash from `prior` (the file's stamp in the last build) when stat
 * alone shows the same content by the rule every check uses (`quickCompare`: same size and
 * mtime, and the prior stamp was neither racy nor unstable), as git reuses its index: a
 * build's inputs (system headers among them) are not read again just to be stamped.
 */
export function restampSync(
  file: string,
  prior: FileStamp | undefined,
  takenAt: number,
): FileStamp {
  if (!prior || prior.unstable || prior.hash === null || prior.hash.startsWith('dir:')) {
    return stampSync(file, takenAt);
  }
  const st = statOrUndefined(file);
  if (!st || st.isDirectory() || quickCompare(st, prior) !== undefined) {
    return stampSync(file, takenAt);
  }
  return fromStats(file, st, prior.hash, takenAt);
}

export async function stamp(file: string, takenAt: number): Promise<FileStamp> {
  const st = await stat(file).catch(() => undefined);
  if (!st) return { ...MISSING };
  return fromStats(file, st, await contentHash(file, st), takenAt);
}

/**
 * Stamps a file Kiln itself has just written (an object, an archive, the manifest): no
 * racily-clean rule, since its content is by definition what Kiln recorded. Stamped again in
 * the same process (the step that wrote a library, then the build's list of outputs), a file
 * whose size, mtime, ctime and inode are unchanged keeps its hash: a 10 MB addon is not read
 * twice. Any later write moves its ctime, which nothing but the kernel sets; a write within the
 * same tick of the file system's clock as Kiln's own is not seen, as it would not be by the next
 * build either (a written file's stamp is never racy).
 */
export function stampWrittenSync(file: string): FileStamp {
  const st = statOrUndefined(file);
  if (!st) {
    writtenStamps.delete(file);
    return { ...MISSING };
  }
  const key = `${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.ino}\0${st.dev}`;
  const known = writtenStamps.get(file);
  if (known?.key === key) return { ...known.stamp };
  const stamp: FileStamp = { hash: contentHashSync(file, st), size: st.size, mtimeMs: st.mtimeMs };
  writtenStamps.set(file, { key, stamp });
  return { ...stamp };
}

const writtenStamps = new Map<string, { key: string; stamp: FileStamp }>();

/** `stampWrittenSync`, for callers in a promise chain: one rule and one memo for written files. */
export async function stampWritten(file: string): Promise<FileStamp> {
  return stampWrittenSync(file);
}

/**
 * Marks a stamp whose file changed at or after `usedFrom` (the moment a build started using
 * it): what the build read may not be what the stamp describes, so the next build must redo it.
 */
export function settle(file: string, stampValue: FileStamp, usedFrom: number): FileStamp {
  if (stampValue.hash === null || stampValue.unstable) return stampValue;
  const coarse = coarseTime(file, stampValue.mtimeMs);
  if (!changedWithinTick(stampValue.mtimeMs, usedFrom, coarse)) return stampValue;
  return { ...stampValue, unstable: true };
}

/**
 * Why a file no longer matches its stamp, or undefined when it does. Equal size and mtime are
 * trusted unless the stamp is racy; otherwise the content decides, so a file touched but not
 * changed (a checkout, `touch`) is still a match. `statFile` lets a caller that checks the same
 * file for many records (a workspace's packages share their dependencies' files) stat it once.
 */
export function stampChangeSync(
  file: string,
  recorded: FileStamp,
  statFile: (file: string) => Stats | undefined = statOrUndefined,
): string | undefined {
  if (recorded.unstable) return 'changed during the last build';
  const st = statFile(file);
  const quick = quickCompare(st, recorded);
  if (quick !== 'hash') return quick;
  return contentHashSync(file, st!) === recorded.hash ? undefined : changeWord(st!);
}

export async function stampChange(file: string, recorded: FileStamp): Promise<string | undefined> {
  if (recorded.unstable) return 'changed during the last build';
  const st = await stat(file).catch(() => undefined);
  const quick = quickCompare(st, recorded);
  if (quick !== 'hash') return quick;
  return (await contentHash(file, st!)) === recorded.hash ? undefined : changeWord(st!);
}

/** Decides what stat alone can decide; 'hash' when the content must. */
export function quickCompare(
  st: Stats | undefined,
  recorded: FileStamp,
): string | undefined | 'hash' {
  if (!st) return recorded.hash === null ? undefined : 'was removed';
  if (recorded.hash === null) return 'was created';
  const isDir = recorded.hash.startsWith('dir:');
  if (st.isDirectory() !== isDir) return isDir ? 'is no longer a directory' : 'is now a directory';
  if (!isDir && st.size !== recorded.size) return changeWord(st);
  if (!recorded.racy && st.size === recorded.size && st.mtimeMs === recorded.mtimeMs) {
    return undefined;
  }
  return 'hash';
}

function changeWord(st: Stats): string {
  return st.isDirectory() ? 'has new or removed files' : 'changed';
}
