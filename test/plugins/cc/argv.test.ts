import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isKilnError } from '../../../src/errors.js';
import { type CcOptions, cc } from '../../../src/plugins/cc/index.js';
import { installFakeToolchain } from '../../support/fake-cc/index.js';
import { testContext } from './context.js';

const fake = installFakeToolchain([
  'cc',
  'c++',
  'ar',
  'clang',
  'clang++',
  'llvm-ar',
  'ccache',
  'aarch64-linux-gnu-gcc',
  'aarch64-linux-gnu-g++',
  'aarch64-linux-gnu-ar',
]);
const savedPath = process.env.PATH;
process.env.PATH = fake.dir;
afterAll(() => {
  process.env.PATH = savedPath;
});

/** A package with one C and one C++ source, built with the fake toolchain. */
async function buildWith(
  env: Record<string, string>,
  options: Partial<CcOptions> = {},
  target?: string,
) {
  const root = path.join(fake.dir, `pkg-${Math.random().toString(36).slice(2)}`);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'a.c'), 'int a;\n');
  writeFileSync(path.join(root, 'src', 'b.cpp'), 'int b;\n');
  const before = fake.calls().length;
  const t = testContext({
    root,
    env: { PATH: fake.dir, FAKE_CC_LOG: fake.log, ...env },
    profile: { name: 'release', optLevel: '2', debugInfo: true },
    ...(target ? { target } : {}),
  });
  const lib = await t.ctx.use(cc({ name: 'x', sources: ['src/*.c', 'src/*.cpp'], ...options }));
  const calls = fake.calls().slice(before);
  const compile = (ext: string) =>
    calls.find((c) => c.args.includes('-c') && c.args.some((a) => a.endsWith(ext)))!;
  return { root, lib, calls, c: compile('a.c'), cxx: compile('b.cpp') };
}

function expectInOrder(args: string[], ...flags: string[]) {
  const positions = flags.map((f) => args.lastIndexOf(f));
  for (const [i, p] of positions.entries())
    expect(p, `${flags[i]} in ${args.join(' ')}`).toBeGreaterThanOrEqual(0);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
}

