import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { KilnError } from '../../../src/errors.js';
import { type PkgConfigLibrary, pkgConfig } from '../../../src/plugins/pkg-config/index.js';
import type { ExecOptions, ExecResult, Plugin } from '../../../src/runner/types.js';
import { itWith } from '../../support/tools.js';
import { fakeContext } from './fake-context.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../native-fixtures/pkgconfig');
const BASIC = path.join(FIXTURES, 'basic');
const SYSLIB = '/usr/lib/x86_64-linux-gnu';

async function failure(p: unknown): Promise<KilnError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KilnError) return e;
    throw e;
  }
  throw new Error('expected a KilnError');
}

function fullText(e: KilnError): string {
  return [e.message, e.details ?? '', e.hint ?? ''].join('\n');
}

describe('pkgConfig plugin (builtin resolver)', () => {
  it('types an optional result as possibly undefined, a required one as always there', () => {
    expectTypeOf(pkgConfig('z', { optional: true })).toEqualTypeOf<
      Plugin<PkgConfigLibrary | undefined>
    >();
    expectTypeOf(pkgConfig('z')).toEqualTypeOf<Plugin<PkgConfigLibrary>>();
    expectTypeOf(pkgConfig('z', { static: true })).toEqualTypeOf<Plugin<PkgConfigLibrary>>();
  });

  it('returns typed link info for a fixture graph and emits it', async () => {
    const ctx = fakeContext({ PKG_CONFIG_LIBDIR: BASIC });
    const lib = await pkgConfig('app').run(ctx);
    expect(lib.name).toBe('app');
    expect(lib.version).toBe('1.0');
    expect(lib.includes).toEqual([
      '/app/include',
      '/a/include',
      '/c/include',
      '/p/include',
      '/b/include',
    ]);
    expect(lib.defines).toEqual([
      { name: 'APP' },
      { name: 'A' },
      { name: 'P' },
      { name: 'B' },
      { name: 'C' },
    ]);
    expect(lib.otherCflags).toEqual(['-pthread']);
    expect(lib.libs.map((l) => `${l.kind}:${l.name}`)).toEqual([
      'dylib:app',
      'dylib:a',
      'dylib:b',
      'dylib:m',
      'dylib:c',
    ]);
    expect(lib.searchPaths.map((s) => s.path)).toEqual(['/app/lib', '/a/lib', '/c/lib', '/b/lib']);
    expect(lib.otherLdflags).toEqual(['-pthread', '-Wl,--as-needed']);
    expect(ctx.links).toHaveLength(1);
    expect(ctx.links[0]!.libs).toEqual(lib.libs);
    expect(ctx.tracked).toEqual(
      expect.arrayContaining(
        ['app', 'a', 'b', 'c', 'p', 'pp'].map((m) => path.join(BASIC, `${m}.pc`)),
      ),
    );
    for (const v of [
      'PKG_CONFIG_PATH',
      'PKG_CONFIG_LIBDIR',
      'PKG_CONFIG_SYSROOT_DIR',
      'APP_NO_PKG_CONFIG',
      'APP_STATIC',
    ]) {
      expect(ctx.envReads).toContain(v);
    }
  });

  it('reads frameworks, rpaths and library files from special fragments', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-'));
    writeFileSync(
      path.join(dir, 'fw.pc'),
      'Name: fw\nDescription: d\nVersion: 1\nLibs: -F/fw -framework Foo -framework Bar -Wl,-rpath,/opt/x/lib /opt/x/lib/libx.a -lz -l:libq.so.1\nCflags: -isystem /opt/x/include -DV="a b"\n',
    );
    const lib = await pkgConfig('fw').run(fakeContext({ PKG_CONFIG_LIBDIR: dir }));
    expect(lib.frameworks).toEqual(['Foo', 'Bar']);
    expect(lib.libs).toEqual([
      { name: 'Foo', kind: 'framework' },
      { name: 'Bar', kind: 'framework' },
      { name: 'x', kind: 'static', path: '/opt/x/lib/libx.a' },
      { name: 'z', kind: 'dylib' },
    ]);
    expect(lib.searchPaths).toEqual([{ kind: 'framework', path: '/fw' }]);
    expect(lib.rpaths).toEqual(['/opt/x/lib']);
    expect(lib.otherLdflags).toEqual(['-l:libq.so.1']);
    expect(lib.otherCflags).toEqual(['-isystem', '/opt/x/include']);
    expect(lib.defines).toEqual([{ name: 'V', value: 'a b' }]);
  });

  it('applies defineVariables over the .pc file', async () => {
    const lib = await pkgConfig('vars', { defineVariables: { prefix: '/elsewhere' } }).run(
      fakeContext({ PKG_CONFIG_LIBDIR: BASIC }),
    );
    expect(lib.includes[0]).toBe('/elsewhere/include');
    expect(lib.variables.libdir).toBe('/elsewhere/lib');
  });

  it('checks version constraints, including ranges', async () => {
    const env = { PKG_CONFIG_LIBDIR: BASIC };
    await expect(
      pkgConfig('base', { version: '>=1.2' }).run(fakeContext(env)),
    ).resolves.toMatchObject({ version: '1.5' });
    await expect(
      pkgConfig('base', { version: '1.5' }).run(fakeContext(env)),
    ).resolves.toBeDefined();
    await expect(
      pkgConfig('base', { version: '>= 1.0, < 2' }).run(fakeContext(env)),
    ).resolves.toBeDefined();
    const e = await failure(pkgConfig('base', { version: '>=2.0' }).run(fakeContext(env)));
    expect(e.code).toBe('PKG_VERSION_MISMATCH');
    expect(e.message).toContain('version 1.5 of base found at');
    expect(e.message).toContain(path.join(BASIC, 'base.pc'));
    expect(e.message).toContain('>= 2.0');
    await expect(
      pkgConfig('base', { version: '>=2.0', optional: true }).run(fakeContext(env)),
    ).resolves.toBeUndefined();
  });

  it('reports a missing dependency of a found package', async () => {
    const e = await failure(pkgConfig('broken').run(fakeContext({ PKG_CONFIG_LIBDIR: BASIC })));
    expect(e.code).toBe('PKG_NOT_FOUND');
    expect(e.message).toContain('nothere (required by broken)');
  });

  it('raises PKG_INVALID for a hostile file even when optional', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-'));
    const lines = ['a=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'];
    for (let i = 1; i < 20; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}=\${${String.fromCharCode(96 + i)}}\${${String.fromCharCode(96 + i)}}`,
      );
    writeFileSync(
      path.join(dir, 'laughs.pc'),
      `${lines.join('\n')}\nName: l\nDescription: d\nVersion: 1\nLibs: \${t}\n`,
    );
    const e = await failure(
      pkgConfig('laughs', { optional: true }).run(fakeContext({ PKG_CONFIG_LIBDIR: dir })),
    );
    expect(e.code).toBe('PKG_INVALID');
    expect(e.message).toContain('laughs.pc');
  });
});

describe('pkgConfig miss error', () => {
  it('names the library, every dir searched, the env vars and the install commands', async () => {
    const empty1 = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-a-'));
    const empty2 = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-b-'));
    const ctx = fakeContext({ PKG_CONFIG_PATH: empty1, PKG_CONFIG_LIBDIR: empty2 });
    const e = await failure(pkgConfig('zlib', { version: '>=1.2.11' }).run(ctx));
    expect(e.code).toBe('PKG_NOT_FOUND');
    expect(e.message).toBe('pkg-config library zlib (>= 1.2.11) was not found');
    const text = fullText(e);
    expect(text).toContain(`  ${empty1}\n  ${empty2}`);
    expect(text).toContain(`PKG_CONFIG_PATH=${empty1}`);
    expect(text).toContain(`PKG_CONFIG_LIBDIR=${empty2}`);
    expect(text).toContain('PKG_CONFIG_SYSROOT_DIR');
    expect(text).toContain('ZLIB_NO_PKG_CONFIG');
    expect(text).toContain('sudo apt-get install zlib1g-dev');
    expect(text).toContain('sudo dnf install zlib-devel');
    expect(text).toContain('sudo apk add zlib-dev');
    expect(text).toContain('brew install zlib');
    expect(text).toContain('sudo pacman -S zlib');
    expect(e.hint).toContain('PKG_CONFIG_PATH');
    expect(e.hint).toContain('optional: true');
  });

  it('falls back to a generic package hint for unknown names', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-'));
    const e = await failure(
      pkgConfig('libfrobnicate').run(fakeContext({ PKG_CONFIG_LIBDIR: empty })),
    );
    expect(e.hint).toContain('libfrobnicate-dev or libfrobnicate-devel');
    expect(fullText(e)).not.toContain('apt-get');
  });

  it('returns undefined for an optional miss', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-'));
    const ctx = fakeContext({ PKG_CONFIG_LIBDIR: empty });
    const r: unknown = await pkgConfig('zlib', { optional: true }).run(ctx);
    expect(r).toBeUndefined();
    expect(ctx.links).toEqual([]);
  });
});

describe('pkgConfig env precedence', () => {
  it('<LIB>_NO_PKG_CONFIG aborts (name uppercased, non-alphanumerics made _)', async () => {
    const e = await failure(
      pkgConfig('glib-2.0').run(fakeContext({ GLIB_2_0_NO_PKG_CONFIG: '1' })),
    );
    expect(e.code).toBe('PKG_NOT_FOUND');
    expect(e.message).toContain('GLIB_2_0_NO_PKG_CONFIG');
    await expect(
      pkgConfig('glib-2.0', { optional: true }).run(fakeContext({ GLIB_2_0_NO_PKG_CONFIG: '' })),
    ).resolves.toBeUndefined();
  });

  it.each([
    [{ ZLIB_STATIC: '1' }, undefined, 'static'],
    [{ ZLIB_STATIC: '1', ZLIB_DYNAMIC: '1' }, undefined, 'static'],
    [{ ZLIB_DYNAMIC: '1', PKG_CONFIG_ALL_STATIC: '1' }, undefined, 'dylib'],
    [{ PKG_CONFIG_ALL_STATIC: '1' }, undefined, 'static'],
    [{ PKG_CONFIG_ALL_STATIC: '1', PKG_CONFIG_ALL_DYNAMIC: '1' }, undefined, 'static'],
    [{ PKG_CONFIG_ALL_DYNAMIC: '1' }, undefined, 'dylib'],
    [{ ZLIB_STATIC: '1' }, false, 'dylib'],
    [{}, true, 'static'],
    [{}, undefined, 'dylib'],
  ] as const)('env %o with static option %s links zlib as %s', async (env, option, kind) => {
    const opts = option === undefined ? {} : { static: option };
    const lib = await pkgConfig('zlib', opts).run(fakeContext({ ...env }));
    const z = lib.libs.find((l) => l.name === 'z')!;
    expect(z.kind).toBe(kind);
    if (kind === 'static') expect(realpathSync(z.path!)).toBe(realpathSync(`${SYSLIB}/libz.a`));
  });

  it('refuses a static link when only a shared library exists', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-'));
    mkdirSync(path.join(dir, 'lib'));
    writeFileSync(path.join(dir, 'lib', 'libonlyshared.so'), '');
    writeFileSync(
      path.join(dir, 'onlyshared.pc'),
      `libdir=${dir}/lib\nName: o\nDescription: d\nVersion: 1\nLibs: -L\${libdir} -lonlyshared\n`,
    );
    const e = await failure(
      pkgConfig('onlyshared', { static: true }).run(fakeContext({ PKG_CONFIG_LIBDIR: dir })),
    );
    expect(e.code).toBe('PKG_STATIC_UNAVAILABLE');
    expect(e.message).toContain('libonlyshared.a');
    expect(e.message).toContain(path.join(dir, 'lib', 'libonlyshared.so'));
    expect(e.hint).toBeDefined();
  });

  it('refuses to cross-compile without a sysroot or PKG_CONFIG_ALLOW_CROSS', async () => {
    const cross = { target: 'aarch64-unknown-linux-gnu' };
    const e = await failure(
      pkgConfig('base').run(fakeContext({ PKG_CONFIG_LIBDIR: BASIC }, cross)),
    );
    expect(e.code).toBe('TARGET_UNSUPPORTED');
    expect(e.message).toContain('cross-compilation');
    expect(e.hint).toContain('PKG_CONFIG_SYSROOT_DIR');
    await expect(
      pkgConfig('base', { optional: true }).run(fakeContext({ PKG_CONFIG_LIBDIR: BASIC }, cross)),
    ).resolves.toBeUndefined();
    await expect(
      pkgConfig('base').run(
        fakeContext({ PKG_CONFIG_LIBDIR: BASIC, PKG_CONFIG_ALLOW_CROSS: '1' }, cross),
      ),
    ).resolves.toMatchObject({ version: '1.5' });
    const zero = await failure(
      pkgConfig('base').run(
        fakeContext(
          { PKG_CONFIG_LIBDIR: BASIC, PKG_CONFIG_ALLOW_CROSS: '0', PKG_CONFIG_SYSROOT_DIR: '/sr' },
          cross,
        ),
      ),
    );
    expect(zero.message).toContain('PKG_CONFIG_ALLOW_CROSS=0');
  });

  it('uses target-specific forms first: <VAR>_<target>, <VAR>_<target_u>, TARGET_<VAR>, <VAR>', async () => {
    const cross = { target: 'aarch64-unknown-linux-gnu' };
    const empty = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-'));
    const found = (env: Record<string, string>) =>
      pkgConfig('base', { optional: true }).run(fakeContext(env, cross));
    const sysroot = { PKG_CONFIG_SYSROOT_DIR_aarch64_unknown_linux_gnu: '/' };
    await expect(
      found({
        ...sysroot,
        'PKG_CONFIG_LIBDIR_aarch64-unknown-linux-gnu': BASIC,
        PKG_CONFIG_LIBDIR: empty,
      }),
    ).resolves.toBeDefined();
    await expect(
      found({
        ...sysroot,
        PKG_CONFIG_LIBDIR_aarch64_unknown_linux_gnu: BASIC,
        TARGET_PKG_CONFIG_LIBDIR: empty,
      }),
    ).resolves.toBeDefined();
    await expect(
      found({ ...sysroot, TARGET_PKG_CONFIG_LIBDIR: BASIC, PKG_CONFIG_LIBDIR: empty }),
    ).resolves.toBeDefined();
    await expect(
      found({ ...sysroot, TARGET_PKG_CONFIG_LIBDIR: empty, PKG_CONFIG_LIBDIR: BASIC }),
    ).resolves.toBeUndefined();
    // Native builds use the HOST_ form.
    const native = await pkgConfig('base', { optional: true }).run(
      fakeContext({ HOST_PKG_CONFIG_LIBDIR: BASIC }),
    );
    expect(native?.version).toBe('1.5');
  });
});

function runReal(
  file: string,
  args: readonly string[],
  options?: ExecOptions,
): Promise<ExecResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options?.env ?? {})) if (v !== undefined) env[k] = v;
  const r = spawnSync(file, args, { env, encoding: 'utf8' });
  return Promise.resolve({
    command: [file, ...args].join(' '),
    exitCode: r.status ?? 1,
    stdout: r.stdout,
    stderr: r.stderr,
  });
}

describe('pkgConfig binary mode', () => {
  const itPk = itWith('pkgconf');
  itPk('gives the same result as the builtin resolver', async () => {
    for (const [name, env] of [
      ['zlib', {}],
      ['app', { PKG_CONFIG_LIBDIR: BASIC }],
      ['libxml-2.0', {}],
    ] as const) {
      const builtin = await pkgConfig(name).run(fakeContext({ ...env }));
      const ctx = fakeContext({ ...env }, { exec: runReal });
      const binary = await pkgConfig(name, { mode: 'binary' }).run(ctx);
      expect(binary).toEqual(builtin);
      expect(ctx.execs[0]!.options).toMatchObject({ directives: false, jobs: 0 });
    }
  });

  itPk('is chosen when PKG_CONFIG is set, and reports a failure with the command', async () => {
    const ctx = fakeContext({ PKG_CONFIG: 'pkgconf', PKG_CONFIG_LIBDIR: BASIC }, { exec: runReal });
    const lib = await pkgConfig('base').run(ctx);
    expect(lib.version).toBe('1.5');
    expect(ctx.execs[0]!.file).toBe('pkgconf');
    expect(ctx.execs[0]!.options?.env).toMatchObject({ PKG_CONFIG_LIBDIR: BASIC });
    const e = await failure(
      pkgConfig('nothere').run(
        fakeContext({ PKG_CONFIG: 'pkgconf', PKG_CONFIG_LIBDIR: BASIC }, { exec: runReal }),
      ),
    );
    expect(e.code).toBe('PKG_NOT_FOUND');
    expect(e.command).toContain('pkgconf');
    expect(e.details).toContain("Package 'nothere'");
  });
});
