import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTree } from '../../src/util/fs.js';

describe('listTree', () => {
  it('lists every entry readdirSync lists recursively, except below a symlinked folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-tree-'));
    mkdirSync(path.join(dir, 'obj', 'pkg src', 'é'), { recursive: true });
    mkdirSync(path.join(dir, 'empty'));
    writeFileSync(path.join(dir, 'top.json'), '{}');
    writeFileSync(path.join(dir, 'obj', 'pkg src', 'é', 'a.c.o.kiln-tmp-1-0badf00d'), '');
    symlinkSync(path.join(dir, 'obj'), path.join(dir, 'link'), 'dir');
    // Node 20's recursive readdirSync follows the link; a sweep must never reach through one.
    const expected = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((e) => !e.startsWith(`link${path.sep}`))
      .sort();
    expect(listTree(dir).sort()).toEqual(expected);
    expect(expected).toContain(path.join('obj', 'pkg src', 'é', 'a.c.o.kiln-tmp-1-0badf00d'));
    expect(expected).toContain('link');
  });

  it('throws as readdirSync does for a folder that is not there', () => {
    expect(() => listTree('/nonexistent/kiln')).toThrow(/ENOENT/);
  });
});
