import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  changedWithinTick,
  coarseTime,
  fsNow,
  settle,
  stamp,
  stampChange,
  stampChangeSync,
  stampSync,
  stampWrittenSync,
} from '../../src/state/index.js';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'kiln-state-'));
}

/** Sets a file's mtime to `ms` (ms since the epoch). */
function setMtime(file: string, ms: number): void {
  utimesSync(file, ms / 1000, ms / 1000);
}

describe('file stamps', () => {
  it('matches an unchanged file by size and mtime, and a touched one by content', async () => {
    const dir = tmp();
    const file = path.join(dir, 'a.c');
    writeFileSync(file, 'int a;');
    setMtime(file, 1_600_000_000_123.5);
    const s = stampSync(file, fsNow(dir));
    expect(s.racy).toBeUndefined();
    expect(stampChangeSync(file, s)).toBeUndefined();
    setMtime(file, 1_600_000_999_123.5);
    expect(stampChangeSync(file, s)).toBeUndefined();
    expect(await stampChange(file, s)).toBeUndefined();
    writeFileSync(file, 'int b;');
    expect(stampChangeSync(file, s)).toBe('changed');
    expect(await stampChange(file, s)).toBe('changed');
  });

  it('reports a file created, removed, or turned into a directory', () => {
    const dir = tmp();
    const file = path.join(dir, 'x.h');
    const missing = stampSync(file, fsNow(dir));
    expect(missing.hash).toBeNull();
    expect(stampChangeSync(file, missing)).toBeUndefined();
    writeFileSync(file, '');
    expect(stampChangeSync(file, missing)).toBe('was created');
    const present = stampSync(file, fsNow(dir));
    rmSync(file);
    expect(stampChangeSync(file, present)).toBe('was removed');
  });

  it('tracks a directory by the names it holds', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'a.c'), '');
    const s = stampSync(dir, Number.POSITIVE_INFINITY);
    expect(s.hash).toMatch(/^dir:/);
    writeFileSync(path.join(dir, 'b.c'), '');
    expect(stampChangeSync(dir, s)).toBe('has new or removed files');
    rmSync(path.join(dir, 'b.c'));
    expect(stampChangeSync(dir, s)).toBeUndefined();
  });

  it('treats the same tick of the filesystem clock as racily clean and hashes on every check', async () => {
    const dir = tmp();
    const file = path.join(dir, 'racy.c');
    writeFileSync(file, 'int v = 1;');
    // A coarse filesystem: whole-second mtimes (the folder's too), the stamp taken in that same second.
    const second = 1_700_000_000_000;
    setMtime(file, second);
    setMtime(dir, second);
    const s = await stamp(file, second + 400);
    expect(s.racy).toBe(true);
    // An edit later in the same second keeps size and mtime: only the content shows it.
    writeFileSync(file, 'int v = 2;');
    setMtime(file, second);
    setMtime(dir, second);
    expect(stampChangeSync(file, s)).toBe('changed');
    // Stamped seconds later, the same file is trusted by size and mtime.
    const later = stampSync(file, second + 5000);
    expect(later.racy).toBeUndefined();
  });

  it('decides the tick rule against the filesystem clock', () => {
    const dir = tmp();
    const now = fsNow(dir);
    const file = path.join(dir, 'f');
    writeFileSync(file, '');
    const mtime = stampSync(file, now).mtimeMs;
    expect(changedWithinTick(mtime, now)).toBe(true);
    expect(changedWithinTick(now - 1, now)).toBe(false);
    expect(changedWithinTick(1_700_000_000_000, 1_700_000_001_500, true)).toBe(true);
    expect(changedWithinTick(1_700_000_000_000, 1_700_000_002_000, true)).toBe(false);
    expect(changedWithinTick(1_700_000_000_000, 1_700_000_001_500, false)).toBe(false);
  });

  it('tells a coarse filesystem from a whole-second mtime set by a tool (cmake --install, tar)', () => {
    // A whole-second file in a folder the filesystem stamped finely: a tool set that mtime.
    const fine = tmp();
    const file = path.join(fine, 'installed.h');
    writeFileSync(file, '');
    setMtime(file, 1_700_000_000_000);
    expect(coarseTime(file, 1_700_000_000_000)).toBe(false);
    // A folder with a whole-second mtime of its own: a filesystem that keeps only seconds.
    const coarse = tmp();
    const other = path.join(coarse, 'installed.h');
    writeFileSync(other, '');
    setMtime(coarse, 1_700_000_000_000);
    expect(coarseTime(other, 1_700_000_000_000)).toBe(true);
    expect(coarseTime(other, 1_700_000_000_123.5)).toBe(false);
  });

  it('marks a file that changed after its use began as unstable, which never matches', () => {
    const dir = tmp();
    const file = path.join(dir, 'used.c');
    writeFileSync(file, 'old');
    setMtime(file, 1_600_000_000_500.25);
    const usedFrom = fsNow(dir);
    expect(settle(file, stampSync(file, usedFrom), usedFrom).unstable).toBeUndefined();
    writeFileSync(file, 'new');
    const s = settle(file, stampSync(file, fsNow(dir)), usedFrom);
    expect(s.unstable).toBe(true);
    expect(stampChangeSync(file, s)).toBe('changed during the last build');
  });

  it('stamps a file it wrote once per process, and again after any rewrite, even one that restores its size and mtime', () => {
    const dir = tmp();
    const lib = path.join(dir, 'libx.a');
    writeFileSync(lib, 'one');
    setMtime(lib, 1_600_000_000_000);
    const first = stampWrittenSync(lib);
    expect(stampWrittenSync(lib)).toEqual(first);
    // Same size, mtime put back: only the ctime (set by the kernel on the write) tells, once
    // the file system's clock has ticked since the first write.
    const before = statSync(lib).ctimeMs;
    do {
      writeFileSync(lib, 'two');
      setMtime(lib, 1_600_000_000_000);
    } while (statSync(lib).ctimeMs === before);
    const second = stampWrittenSync(lib);
    expect(second.hash).not.toBe(first.hash);
    expect(second.hash).toBe(stampSync(lib, Number.POSITIVE_INFINITY).hash);
    rmSync(lib);
    expect(stampWrittenSync(lib).hash).toBeNull();
  });
});
