import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const reads: string[] = [];
/** Runs once a read of its file has its bytes, before the hash gets them: a write racing the hash. */
const afterRead = new Map<string, () => void>();
// Files up to 1 MiB are hashed from one synchronous read, larger ones from fs/promises: both
// are watched.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const readFileSync = (file: string, ...rest: unknown[]) => {
    reads.push(String(file));
    const bytes = (real.readFileSync as (...a: unknown[]) => unknown)(file, ...rest);
    afterRead.get(String(file))?.();
    afterRead.delete(String(file));
    return bytes;
  };
  return { ...real, readFileSync, default: { ...real, readFileSync } };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readFile: async (file: string, ...rest: unknown[]) => {
      reads.push(String(file));
      const bytes = await (real.readFile as (...a: unknown[]) => Promise<unknown>)(file, ...rest);
      afterRead.get(String(file))?.();
      afterRead.delete(String(file));
      return bytes;
    },
  };
});

import type { FileStamp } from '../../src/state/index.js';

const { ChangeOracle, fsNow, stampSync } = await import('../../src/state/index.js');

describe('the change oracle', () => {
  it('hashes a file shared by many records once per build', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-oracle-'));
    const header = path.join(dir, 'common.h');
    writeFileSync(header, '#define X 1\n');
    utimesSync(header, 1_600_000_000.5, 1_600_000_000.5);
    const s = stampSync(header, fsNow(dir));
    utimesSync(header, 1_600_000_100.5, 1_600_000_100.5); // touched: content decides
    const oracle = new ChangeOracle();
    reads.length = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, () => oracle.change(header, s)));
    expect(answers.every((a) => a === undefined)).toBe(true);
    expect(reads.filter((r) => r === header)).toHaveLength(1);
  });

  it('never reuses a hash for content that changed after it was taken', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-oracle-'));
    const file = path.join(dir, 'a.c');
    writeFileSync(file, 'one');
    const oracle = new ChangeOracle();
    const usedFrom = fsNow(dir);
    const before = await oracle.record(file, 0, fsNow(dir));
    writeFileSync(file, 'two');
    const after = await oracle.record(file, usedFrom, fsNow(dir));
    expect(after.hash).not.toBe(before.hash);
    // Changed after `usedFrom`: what the job read is unknown.
    expect(after.unstable).toBe(true);
    expect(await new ChangeOracle().change(file, after)).toBe('changed during the last build');
  });

  it('records a file unchanged since before the job began as stable', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-oracle-'));
    const file = path.join(dir, 'b.c');
    writeFileSync(file, 'stable');
    utimesSync(file, 1_600_000_000.5, 1_600_000_000.5);
    const s = await new ChangeOracle().record(file, fsNow(dir), fsNow(dir));
    expect(s.unstable).toBeUndefined();
    expect(s.racy).toBeUndefined();
    expect(await new ChangeOracle().change(file, s)).toBeUndefined();
  });

  it('stamps a header many units read once, with one read and no second stat pass', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-oracle-'));
    const header = path.join(dir, 'shared.h');
    writeFileSync(header, '#define SHARED 1\n');
    utimesSync(header, 1_600_000_000.5, 1_600_000_000.5);
    const oracle = new ChangeOracle();
    reads.length = 0;
    const stamps: FileStamp[] = [];
    for (let unit = 0; unit < 20; unit++)
      stamps.push(await oracle.record(header, fsNow(dir), fsNow(dir)));
    expect(reads.filter((r) => r === header)).toHaveLength(1);
    expect(stamps.every((s) => s.hash === stamps[0]!.hash && !s.unstable && !s.racy)).toBe(true);
  });

  it('marks a file that changed while it was hashed unstable, and never reuses that hash', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-oracle-'));
    const file = path.join(dir, 'racing.h');
    const write = (text: string) => {
      writeFileSync(file, text);
      utimesSync(file, 1_600_000_000.5, 1_600_000_000.5);
    };
    write('#define V 1\n');
    // Rewritten between the read and the hash: the bytes hashed are no longer the file's.
    afterRead.set(file, () => writeFileSync(file, '#define V 22\n'));
    const oracle = new ChangeOracle();
    reads.length = 0;
    const torn = await oracle.record(file, fsNow(dir), fsNow(dir));
    expect(torn.unstable).toBe(true);
    // Other content at the size and mtime the torn hash was taken at: read again, not taken on trust.
    write('#define V 3\n');
    const again = await oracle.record(file, fsNow(dir), fsNow(dir));
    expect(reads.filter((r) => r === file)).toHaveLength(2);
    expect(again.unstable).toBeUndefined();
    expect(again.hash).toBe(stampSync(file, Number.POSITIVE_INFINITY).hash);
  });

  it('hashes a file over 1 MiB through fs/promises, to the same hash a synchronous read gives', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-oracle-'));
    const big = path.join(dir, 'amalgamation.c');
    writeFileSync(big, 'x'.repeat((1 << 20) + 1));
    const { hashFile, hashFileSync } = await import('../../src/state/index.js');
    expect(await hashFile(big, (1 << 20) + 1)).toBe(hashFileSync(big));
    expect(await hashFile(big)).toBe(hashFileSync(big));
  });
});
