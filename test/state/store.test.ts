import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isRecord,
  readState,
  readStateSync,
  type StateKind,
  sweepTemps,
  tempPath,
  writeState,
} from '../../src/state/index.js';

interface Counter {
  n: number;
}
const COUNTER: StateKind<Counter> = {
  kind: 'test-counter',
  version: 3,
  valid: (d): d is Counter => isRecord(d) && typeof d.n === 'number',
};

describe('versioned state files', () => {
  it('round-trips data in an envelope naming its kind and version', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kiln-store-')), 's', 'state.json');
    await writeState(file, COUNTER, { n: 7 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      kind: 'test-counter',
      version: 3,
      data: { n: 7 },
    });
    expect(readStateSync(file, COUNTER)).toEqual({ n: 7 });
    expect(await readState(file, COUNTER)).toEqual({ n: 7 });
  });

  it.each([
    ['missing', null],
    ['empty', ''],
    ['torn', '{"kind":"test-counter","vers'],
    ['garbage', '\u0000\u0001binary'],
    ['another kind', '{"kind":"other","version":3,"data":{"n":1}}'],
    ['an older version', '{"kind":"test-counter","version":2,"data":{"n":1}}'],
    ['missing fields', '{"kind":"test-counter","version":3,"data":{}}'],
    ['a wrong type', '{"kind":"test-counter","version":3,"data":{"n":"1"}}'],
    ['null', 'null'],
  ])('reads %s as nothing known', async (_name, text) => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kiln-store-')), 'state.json');
    if (text !== null) writeFileSync(file, text);
    expect(readStateSync(file, COUNTER)).toBeUndefined();
    expect(await readState(file, COUNTER)).toBeUndefined();
  });

  it('reads a directory where the file should be as nothing known', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kiln-store-')), 'state.json');
    mkdirSync(file);
    expect(readStateSync(file, COUNTER)).toBeUndefined();
    expect(await readState(file, COUNTER)).toBeUndefined();
  });

  it('leaves no temporary file behind after a write', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-store-'));
    await writeState(path.join(dir, 'state.json'), COUNTER, { n: 1 });
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});

describe('temporary files', () => {
  it('gives every writer its own name', () => {
    const names = new Set(Array.from({ length: 100 }, () => tempPath('/x/lib.a')));
    expect(names.size).toBe(100);
    for (const n of names) expect(n.startsWith('/x/lib.a.kiln-tmp-')).toBe(true);
  });

  it('sweeps what dead writers left and keeps what live ones are writing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-sweep-'));
    mkdirSync(path.join(dir, 'obj'));
    const dead = path.join(dir, 'obj', 'a.o.kiln-tmp-999999-0123abcd');
    const deadDepfile = `${dead}.d`;
    const live = path.join(dir, 'lib.a.kiln-tmp-4242-89abcdef');
    for (const f of [dead, deadDepfile, live, path.join(dir, 'obj', 'a.o')]) writeFileSync(f, '');
    const removed = sweepTemps(dir, (pid) => pid === 4242);
    expect(removed).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['lib.a.kiln-tmp-4242-89abcdef', 'obj']);
    expect(readdirSync(path.join(dir, 'obj'))).toEqual(['a.o']);
  });

  it("never sweeps through a symlinked folder: what it links to is not the build's", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-sweep-'));
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'kiln-sweep-elsewhere-'));
    const theirs = path.join(elsewhere, 'x.o.kiln-tmp-999999-0123abcd');
    writeFileSync(theirs, '');
    symlinkSync(elsewhere, path.join(dir, 'linked'), 'dir');
    expect(sweepTemps(dir, () => false)).toBe(0);
    expect(existsSync(theirs)).toBe(true);
  });
});
