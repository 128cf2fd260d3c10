import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fromSystemError, isKilnError, KilnError } from '../errors.js';
import { hashBytes, tempPath } from '../state/index.js';
import { removeFile } from '../util/fs.js';
import { joinPath } from '../util/paths.js';
import {
  type ChildRegistry,
  childRegistry,
  isRunning,
  ownStartTime,
  stopRecordedGroups,
} from './process-groups.js';

export interface Lock {
  release(): Promise<void>;
  /** Where the holder records the process groups it starts, for whoever takes over after a crash. */
  children: ChildRegistry;
}

/** Who holds a lock: pid + start time (a reused pid is someone else) + host, and since when. */
interface Owner {
  pid: number;
  start?: string;
  host: string;
  since: number;
  id: string;
}

/** A lock file as read: `key` changes whenever the file is replaced (inode + content). */
interface Seen {
  key: string;
  text: string;
  owner: Owner | undefined;
  mtimeMs: number;
}

/**
 * An unreadable lock is stale after this long. Locks are created complete (hard link of a
 * written file), so garbage is left by a full disk or another tool; the grace period only
 * matters on filesystems without hard links, where a lock is briefly empty while written.
 */
const GRACE_MS = 1000;
/** Leftover temporary and guard files older than this belong to dead processes. */
const LEFTOVER_MS = 60_000;
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Locks this process holds, so a forced exit (second Ctrl-C) can still remove them. */
const held = new Map<string, string>();

/**
 * One build at a time per outDir, in `<outDir>/.kiln/lock`. The lock never exists half
 * written (created by linking a complete temporary file), and a stale one (its owner gone,
 * or garbage) is replaced atomically: under a takeover guard, after re-reading that it is
 * still the same stale file. The new holder then stops the programs the dead build left
 * running (recorded in `.kiln/children/`), so they cannot overwrite what it builds.
 */
export async function acquireLock(
  outDir: string,
  onWait: (message: string) => void,
  signal?: AbortSignal,
): Promise<Lock> {
  const dir = joinPath(outDir, '.kiln');
  const file = joinPath(dir, 'lock');
  const text = ownerRecord();
  try {
    mkdirSync(dir, { recursive: true });
    let told = false;
    let delay = 25;
    for (;;) {
      if (signal?.aborted) throw interrupted(file);
      // `kiln clean` may remove the folder while this build waits: create it again.
      if (createdUnlessGone(file, text, dir)) break;
      const seen = look(file);
      if (!seen) continue; // released in between: try again at once
      if (isStale(seen)) {
        if (await replaceIfUnchanged(file, seen.key, text)) break;
      } else if (seen.owner && !told) {
        onWait(waitMessage(file, seen.owner));
        told = true;
      }
      try {
        await sleep(delay, undefined, signal ? { signal } : undefined);
      } catch (error) {
        if (signal?.aborted) throw interrupted(file);
        throw error;
      }
      delay = Math.min(delay * 2, 200);
    }
    held.set(file, text);
    try {
      await stopRecordedGroups(joinPath(dir, 'children'));
      removeLeftovers(dir);
    } catch (error) {
      held.delete(file);
      removeIfMine(file, text);
      throw error;
    }
  } catch (error) {
    if (isKilnError(error)) throw error;
    const system = fromSystemError(error);
    if (system) throw system;
    const code = (error as NodeJS.ErrnoException).code;
    throw new KilnError(
      'OUTDIR_UNWRITABLE',
      `Cannot take the build lock ${file} (${code ?? error})`,
      {
        hint: 'Check that the output directory is writable and the disk is not full.',
        cause: error,
      },
    );
  }
  return {
    children: childRegistry(joinPath(dir, 'children')),
    release: async () => {
      held.delete(file);
      removeIfMine(file, text);
    },
  };
}

/** Removes the locks this process holds, synchronously: for an immediate exit. */
export function releaseHeldLocksSync(): void {
  for (const [file, text] of held) {
    try {
      if (readFileSync(file, 'utf8') === text) unlinkSync(file);
    } catch {
      // Already gone, or the outDir was removed: nothing left to release.
    }
  }
  held.clear();
}

/** `Waiting for another kiln build (pid 123, started 10:02:11) — lock …; if no build …`. */
export function waitMessage(file: string, owner: Owner): string {
  const elsewhere = owner.host !== os.hostname();
  const who = `pid ${owner.pid}${elsewhere ? ` on ${owner.host}` : ''}, started ${formatSince(owner.since)}`;
  return `Waiting for another kiln build (${who}) — lock ${file}; if no build is running${elsewhere ? ` on ${owner.host}` : ''}, delete that file`;
}

