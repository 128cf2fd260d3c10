import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import type { PkgConfigLibrary } from '../../../src/plugins/pkg-config/index.js';
import { pkgConfig } from '../../../src/plugins/pkg-config/index.js';
import { itWith } from '../../support/tools.js';
import { fakeContext } from './fake-context.js';

const PROGRAM = `#include <stdio.h>
#include <string.h>
#include <zlib.h>
int main(void) {
  const char *in = "kiln kiln kiln kiln kiln";
  unsigned char out[128];
  uLongf outLen = sizeof out;
  if (compress(out, &outLen, (const Bytef *)in, strlen(in) + 1) != Z_OK) return 2;
  printf("%s %lu\\n", zlibVersion(), (unsigned long)outLen);
  return 0;
}
`;

/** gcc's argv from the plugin's typed result: the way a cc step would use it. */
function gccArgs(lib: PkgConfigLibrary, src: string, exe: string): string[] {
  return [
    ...lib.includes.map((i) => `-I${i}`),
    ...lib.defines.map((d) => (d.value === undefined ? `-D${d.name}` : `-D${d.name}=${d.value}`)),
    ...lib.cflags,
    src,
    '-o',
    exe,
    ...lib.searchPaths.map((s) => (s.kind === 'native' ? `-L${s.path}` : `-F${s.path}`)),
    ...lib.libs.map((l) => (l.kind === 'static' && l.path ? l.path : `-l${l.name}`)),
    ...lib.ldflags,
  ];
}

describe('pkgConfig end to end', () => {
  const it = itWith('gcc', 'pkgconf');

  it.each([
    ['dynamically', false],
    ['statically', true],
  ])('finds the system zlib and links a C program with it %s', async (_how, isStatic) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln pc é-'));
    const src = path.join(dir, 'main.c');
    const exe = path.join(dir, 'main');
    writeFileSync(src, PROGRAM);
    const ctx = fakeContext({ ...process.env });
    const zlib = await pkgConfig('zlib', { version: '>=1.2', static: isStatic }).run(ctx);
    if (isStatic)
      expect(zlib.libs).toEqual([expect.objectContaining({ name: 'z', kind: 'static' })]);
    execFileSync('gcc', gccArgs(zlib, src, exe));
    if (isStatic) {
      // A static link leaves no NEEDED entry for libz.
      expect(execFileSync('ldd', [exe], { encoding: 'utf8' })).not.toContain('libz.so');
    }
    const out = execFileSync(exe, { encoding: 'utf8' }).trim();
    const expected = execFileSync('pkgconf', ['--modversion', 'zlib'], { encoding: 'utf8' }).trim();
    expect(out.split(' ')[0]).toBe(expected);
    expect(zlib.version).toBe(expected);
    expect(Number(out.split(' ')[1])).toBeGreaterThan(0);
  });
});
