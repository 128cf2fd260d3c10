// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name}` is .pc variable syntax, not a template.
import { describe, expect, it } from 'vitest';
import { renderFragments } from '../../../src/cli/pkg-config/render.js';
import { dequote, expand } from '../../../src/pkgconf/expand.js';
import {
  addFragments,
  copyFragment,
  type Fragment,
  splitArgv,
} from '../../../src/pkgconf/fragments.js';
import { isInvalid, loadPackage, type PcPackage } from '../../../src/pkgconf/package.js';
import { parsePcText, readLogicalLines } from '../../../src/pkgconf/parser.js';

const lines = (t: string) => readLogicalLines(t).map((l) => l.text);

describe('logical lines (pkgconf 1.8.1 reader)', () => {
  it.each([
    ['a\\\n   b', ['ab']],
    ['a\\\r\n  b', ['a\n  b']],
    ['a\\#b # c', ['a#b ']],
    ['a\\\\b\\x', ['a\\\\b\\x']],
    ['a\rb\r\nc\nd', ['a', 'b', 'c', 'd']],
    ['# only\nx', ['', 'x']],
  ])('%j reads as %j', (text, expected) => {
    expect(lines(text)).toEqual(expected);
  });
});

describe('statements', () => {
  it('accepts odd spacing, case-insensitive keywords and drops junk lines', () => {
    const st = parsePcText('  Name  :  x  \nfoo = bar  \n1bad=x\n-x\nLibs -l\ncflags:-DX\n');
    expect(st.map((s) => [s.kind, s.key, s.value])).toEqual([
      ['field', 'Name', 'x'],
      ['variable', 'foo', 'bar'],
      ['field', 'cflags', '-DX'],
    ]);
  });
});

describe('expansion', () => {
  const scope = (locals: Record<string, string>, globals: Record<string, string> = {}) => ({
    locals: new Map(Object.entries(locals)),
    globals: new Map(Object.entries(globals)),
    file: 't.pc',
  });
  it.each([
    ['${a}/x', { a: '/p' }, '/p/x'],
    ['$${a}', { a: '/p' }, '$/p'],
    ['$$x', {}, '$$x'],
    ['-I${nothere}', {}, '-I'],
    ['${a', { a: 'A' }, 'A'],
  ])('%s expands to %s', (value, locals, expected) => {
    expect(expand(value, scope(locals))).toBe(expected);
  });
  it('prefers globals (define-variable) over package variables', () => {
    expect(expand('${prefix}', scope({ prefix: '/a' }, { prefix: '/b' }))).toBe('/b');
  });
  it.each([
    ['"/a b"', '/a b'],
    ["'it\\'s'", "it's"],
    ['plain "x"', 'plain "x"'],
  ])('dequotes %s to %s', (raw, out) => {
    expect(dequote(raw)).toBe(out);
  });
});

describe('argv split and fragments', () => {
  it.each([
    ['-DA="x y" -DB', ['-DA=x y', '-DB']],
    ["'-DQ=$x'", ['-DQ=$x']],
    ['"a\\qb"', ['a\\qb']],
    ['a\\ b', ['a b']],
    ['"" x', ['x']],
  ])('splits %s', (v, out) => {
    expect(splitArgv(v)).toEqual(out);
  });
  it.each(['"open', "'open", 'trail\\'])('refuses %s (the field is dropped)', (v) => {
    expect(splitArgv(v)).toBeUndefined();
  });

  it('merges special arguments into one fragment', () => {
    const list: Fragment[] = [];
    addFragments(
      list,
      ['-Wl,--as-needed', '-Wl,-z,defs', '-lm', '-framework', 'Foo', '/x.a', '-pthread'],
      '/',
    );
    expect(list.map((f) => [f.type, f.data, f.merged])).toEqual([
      ['', '-Wl,--as-needed -Wl,-z,defs', true],
      ['l', 'm', false],
      ['', '-framework Foo /x.a -pthread', true],
    ]);
    expect(renderFragments(list)).toBe(
      '-Wl,--as-needed -Wl,-z,defs -lm -framework Foo /x.a -pthread ',
    );
  });

  it('de-duplicates: first -I wins, -l moves to the end after an -l, both kept after another flag type', () => {
    const out: Fragment[] = [];
    const f = (type: string, data: string): Fragment => ({ type, data, merged: false });
    for (const x of [
      f('I', '/a'),
      f('l', 'a'),
      f('l', 'b'),
      f('I', '/a'),
      f('l', 'a'),
      f('D', 'X'),
      f('f', 'PIC'),
      f('D', 'Y'),
      f('f', 'PIC'),
    ]) {
      copyFragment(out, x, false);
    }
    expect(renderFragments(out)).toBe('-I/a -lb -la -DX -fPIC -DY -fPIC ');
  });

  it('escapes what pkgconf escapes when printing', () => {
    expect(renderFragments([{ type: 'D', data: 'X="a b"&$(y)~', merged: false }])).toBe(
      '-DX=\\"a\\ b\\"\\&$(y)~ ',
    );
  });
});

describe('loading a package', () => {
  const load = (text: string) =>
    loadPackage('/d/p.pc', text, {
      globals: new Map([['pc_sysrootdir', '/']]),
      sysroot: undefined,
      fdoSysrootRules: false,
    });

  it('skips a file missing Name, Description or Version', () => {
    const p = load('Name: x\nDescription: y\n');
    expect(isInvalid(p)).toBe(true);
  });
  it('expands eagerly: forward references are empty, self references reset', () => {
    const p = load(
      'a=${b}\nb=B\nc=/c\nc=${c}x\nName: n\nDescription: d\nVersion: 1.0 extra\n',
    ) as PcPackage;
    expect(p.variables.get('a')).toBe('');
    expect(p.variables.get('c')).toBe('x');
    expect(p.variables.get('pcfiledir')).toBe('/d');
    expect(p.version).toBe('1.0');
  });
  it('accumulates repeated fragment and dependency fields', () => {
    const p = load(
      'Name: n\nDescription: d\nVersion: 1\nLibs: -la\nLibs: -lb\nRequires: x\nRequires: y\n',
    ) as PcPackage;
    expect(renderFragments(p.libs)).toBe('-la -lb ');
    expect(p.requires.map((d) => d.name)).toEqual(['x', 'y']);
  });
});
