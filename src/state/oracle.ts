import type { Stats } from 'node:fs';
import {
  changedWithinTick,
  coarseTime,
  contentHash,
  type FileStamp,
  MISSING,
  quickCompare,
  settle,
  statOrUndefined,
} from './stamp.js';

/**
 * Answers "is this file still what it was?" for many records that share files (objects sharing
 * headers, steps sharing sources), touching each file at most once per build: stats are
 * memoised per path, hashes per (path, size, mtime), so a hash is never reused for content
 * that changed after it was taken.
 */
export class ChangeOracle {
  private readonly stats = new Map<string, Stats | undefined>();
  private readonly hashes = new Map<string, Promise<string>>();
  /** Hash keys `record` saw unchanged around their hash: stat once more adds nothing for them. */
  private readonly steady = new Set<string>();
  /**
   * `quickChange`'s answers by stamp object: the units of one state file share the stamps of the
   * headers they share, so a thousand checks stat and compare a hundred files. Cleared whenever
   * a stat is taken anew.
   */
  private readonly answered = new Map<FileStamp, { file: string; answer: string | undefined }>();

  stat(file: string): Stats | undefined {
    if (this.stats.has(file)) return this.stats.get(file);
    const st = statOrUndefined(file);
    this.stats.set(file, st);
    return st;
  }

  private hash(file: string, st: Stats): Promise<string> {
    const key = hashKey(file, st);
    let p = this.hashes.get(key);
    if (!p) {
      p = contentHash(file, st);
      this.hashes.set(key, p);
    }
    return p;
  }

  /**
   * What `change` answers when stat alone decides it, synchronously; 'hash' when the content
   * must (then call `change`). A check of a thousand unchanged headers then costs no promise.
   */
  quickChange(file: string, recorded: FileStamp): string | undefined {
    const known = this.answered.get(recorded);
    if (known?.file === file) return known.answer;
    const answer = this.compare(file, recorded);
    this.answered.set(recorded, { file, answer });
    return answer;
  }

  private compare(file: string, recorded: FileStamp): string | undefined {
    if (recorded.unstable) return 'changed during the last build';
    const st = this.stat(file);
    const quick = quickCompare(st, recorded);
    if (quick === undefined && st && recorded.hash !== null) {
      // Unchanged by the rule every check uses: its recorded hash is its hash, so stamping it
      // after a compile that read it (`record`) need not read it again.
      const key = hashKey(file, st);
      if (!this.hashes.has(key)) this.hashes.set(key, Promise.resolve(recorded.hash));
    }
    return quick;
  }

  /** Why `file` no longer matches `recorded`, or undefined when it does. */
  async change(file: string, recorded: FileStamp): Promise<string | undefined> {
    const quick = this.quickChange(file, recorded);
    if (quick !== 'hash') return quick;
    return (await this.hash(file, this.stat(file)!)) === recorded.hash ? undefined : 'changed';
  }

  /**
   * A stamp of a file a job has just used, the job having started at `usedFrom` (`fsNow`): stat
   * anew (not the memoised stat of the check phase), hash, and stat again (unless this build
   * already saw it steady at that size and mtime); a file that moved during the job or the hash
   * is marked unstable, so the job's result is never taken as current for it. `takenAt` is
   * `fsNow()` after the job ended.
   */
  async record(file: string, usedFrom: number, takenAt: number): Promise<FileStamp> {
    const before = statOrUndefined(file);
    if (!before) return { ...MISSING };
    const key = hashKey(file, before);
    // Stamped before in this build with this size and mtime, and unchanged around that hash: the
    // hash comes from the memo without reading the file, so nothing can move in between.
    const steady = this.steady.has(key);
    const hash = await this.hash(file, before);
    const after = steady ? before : statOrUndefined(file);
    const stamp: FileStamp = { hash, size: before.size, mtimeMs: before.mtimeMs };
    if (!after || after.mtimeMs !== before.mtimeMs || after.size !== before.size) {
      // The hash may be of neither version: never reuse it.
      this.hashes.delete(key);
      stamp.unstable = true;
      return stamp;
    }
    this.steady.add(key);
    this.stats.set(file, after);
    this.answered.clear();
    if (changedWithinTick(before.mtimeMs, takenAt, coarseTime(file, before.mtimeMs))) {
      stamp.racy = true;
    }
    return settle(file, stamp, usedFrom);
  }

  /** Forgets what is known of `file` (the build itself just rewrote it). */
  forget(file: string): void {
    this.stats.delete(file);
    this.answered.clear();
  }
}

function hashKey(file: string, st: Stats): string {
  return `${file}\0${st.size}\0${st.mtimeMs}\0${st.isDirectory()}`;
}
