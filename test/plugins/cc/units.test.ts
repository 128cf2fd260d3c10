import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactName } from '../../../src/compile/command.js';
import { defineFlags } from '../../../src/compile/defines.js';
import { parseDepfile } from '../../../src/compile/depfile.js';
import { errorsFirst } from '../../../src/compile/diagnostics.js';
import { languageOf, objectRelPath } from '../../../src/compile/sources.js';

describe('parseDepfile', () => {
  it.each([
    ['obj.o: src.c a.h\n', ['src.c', 'a.h']],
    [
      'obj.o: src.c \\\n  /usr/include/stdio.h \\\n  b.h\n',
      ['src.c', '/usr/include/stdio.h', 'b.h'],
    ],
    ['o\\ x.o: dir\\ with\\ space/a.c it\'s\\ "q".h\n', ['dir with space/a.c', 'it\'s "q".h']],
    ['o.o: a$$b.c c\\#d.h\n', ['a$b.c', 'c#d.h']],
    ['o.o: ñandú/ü.c\n', ['ñandú/ü.c']],
    ['o.o: a.c a.c b.h\n', ['a.c', 'b.h']],
    ['o.o: a.c\r\n', ['a.c']],
    ['o.o: a.c\n\nh.h:\n', ['a.c']],
  ])('parses %j', (text, deps) => {
    expect(parseDepfile(text)).toEqual(deps);
  });
});

describe('errorsFirst', () => {
  it('moves error diagnostics (with their context) ahead of warnings, dropping nothing', () => {
    const text = [
      'a.c: In function ‘f’:',
      'a.c:1:5: warning: unused variable ‘x’ [-Wunused-variable]',
      '    1 | int x;',
      'In file included from a.c:2:',
      'b.h:3:1: error: unknown type name ‘foo’',
      '    3 | foo y;',
      'a.c:9:1: error: expected ‘;’',
    ].join('\n');
    const out = errorsFirst(text);
    const lines = out.split('\n');
    expect(lines[0]).toBe('In file included from a.c:2:');
    expect(lines[1]).toContain('b.h:3:1: error');
    expect(lines[3]).toContain('a.c:9:1: error');
    expect(out).toContain('warning: unused variable');
    expect(lines.sort()).toEqual(text.split('\n').sort());
  });
});

describe('object and artifact names', () => {
  const root = '/pkg';
  it.each([
    ['/pkg/src/a/util.c', 'pkg/src/a/util.c.o'],
    ['/pkg/src/b/util.c', 'pkg/src/b/util.c.o'],
    ['/pkg/src/util.cpp', 'pkg/src/util.cpp.o'],
  ])('mirrors the package path for %s', (file, obj) => {
    expect(objectRelPath(root, file)).toBe(path.join(...obj.split('/')));
  });

  it('keeps sources outside the package inside the output dir, without collisions', () => {
    const a = objectRelPath(root, '/shared/x/util.c');
    const b = objectRelPath(root, '/shared/y/util.c');
    const c = objectRelPath(root, '/pkg/../outside/util.c');
    for (const o of [a, b, c]) {
      expect(o.startsWith(`ext${path.sep}`)).toBe(true);
      expect(o.includes('..')).toBe(false);
    }
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it.each([
    ['static', 'linux', 'gnu', 'libz.a'],
    ['shared', 'linux', 'gnu', 'libz.so'],
    ['shared', 'darwin', undefined, 'libz.dylib'],
    ['static', 'darwin', undefined, 'libz.a'],
    ['shared', 'windows', 'msvc', 'z.dll'],
    ['static', 'windows', 'msvc', 'z.lib'],
    ['static', 'windows', 'gnu', 'libz.a'],
  ] as const)('names a %s library for %s-%s %s', (kind, os, env, name) => {
    expect(artifactName('z', kind, os, env)).toBe(name);
  });

  it.each([
    ['a.c', 'c'],
    ['a.cc', 'c++'],
    ['a.cpp', 'c++'],
    ['a.cxx', 'c++'],
    ['a.C', 'c++'],
    ['a.s', 'asm'],
    ['a.S', 'asm-cpp'],
  ])('classifies %s as %s', (file, lang) => {
    expect(languageOf(file)).toBe(lang);
  });

  it('refuses .asm with a hint', () => {
    expect(() => languageOf('x.asm')).toThrow(/MASM\/NASM/);
  });
});

describe('defineFlags', () => {
  it('turns records and arrays into -D flags, in order, false omitted', () => {
    expect(defineFlags({ A: true, B: 2, C: '"s"', D: false, E: null })).toEqual([
      '-DA',
      '-DB=2',
      '-DC="s"',
      '-DE',
    ]);
    expect(defineFlags(['X', 'Y=1'])).toEqual(['-DX', '-DY=1']);
  });
});