function interrupted(file: string): KilnError {
  return new KilnError('INTERRUPTED', `Interrupted while waiting for the lock ${file}`, {
    hint: 'Nothing was built; run kiln build again.',
  });
}

function ownerRecord(): string {
  const owner: Owner = {
    pid: process.pid,
    ...(ownStartTime() ? { start: ownStartTime() as string } : {}),
    host: os.hostname(),
    since: Date.now(),
    id: randomBytes(8).toString('hex'),
  };
  return `${JSON.stringify(owner)}\n`;
}

function parseOwner(text: string): Owner | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const o = value as Partial<Owner> | null;
  if (
    !o ||
    typeof o !== 'object' ||
    !Number.isInteger(o.pid) ||
    typeof o.host !== 'string' ||
    typeof o.since !== 'number' ||
    typeof o.id !== 'string' ||
    (o.start !== undefined && typeof o.start !== 'string')
  ) {
    return undefined;
  }
  return o as Owner;
}

/** Stale: garbage past the grace period, or an owner on this host that no longer runs. */
function isStale(seen: Seen): boolean {
  if (!seen.owner) return Math.abs(Date.now() - seen.mtimeMs) > GRACE_MS;
  // A build on another machine sharing this folder cannot be checked: wait for it.
  if (seen.owner.host !== os.hostname()) return false;
  return !isRunning(seen.owner.pid, seen.owner.start);
}

function look(file: string): Seen | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) return undefined;
    return { key: `${st.ino}:?`, text: '', owner: undefined, mtimeMs: st.mtimeMs };
  }
  try {
    const st = fstatSync(fd);
    const text = readFileSync(fd, 'utf8');
    return { key: `${st.ino}:${text}`, text, owner: parseOwner(text), mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** `createExclusive`, making the folder again when `kiln clean` removed it meanwhile. */
function createdUnlessGone(file: string, text: string, dir: string): boolean {
  try {
    return createExclusive(file, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true });
    return false;
  }
}

/**
 * Creates `file` holding `text` unless it exists; never visible half written where links work.
 * Synchronous, as every step of taking and releasing the lock: a few tiny files, for which
 * libuv's thread pool costs more than the calls (~4 ms a build).
 */
function createExclusive(file: string, text: string): boolean {
  const tmp = tempPath(file);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    linkSync(tmp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!LINK_UNSUPPORTED.has(code)) throw error;
  } finally {
    removeFile(tmp);
  }
  // No hard links here (FAT, some network mounts): create exclusively, then write. Readers
  // may see it empty for a moment; GRACE_MS keeps them from calling it stale.
  try {
    writeFileSync(file, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Replaces `file` with `text` if it is still the stale file last seen as `key`. Waiters that
 * judged the same file stale contend for one guard named after it; the winner re-reads before
 * replacing, so a second waiter never replaces the lock the first one just took. A guard whose
 * holder died is itself stale and taken over the same way (its own guard is named after it).
 */
async function replaceIfUnchanged(
  file: string,
  key: string,
  text: string,
  depth = 0,
): Promise<boolean> {
  const guard = `${file}.takeover-${hashBytes(key).slice(0, 16)}`;
  const guardText = ownerRecord();
  if (!createExclusive(guard, guardText)) {
    const seen = look(guard);
    // Held by a live waiter (or just released): let the caller look at the lock again.
    if (!seen || depth >= 3 || !isStale(seen)) return false;
    if (!(await replaceIfUnchanged(guard, seen.key, guardText, depth + 1))) return false;
  }
  try {
    const now = look(file);
    if (now?.key !== key) return false;
    const tmp = tempPath(file);
    try {
      writeFileSync(tmp, text, { flag: 'wx' });
      renameSync(tmp, file);
    } catch (error) {
      removeFile(tmp);
      throw error;
    }
    return true;
  } finally {
    removeIfMine(guard, guardText);
  }
}

function removeIfMine(file: string, text: string): void {
  let seen: Seen | undefined;
  try {
    seen = look(file);
  } catch {
    return;
  }
  if (seen && seen.text === text) removeFile(file);
}

/** Temporary files and guards of processes that died mid-takeover; they are never reused. */
function removeLeftovers(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('lock.')) continue;
    const file = joinPath(dir, name);
    const st = statSync(file, { throwIfNoEntry: false });
    if (st && now - st.mtimeMs > LEFTOVER_MS) removeFile(file);
  }
}

function formatSince(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (d.toDateString() === new Date().toDateString()) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}
