import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { emptyManifest } from '../../src/manifest/builder.js';
import { readManifestFile } from '../../src/manifest/io.js';
import { renderManifest } from '../../src/manifest/render/index.js';
import { pcMetaVariable } from '../../src/manifest/render/pc.js';
import type { Manifest } from '../../src/manifest/schema.js';
import { splitWords } from '../../src/util/quote.js';
import { REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';

const GYP_PYLIB = path.join(REPO_ROOT, 'node_modules/node-gyp/gyp/pylib');

/** Every payload runs `touch pwned` in the consumer's working directory if anything evaluates it. */
const HOSTILE: Record<string, string> = {
  newline: 'line1\nline2',
  'trailing newline': 'end\n',
  cr: 'a\rb',
  semicolon: 'a;b',
  'escaped semicolon': 'a\\;b',
  'command substitution': '$(touch pwned)',
  backticks: '`touch pwned`',
  'single quote': "it's",
  'double quote': 'say "hi"',
  'both quotes': `'"'"`,
  'double bracket': 'x]]y',
  'fenced bracket': '[[[x]]==]',
  hash: 'a#b # c',
  'non-ASCII': 'ünïcødé 中文 😀',
  spaces: '  two  spaces ',
  tab: 'a\tb',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell reference is the point
  'variable reference': '${HOME}$HOME$$',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal CMake reference is the point
  'cmake reference': '${CMAKE_COMMAND}',
  backslashes: 'C:\\dir\\ and \\\\',
  'shell operators': 'a&&b||c|d>e<f',
  glob: '*?[a-z]~{x,y}!',
  'balanced brackets': '[[x]]',
  empty: '',
};

const LINE_BREAK = /[\r\n]/;

function manifest(over: Partial<Manifest> = {}): Manifest {
  return {
    ...emptyManifest({
      package: { name: 'hostile', version: '1.0.0', root: '/p' },
      target: 'x86_64-unknown-linux-gnu',
      profile: 'debug',
      kilnVersion: '0.0.0',
    }),
    ...over,
  };
}

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'kiln-render-'));
}

/** Runs sh in `dir` and returns stdout untouched (no trailing newline stripped). */
async function sh(dir: string, script: string, ...args: string[]): Promise<string> {
  const r = await execa('sh', ['-c', script, 'sh', ...args], {
    cwd: dir,
    stripFinalNewline: false,
  });
  return r.stdout;
}

/** The NUL-separated words printed by `printf '%s\0' "$@"`. */
function nulWords(text: string): string[] {
  const words = text.split('\0');
  words.pop();
  return words;
}

function expectNothingRan(dir: string): void {
  expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
}

describe('env format', () => {
  const cases = Object.entries(HOSTILE);

  it.each(cases)(
    'a sourcing POSIX shell reads back a value with %s, running nothing',
    async (_, value) => {
      const dir = tempDir();
      const m = manifest({ env: { HOSTILE_VALUE: value }, metadata: { 'my-key': value } });
      writeFileSync(path.join(dir, 'out.env'), renderManifest(m, 'env'));
      const out = await sh(
        dir,
        '. ./out.env; printf "%s\\0%s\\0" "$HOSTILE_VALUE" "$KILN_META_MY_KEY"',
      );
      expect(nulWords(out)).toEqual([value, value]);
      expectNothingRan(dir);
    },
  );

  it('KILN_CFLAGS, sourced then eval-ed, gives back every flag', async () => {
    const dir = tempDir();
    const flags = Object.values(HOSTILE).map((v) => `-DV=${v}`);
    writeFileSync(path.join(dir, 'out.env'), renderManifest(manifest({ cflags: flags }), 'env'));
    const out = await sh(dir, '. ./out.env; eval "set -- $KILN_CFLAGS"; printf "%s\\0" "$@"');
    expect(nulWords(out)).toEqual(flags);
    expectNothingRan(dir);
  });

  it('refuses to render a name that is not a POSIX identifier (a manifest built in memory)', () => {
    const m = manifest({ env: { 'X;touch pwned;Y': '1' } });
    expect(() => renderManifest(m, 'env')).toThrowError(
      expect.objectContaining({
        code: 'MANIFEST_INVALID',
        message: expect.stringContaining('X;touch pwned;Y'),
      }),
    );
  });
});

