// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name}` is .pc variable syntax, not a template.
/**
 * pkgconf 1.8.1 behaviours that look wrong but are reproduced on purpose (drop-in means
 * identical), and the few cases where Kiln knowingly differs from the binary.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { itWith } from '../../support/tools.js';
import { oracle, ours, PKGCONF } from './oracle.js';

const it = itWith(PKGCONF);

function pcDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-quirk-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
const HEAD = 'Description: d\nVersion: 1.5\n';

describe('pkgconf 1.8.1 quirks Kiln reproduces', () => {
  it.each([
    // Fixed upstream in 2.3.0: a version glued to its operator loses its first character, so
    // `b >=9.0` asks for `b >= .0` and the 1.5 installed passes.
    [
      'glued version',
      { 'a.pc': `Name: a\n${HEAD}Requires: b >=9.0\n`, 'b.pc': `Name: b\n${HEAD}Libs: -lb\n` },
      ['--libs', 'a'],
      '-lb \n',
    ],
    // `$$` is not an escape in 1.8 (it is in 3.0).
    [
      '$$ is literal',
      { 'a.pc': `p=/x\nName: a\n${HEAD}Cflags: -DD=$\${p}\n` },
      ['--cflags', 'a'],
      '-DD=$/x \n',
    ],
    // Continuation eats the next line's indentation, joining two flags into one.
    [
      'continuation joins flags',
      { 'a.pc': `Name: a\n${HEAD}Libs: -la\\\n    -lb\n` },
      ['--libs', 'a'],
      '-la-lb \n',
    ],
    // Conflicts is checked only against the package's own Requires.
    [
      'Conflicts ignored for others',
      {
        'a.pc': `Name: a\n${HEAD}Conflicts: b\nLibs: -la\n`,
        'b.pc': `Name: b\n${HEAD}Libs: -lb\n`,
      },
      ['--libs', 'a', 'b'],
      '-la -lb \n',
    ],
    // Every line of output ends with a space (removed in 1.9.4).
    ['trailing space', { 'a.pc': `Name: a\n${HEAD}Libs: -la\n` }, ['--libs', 'a'], '-la \n'],
  ])('%s', async (_name, files, args, expected) => {
    const env = { PKG_CONFIG_LIBDIR: pcDir(files) };
    expect(oracle(args, env).stdout).toBe(expected);
    expect((await ours(args, env)).stdout).toBe(expected);
  });
});

describe('where Kiln knowingly differs from pkgconf 1.8.1', () => {
  it('escapes a non-ASCII character once, not each of its UTF-8 bytes', async () => {
    // pkgconf prints `\` before every byte >= 0x80, which splits UTF-8 sequences and yields
    // invalid UTF-8 on stdout; Kiln's output is a string, so it escapes whole characters.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-quirk-'));
    const sub = path.join(dir, 'ü');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'u.pc'), `Name: u\n${HEAD}Cflags: -DX=é\n`);
    const env = { PKG_CONFIG_LIBDIR: sub };
    const theirs = oracle(['--cflags', 'u'], env);
    const mine = await ours(['--cflags', 'u'], env);
    expect(mine.stdout).toBe('-DX=\\é \n');
    expect(theirs.code).toBe(mine.code);
    expect(theirs.stdout).not.toBe(mine.stdout);
  });

  it('refuses a value that expands past 64 KiB instead of truncating it', async () => {
    const lines = ['v0=lol'];
    for (let i = 1; i <= 20; i++) lines.push(`v${i}=\${v${i - 1}}\${v${i - 1}}\${v${i - 1}}`);
    const env = {
      PKG_CONFIG_LIBDIR: pcDir({
        'l.pc': `${lines.join('\n')}\nName: l\n${HEAD}Libs: -l\${v20}\n`,
      }),
    };
    // pkgconf prints a truncated flag and exits 0; a truncated path is never what was meant.
    expect(oracle(['--libs', 'l'], env).code).toBe(0);
    const mine = await ours(['--libs', 'l'], env);
    expect(mine.code).toBe(1);
    expect(mine.stderr).toContain('l.pc: a variable expands to more than 65535 bytes');
  });
});
