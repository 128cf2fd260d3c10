import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const reads: string[] = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readFile: (file: string, ...rest: unknown[]) => {
      reads.push(String(file));
      return (real.readFile as (...a: unknown[]) => Promise<unknown>)(file, ...rest);
    },
  };
});

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
});