describe('flags format', () => {
  const flags = Object.values(HOSTILE).map((v, i) => (i % 2 ? `-DV${i}=${v}` : v));

  it('splits back to the same argv with splitShellWords', () => {
    const text = renderManifest(manifest({ cflags: flags }), 'flags', { cflags: true });
    expect(text.endsWith('\n')).toBe(true);
    expect(splitWords(text)).toEqual(flags);
  });

  it('splits back to the same argv in a real shell, running nothing', async () => {
    const dir = tempDir();
    const text = renderManifest(manifest({ cflags: flags }), 'flags', { cflags: true });
    const out = await sh(dir, 'eval "set -- $1"; printf "%s\\0" "$@"', text);
    expect(nulWords(out)).toEqual(flags);
    expectNothingRan(dir);
  });

  it('keeps paths and defines with hostile characters one word each', () => {
    const m = manifest({
      includes: ['/inc dir;x'],
      defines: [{ name: 'D', value: '"a b"$(x)' }],
      searchPaths: [{ kind: 'native', path: '/lib\n dir' }],
      libs: [{ name: 'z', kind: 'static', path: "/a'b/libz.a" }],
      rpaths: ['$ORIGIN/../lib'],
    });
    expect(splitWords(renderManifest(m, 'flags'))).toEqual([
      '-I/inc dir;x',
      '-DD="a b"$(x)',
      '-L/lib\n dir',
      "/a'b/libz.a",
      '-Wl,-rpath,$ORIGIN/../lib',
    ]);
  });
});