describe('cc plugin: compiler command lines', () => {
  it('orders flags like cc-rs: defaults, target, std, warnings, includes, user flags, defines, per-file, CFLAGS, output', async () => {
    const { c, cxx } = await buildWith(
      { CFLAGS: '-DFROM_ENV -O1', CXXFLAGS: '-DFROM_CXX_ENV' },
      {
        std: 'c11',
        includes: ['inc'],
        flags: ['-fno-strict-aliasing'],
        cxxFlags: ['-fno-rtti'],
        defines: { A: true, B: 2 },
        perFile: { 'src/a.c': ['-DPER_FILE'] },
      },
    );
    expectInOrder(
      c.args,
      '-O2',
      '-ffunction-sections',
      '-fdata-sections',
      '-fPIC',
      '-g',
      '-std=c11',
      '-Wall',
      '-Wextra',
    );
    // Paths inside the package are relative to it (compiles run there), so the argv is the same
    // in every checkout.
    expectInOrder(c.args, '-Wextra', '-Iinc', '-fno-strict-aliasing');
    expectInOrder(
      c.args,
      '-fno-strict-aliasing',
      '-DA',
      '-DB=2',
      '-DPER_FILE',
      '-DFROM_ENV',
      '-O1',
      '-MD',
      '-MF',
      '-c',
      '-o',
    );
    expect(c.args).not.toContain('-fno-rtti');
    expect(c.args).not.toContain('-DFROM_CXX_ENV');
    expectInOrder(cxx.args, '-fno-strict-aliasing', '-fno-rtti', '-DA', '-DFROM_CXX_ENV', '-c');
    expect(cxx.args).not.toContain('-std=c11');
    expect(cxx.args).not.toContain('-DPER_FILE');
    expect(cxx.name).toBe('c++');
  });

  it('puts CFLAGS after everything Kiln adds, so the user can override', async () => {
    const { c } = await buildWith({ CFLAGS: '-O0 -w' }, { warnings: 'error' });
    expect(c.args.lastIndexOf('-O0')).toBeGreaterThan(c.args.indexOf('-O2'));
    expect(c.args.lastIndexOf('-w')).toBeGreaterThan(c.args.indexOf('-Werror'));
    expect(c.args.lastIndexOf('-w')).toBeLessThan(c.args.indexOf('-c'));
  });

  it('runs the compiler through a wrapper from CC, and keeps the wrapper out of compile_commands.json', async () => {
    const { c, root } = await buildWith({ CC: 'ccache cc -m64' });
    expect(c.name).toBe('ccache');
    expect(path.basename(c.args[0]!)).toBe('cc');
    expect(c.args[1]).toBe('-m64');
    const db = JSON.parse(
      readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'),
    ) as {
      file: string;
      arguments: string[];
    }[];
    const entry = db.find((e) => e.file.endsWith('a.c'))!;
    expect(path.basename(entry.arguments[0]!)).toBe('cc');
    expect(entry.arguments[1]).toBe('-m64');
  });

  it('uses the cross prefix for aarch64-unknown-linux-gnu, with no -m64 anywhere', async () => {
    const { c, cxx, calls } = await buildWith({}, {}, 'aarch64-unknown-linux-gnu');
    expect(c.name).toBe('aarch64-linux-gnu-gcc');
    expect(cxx.name).toBe('aarch64-linux-gnu-g++');
    expect(calls.find((x) => x.name.endsWith('ar'))!.name).toBe('aarch64-linux-gnu-ar');
    for (const call of calls) expect(call.args).not.toContain('-m64');
  });

  it('gives Apple targets -arch, --target= and -mmacosx-version-min on every compile and link', async () => {
    const { c, cxx, calls } = await buildWith(
      { MACOSX_DEPLOYMENT_TARGET: '12.0', SDKROOT: fake.dir },
      { kind: 'shared' },
      'aarch64-apple-darwin',
    );
    for (const call of [c, cxx]) {
      expectInOrder(
        call.args,
        '--target=arm64-apple-macos12.0',
        '-arch',
        'arm64',
        '-mmacosx-version-min=12.0',
        '-c',
      );
    }
    const link = calls.find((x) => x.args.includes('-dynamiclib'))!;
    expect(link.name).toBe('clang++');
    expect(link.args).toContain('-mmacosx-version-min=12.0');
    expect(link.args).toContain('--target=arm64-apple-macos12.0');
    expect(link.args).toEqual(expect.arrayContaining(['-install_name', '@rpath/libx.dylib']));
  });

  it('refuses an Apple shared library without an SDK before compiling anything', async () => {
    const before = fake.compiles().length;
    await expect(buildWith({}, { kind: 'shared' }, 'x86_64-apple-darwin')).rejects.toMatchObject({
      code: 'TARGET_UNSUPPORTED',
      message: expect.stringContaining('libx.dylib'),
    });
    expect(fake.compiles().length).toBe(before);
  });

  it('archives deterministically with rcsD through a temporary file', async () => {
    const { calls, lib } = await buildWith({});
    const ar = calls.find((x) => x.name === 'ar')!;
    expect(ar.args[0]).toBe('rcsD');
    expect(ar.args[1]).toMatch(
      new RegExp(`^${escapeRegExp(lib.artifact!)}\\.kiln-tmp-\\d+-[0-9a-f]{8}$`),
    );
  });

  it('links a shared library against earlier results: a plugin, a static lib (whole archive), a dylib', async () => {
    const dep = cc({ name: 'dep', sources: ['src/*.c'], compileCommands: false });
    const { calls } = await buildWith(
      {},
      {
        kind: 'shared',
        link: [
          dep,
          {
            libs: [
              { name: 'all', kind: 'static', path: '/l/liball.a', wholeArchive: true },
              { name: 'z', kind: 'dylib' },
            ],
            searchPaths: [{ kind: 'native', path: '/l' }],
            includes: [],
            defines: [],
            cflags: [],
            ldflags: ['-Wl,--as-needed'],
            rpaths: ['/r'],
          },
        ],
        ldFlags: ['-Wl,-O1'],
      },
    );
    const link = calls.find((x) => x.args.includes('-shared'))!;
    expect(link.name).toBe('c++');
    const depLib = link.args.find((a) => a.endsWith('libdep.a'));
    expect(depLib).toBeDefined();
    expectInOrder(
      link.args,
      '-o',
      depLib!,
      '-L/l',
      '-Wl,--whole-archive',
      '/l/liball.a',
      '-Wl,--no-whole-archive',
      '-lz',
      '-Wl,--as-needed',
      '-Wl,-rpath,/r',
      '-Wl,-O1',
    );
    expect(link.args).toContain('-Wl,-soname,libx.so');
  });

  it('builds C without a C++ compiler, and names the missing one when C++ needs it', async () => {
    const { lib } = await buildWith({ CXX: 'no-such-c++' }, { sources: ['src/*.c'] });
    expect(lib.compiled).toEqual(['src/a.c']);
    await expect(buildWith({ CXX: 'no-such-c++' })).rejects.toMatchObject({
      code: 'TOOL_NOT_FOUND',
      message: expect.stringContaining('no-such-c++'),
    });
  });

  it('leaves -fPIC out when pic is false', async () => {
    const { c } = await buildWith({}, { pic: false });
    expect(c.args).not.toContain('-fPIC');
  });
});

describe('cc plugin: option errors', () => {
  it.each([
    [{ name: 'x' }, 'cc(options).sources'],
    [{ name: 'x', sources: [] }, 'cc(options).sources'],
    [{ name: 'x', sources: 'a.c', warnings: 'loud' }, 'cc(options).warnings'],
    [{ name: 'x', sources: 'a.c', kind: 'dll' }, 'cc(options).kind'],
    [{ name: 'x', sources: 'a.c', std: 'c11 -O3' }, 'cc(options).std'],
    [{ name: 'x', sources: 'a.c', perFile: { 'a.c': '-O3' } }, 'cc(options).perFile.a.c'],
    [{ name: 'x', sources: 'a.c', sourcez: 'b.c' }, 'unknown option "sourcez"'],
    [{ name: 'lib x', sources: 'a.c' }, 'cc(options).name'],
  ])('rejects %o naming the key', (options, where) => {
    try {
      cc(options as unknown as CcOptions);
      expect.unreachable();
    } catch (err) {
      if (!isKilnError(err)) throw err;
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toContain(where);
    }
  });

  it('names a glob that matches nothing', async () => {
    await expect(buildWith({}, { sources: ['src/*.c', 'nope/**/*.c'] })).rejects.toMatchObject({
      code: 'GLOB_EMPTY',
      message: expect.stringContaining('"nope/**/*.c"'),
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