describe('pc format', () => {
  const pcEnv = (dir: string) => ({ PKG_CONFIG_PATH: dir, PKG_CONFIG_LIBDIR: dir });
  const representable = Object.entries(HOSTILE).filter(([, v]) => !LINE_BREAK.test(v));

  itWith('pkgconf').each(representable)(
    'pkgconf reads back a flag with %s from Cflags and Libs',
    async (_, value) => {
      const dir = tempDir();
      const m = manifest({
        includes: [`/inc/${value}`],
        defines: [{ name: 'V', value }],
        searchPaths: [{ kind: 'native', path: `/lib/${value}` }],
      });
      writeFileSync(path.join(dir, 'hostile.pc'), renderManifest(m, 'pc'));
      const cflags = await execa('pkgconf', ['--cflags', 'hostile'], {
        env: pcEnv(dir),
        encoding: 'buffer',
      });
      expect(pkgconfWords(cflags.stdout)).toEqual([`-I/inc/${value}`, `-DV=${value}`]);
      const libs = await execa('pkgconf', ['--libs', 'hostile'], {
        env: pcEnv(dir),
        encoding: 'buffer',
      });
      expect(pkgconfWords(libs.stdout)).toEqual([`-L/lib/${value}`]);
      expectNothingRan(dir);
    },
  );

  const variableSafe = representable.filter(
    ([, v]) => v.trim() === v && !/\\(#|$)/.test(v) && !/^["']/.test(v),
  );

  itWith('pkgconf').each(variableSafe)(
    'pkgconf --variable reads back a metadata value with %s',
    async (_, value) => {
      const dir = tempDir();
      const m = manifest({ metadata: { 'my-key': value } });
      writeFileSync(path.join(dir, 'hostile.pc'), renderManifest(m, 'pc'));
      const variable = await execa(
        'pkgconf',
        [`--variable=${pcMetaVariable('my-key')}`, 'hostile'],
        { env: pcEnv(dir), stripFinalNewline: false },
      );
      expect(variable.stdout).toBe(`${value}\n`);
    },
  );

  const versionSafe = variableSafe.filter(([, v]) => v !== '' && !/\s/.test(v));

  itWith('pkgconf').each(versionSafe)(
    'pkgconf --modversion reads back a version with %s',
    async (_, value) => {
      const dir = tempDir();
      const m = manifest({ package: { name: 'hostile', version: value, root: '/p' } });
      writeFileSync(path.join(dir, 'hostile.pc'), renderManifest(m, 'pc'));
      const version = await execa('pkgconf', ['--modversion', 'hostile'], {
        env: pcEnv(dir),
        stripFinalNewline: false,
      });
      expect(version.stdout).toBe(`${value}\n`);
    },
  );

  it.each([
    ['a newline in a define', manifest({ defines: [{ name: 'V', value: 'a\nb' }] }), 'flag'],
    ['a CR in an include dir', manifest({ includes: ['/a\rb'] }), 'flag'],
    [
      'a newline in the version',
      manifest({ package: { name: 'p', version: '1\nLibs: -lx', root: '/' } }),
      'version',
    ],
    [
      'a newline in the package name',
      manifest({ package: { name: 'p\nLibs: -lx', root: '/' } }),
      'package name',
    ],
    ['a newline in metadata', manifest({ metadata: { k: 'v\nLibs: -lx' } }), 'metadata "k"'],
    ['blanks around metadata', manifest({ metadata: { k: ' v' } }), 'metadata "k"'],
    ['a backslash before #', manifest({ metadata: { k: 'a\\#b' } }), 'metadata "k"'],
    [
      'a blank in the version',
      manifest({ package: { name: 'p', version: '1 2', root: '/' } }),
      'version',
    ],
  ])('refuses %s instead of writing an extra line', (_, m, what) => {
    expect(() => renderManifest(m, 'pc')).toThrowError(
      expect.objectContaining({
        code: 'MANIFEST_INVALID',
        message: expect.stringContaining(`Cannot render ${what} `),
      }),
    );
  });
});

describe('cmake format', () => {
  const balanced = (v: string) => v.split('[').length === v.split(']').length;
  const cmakeCases = Object.entries(HOSTILE).filter(([, v]) => !v.endsWith('\\') && balanced(v));

  itWith('cmake')(
    'a real CMake project include()s files with hostile values and reads back each list element',
    async () => {
      const dir = tempDir();
      const expected: Record<string, Record<string, string[]>> = {};
      const includes: string[] = [];
      cmakeCases.forEach(([, value], i) => {
        const m = manifest({
          package: { name: `case${i}`, root: '/p' },
          includes: [`/inc/${value}`, '/second'],
          defines: [{ name: 'V', value }, { name: 'AFTER' }],
          cflags: [`-f${value}`, '-O2'],
          libs: [{ name: 'z', kind: 'static', path: `/lib/${value}/libz.a` }],
          rpaths: [value],
        });
        writeFileSync(path.join(dir, `case${i}.cmake`), renderManifest(m, 'cmake'));
        includes.push(`read_case(${i})`);
        expected[String(i)] = {
          KILN_INCLUDE_DIRS: [`/inc/${value}`, '/second'],
          KILN_DEFINITIONS: [`V=${value}`, 'AFTER'],
          KILN_COMPILE_OPTIONS: [`-f${value}`, '-O2'],
          KILN_LINK_LIBRARIES: [`/lib/${value}/libz.a`],
          KILN_LINK_OPTIONS: [`-Wl,-rpath,${value}`],
          INTERFACE_INCLUDE_DIRECTORIES: [`/inc/${value}`, '/second'],
          INTERFACE_COMPILE_DEFINITIONS: [`V=${value}`, 'AFTER'],
          INTERFACE_COMPILE_OPTIONS: [`-f${value}`, '-O2'],
        };
      });
      writeFileSync(path.join(dir, 'CMakeLists.txt'), `${READ_LISTS}${includes.join('\n')}\n`);
      const r = await execa('cmake', ['-S', dir, '-B', path.join(dir, 'out')], {
        cwd: dir,
        all: true,
      });
      const lists = parseHexLists(r.all);
      for (const [i, [name]] of cmakeCases.entries()) {
        expect(lists[String(i)], name).toEqual(expected[String(i)]);
      }
      expectNothingRan(dir);
    },
  );

  it('writes a newline in the package name as a comment that stays one line', () => {
    const text = renderManifest(
      manifest({ package: { name: 'p\nmessage(FATAL_ERROR x)', root: '/' } }),
      'cmake',
    );
    expect(text.split('\n')[0]).toBe(
      '# Generated by kiln 0.0.0 for p message(FATAL_ERROR x) (x86_64-unknown-linux-gnu, debug). Do not edit.',
    );
    expect(text).not.toMatch(/^message/m);
  });

  it.each([
    ['an unmatched [', { defines: [{ name: 'V', value: 'a[b' }, { name: 'W' }] }, 'define "V=a[b"'],
    ['unbalanced ]]', { cflags: ['x]]y', '-O2'] }, 'cflag "x]]y"'],
    ['a trailing backslash', { includes: ['C:\\dir\\'] }, 'include dir "C:\\\\dir\\\\"'],
  ])('refuses a list element with %s, which CMake cannot keep separate', (_, over, what) => {
    expect(() => renderManifest(manifest(over as Partial<Manifest>), 'cmake')).toThrowError(
      expect.objectContaining({
        code: 'MANIFEST_INVALID',
        message: expect.stringContaining(`Cannot render ${what}`),
      }),
    );
  });
});

/**
 * For each case file: include it, then print its variables and its imported target's properties
 * as hex-encoded elements, so any byte survives the trip through CMake's output.
 */
const READ_LISTS = `cmake_minimum_required(VERSION 3.18)
project(read NONE)
function(print_list tag name)
  list(LENGTH \${name} n)
  set(line "\${tag} \${name} \${n}")
  foreach(e IN LISTS \${name})
    string(HEX "\${e}" h)
    string(APPEND line " x\${h}")
  endforeach()
  message(STATUS "\${line}")
endfunction()
function(read_case i)
  include(\${CMAKE_CURRENT_SOURCE_DIR}/case\${i}.cmake)
  foreach(var KILN_INCLUDE_DIRS KILN_DEFINITIONS KILN_COMPILE_OPTIONS KILN_LINK_LIBRARIES KILN_LINK_OPTIONS)
    print_list(\${i} \${var})
  endforeach()
  foreach(prop INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS INTERFACE_COMPILE_OPTIONS)
    get_target_property(\${prop} kiln::case\${i} \${prop})
    print_list(\${i} \${prop})
  endforeach()
endfunction()
`;

function parseHexLists(output: string): Record<string, Record<string, string[]>> {
  const cases: Record<string, Record<string, string[]>> = {};
  for (const line of output.split('\n')) {
    const m = /^-- (\d+) (\w+) (\d+)(.*)$/.exec(line);
    if (!m) continue;
    const elements = m[4]!
      .trim()
      .split(' ')
      .filter(Boolean)
      .map((h) => Buffer.from(h.slice(1), 'hex').toString('utf8'));
    expect(elements.length, `${m[2]} list length`).toBe(Number(m[3]));
    cases[m[1]!] ??= {};
    cases[m[1]!]![m[2]!] = elements;
  }
  return cases;
}

describe('gyp format', () => {
  const values = Object.values(HOSTILE).filter((v) => !LINE_BREAK.test(v));

  /**
   * Writes the words into a Makefile with gyp's own make generator (its WriteList, as for
   * CFLAGS/INCS/LIBS), runs a recipe using them with real make and /bin/sh, and returns the argv
   * the recipe's command received; also checks that nothing ran.
   */
  async function throughMake(words: string[]): Promise<string[]> {
    const dir = tempDir();
    const writeList = [
      'import io, json, sys',
      `sys.path.insert(0, ${JSON.stringify(GYP_PYLIB)})`,
      'from gyp.generator.make import MakefileWriter',
      'w = MakefileWriter.__new__(MakefileWriter)',
      'w.fp = io.StringIO()',
      "w.WriteList(json.load(sys.stdin), 'FLAGS')",
      'sys.stdout.write(w.fp.getvalue())',
    ].join('\n');
    const makefile = await execa('python3', ['-c', writeList], { input: JSON.stringify(words) });
    writeFileSync(
      path.join(dir, 'Makefile'),
      `${makefile.stdout}\nall:\n\t@printf '%s\\0' $(FLAGS)\n`,
    );
    const r = await execa('make', ['-s', '-f', 'Makefile', 'all'], {
      cwd: dir,
      stripFinalNewline: false,
    });
    expectNothingRan(dir);
    return nulWords(r.stdout);
  }

  itWith('python3', 'make')(
    'gyp reads back every define, and make hands the compiler every path and flag (Python literal syntax)',
    async () => {
      const m = manifest({
        includes: values.map((v) => `/inc/${v}`),
        defines: values.map((v) => ({ name: 'V', value: v })),
        cflags: values.map((v) => `-f${v}`),
      });
      // gyp evaluates .gyp/.gypi files as Python literals.
      const r = await execa(
        'python3',
        ['-c', 'import ast, json, sys; print(json.dumps(ast.literal_eval(sys.stdin.read())))'],
        { input: renderManifest(m, 'gyp') },
      );
      const dict = JSON.parse(r.stdout);
      // gyp quotes defines itself, so they are passed as they are.
      expect(dict.defines).toEqual(values.map((v) => `V=${v}`));
      expect(await throughMake(dict.include_dirs)).toEqual(values.map((v) => `/inc/${v}`));
      expect(await throughMake(dict.cflags)).toEqual(values.map((v) => `-f${v}`));
    },
  );

  itWith('python3', 'make')(
    '<!@(kiln print --format gyp --cflags) output split by shlex, then by make and sh, gives back each flag',
    async () => {
      const flags = [...values.map((v) => `-DV=${v}`), ...values];
      const text = renderManifest(manifest({ cflags: flags }), 'gyp', { cflags: true });
      // gyp splits <!@(...) output with shlex.split.
      const r = await execa(
        'python3',
        ['-c', 'import json, shlex, sys; print(json.dumps(shlex.split(sys.stdin.read())))'],
        { input: text },
      );
      expect(await throughMake(JSON.parse(r.stdout))).toEqual(flags);
    },
  );

  it('refuses a newline in a flag, which a Makefile cannot carry', () => {
    expect(() => renderManifest(manifest({ cflags: ['a\nb'] }), 'gyp')).toThrowError(
      expect.objectContaining({ code: 'MANIFEST_INVALID' }),
    );
  });
});

describe('manifest reader', () => {
  it('refuses a hand-edited manifest whose env name is not a POSIX identifier', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify(manifest({ env: { 'X;touch pwned;Y': '1' } })));
    await expect(readManifestFile(file)).rejects.toThrowError(
      expect.objectContaining({
        code: 'MANIFEST_INVALID',
        message: expect.stringMatching(/X;touch pwned;Y.*POSIX identifier/),
      }),
    );
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });
});

/**
 * Splits pkgconf's output like the shell reading it does: a backslash escapes the next byte
 * (pkgconf escapes spaces, quotes and each byte of a non-ASCII character), blanks separate words.
 */
function pkgconfWords(bytes: Uint8Array): string[] {
  const words: number[][] = [];
  let current: number[] | undefined;
  for (let i = 0; i < bytes.length; i++) {
    let b = bytes[i]!;
    if (b === 0x20 || b === 0x0a) {
      current = undefined;
      continue;
    }
    if (b === 0x5c && i + 1 < bytes.length) b = bytes[++i]!;
    if (!current) {
      current = [];
      words.push(current);
    }
    current.push(b);
  }
  return words.map((w) => Buffer.from(w).toString('utf8'));
}
