import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadState } from '../../src/compile/state.js';
import { type CcOptions, cc } from '../../src/plugins/cc/index.js';
import { createBuildContext } from '../../src/runner/context.js';
import { JobPool } from '../../src/runner/jobs.js';
import type { Profile } from '../../src/runner/types.js';
import { parseTriple } from '../../src/target/triple.js';
import { testContext } from '../plugins/cc/context.js';
import type { FakeCall } from '../support/fake-cc/index.js';
import { installFakeMsvc } from '../support/fake-msvc/index.js';

/**
 * MSVC-style command lines from the cc plugin, recorded by fake clang-cl / cl / llvm-lib / lib /
 * lld-link / link: flags and their order, archive and link argv, env precedence, and
 * `/showIncludes` as the header dependency source.
 */
const fake = installFakeMsvc(['clang-cl', 'cl', 'clang', 'llvm-lib', 'lib', 'lld-link', 'link']);
/** The same fakes without clang-cl: the driver is `clang --driver-mode=cl`. */
const noClangCl = installFakeMsvc(['clang', 'llvm-lib', 'lld-link']);
const savedPath = process.env.PATH;
process.env.PATH = fake.dir;
afterAll(() => {
  process.env.PATH = savedPath;
});

const RELEASE: Profile = { name: 'release', optLevel: '2', debugInfo: true };
const DEBUG: Profile = { name: 'debug', optLevel: '0', debugInfo: true };

interface BuildOptions {
  env?: Record<string, string>;
  options?: Partial<CcOptions>;
  target?: string;
  profile?: Profile;
  tools?: typeof fake;
  root?: string;
}

function makeRoot(): string {
  const root = path.join(fake.dir, `pkg ${Math.random().toString(36).slice(2)}`);
  mkdirSync(path.join(root, 'src'), { recursive: true });
  mkdirSync(path.join(root, 'inc'), { recursive: true });
  writeFileSync(path.join(root, 'inc', 'a.h'), '#include "b.h"\n');
  writeFileSync(path.join(root, 'inc', 'b.h'), 'int b;\n');
  writeFileSync(path.join(root, 'src', 'a.c'), '#include "a.h"\nint a;\n');
  writeFileSync(path.join(root, 'src', 'b.cpp'), 'int c;\n');
  return root;
}

async function buildWith({
  env = {},
  options = {},
  target = 'x86_64-pc-windows-msvc',
  profile = RELEASE,
  tools = fake,
  root = makeRoot(),
}: BuildOptions = {}) {
  const before = tools.calls().length;
  // Tools are found on the process's PATH (as npm scripts see it).
  process.env.PATH = tools.dir;
  const t = testContext({
    root,
    env: { PATH: tools.dir, FAKE_CC_LOG: tools.log, ...env },
    profile,
    target,
    outDir: path.join(root, 'build', 'kiln'),
  });
  const lib = await t.ctx.use(
    cc({ name: 'x', sources: ['src/*.c', 'src/*.cpp'], includes: ['inc'], ...options }),
  );
  const calls = tools.calls().slice(before);
  const compile = (ext: string) =>
    calls.find((c) => c.args.includes('/c') && c.args.some((a) => a.endsWith(ext)))!;
  return { t, root, lib, calls, c: compile('a.c'), cxx: compile('b.cpp') };
}

function expectInOrder(args: readonly string[], ...flags: string[]) {
  const positions = flags.map((f) => args.lastIndexOf(f));
  for (const [i, p] of positions.entries())
    expect(p, `${flags[i]} in ${args.join(' ')}`).toBeGreaterThanOrEqual(0);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
}

const named = (calls: FakeCall[], name: string) => calls.find((c) => c.name === name)!;

describe('cc for x86_64-pc-windows-msvc off Windows: clang-cl, llvm-lib, lld-link', () => {
  it('compiles in MSVC syntax, in the GNU path order, with CFLAGS last', async () => {
    const { c, cxx } = await buildWith({
      env: { CFLAGS: '/DFROM_ENV /O1', CXXFLAGS: '/DFROM_CXX_ENV' },
      options: {
        std: 'c11',
        flags: ['/Gy'],
        cxxFlags: ['/GR-'],
        defines: { A: true, B: 2 },
        perFile: { 'src/a.c': ['/DPER_FILE'] },
      },
    });
    expect(c.name).toBe('clang-cl');
    expectInOrder(
      c.args,
      '/nologo',
      '/O2',
      '/Z7',
      '/MD',
      '/utf-8',
      '/Brepro',
      '--target=x86_64-pc-windows-msvc',
      '/std:c11',
      '/W4',
      '/Iinc',
      '/Gy',
      '/DA',
      '/DB=2',
      '/DPER_FILE',
      '/DFROM_ENV',
      '/O1',
      '/showIncludes',
      '/c',
    );
    // Paths inside the package are relative (compiles run in its root); the object is a
    // temporary `.obj` renamed into place; the language is explicit.
    expect(c.args.at(-2)).toMatch(/^\/Fobuild\/kiln\/cc\/x\/obj\/pkg\/src\/a\.c\.obj\.kiln-tmp-/);
    expect(c.args.at(-1)).toBe('/Tcsrc/a.c');
    expectInOrder(
      c.args,
      '/Brepro',
      '-fdebug-compilation-dir=.',
      '--target=x86_64-pc-windows-msvc',
    );
    for (const gnu of ['-fPIC', '-c', '-o', '-MD', '-MF', '-Wall', '-g', '-O2']) {
      expect(c.args).not.toContain(gnu);
    }
    expect(c.args).not.toContain('/EHsc');
    expect(c.args).not.toContain('/GR-');
    expectInOrder(cxx.args, '/MD', '/EHsc', '/utf-8', '/Gy', '/GR-', '/DA', '/DFROM_CXX_ENV', '/c');
    expect(cxx.args.at(-1)).toBe('/Tpsrc/b.cpp');
    expect(cxx.args).not.toContain('/std:c11');
    expect(cxx.args).not.toContain('/DPER_FILE');
    expect(cxx.args).not.toContain('/DFROM_ENV');
  });

  it('maps the profile, standard and warnings: /Od /MDd for debug, /std:c++20, /W4 /WX, /W0', async () => {
    const debug = await buildWith({
      profile: DEBUG,
      options: { std: 'c++20', warnings: 'error' },
    });
    expectInOrder(debug.cxx.args, '/Od', '/Z7', '/MDd', '/EHsc', '/std:c++20', '/W4', '/WX', '/c');
    expect(debug.c.args).not.toContain('/std:c++20');
    const quiet = await buildWith({
      profile: { name: 'release', optLevel: 's', debugInfo: false },
      options: { warnings: 'off', std: 'gnu17' },
    });
    expectInOrder(quiet.c.args, '/O1', '/MD', '/std:c17', '/W0', '/c');
    expect(quiet.c.args).not.toContain('/Z7');
  });

  it('archives with llvm-lib /OUT: into a temporary name, and names the library x.lib', async () => {
    const { calls, lib } = await buildWith();
    const ar = named(calls, 'llvm-lib');
    expect(path.basename(lib.artifact!)).toBe('x.lib');
    expect(ar.args.slice(0, 2)).toEqual(['/NOLOGO', '/MACHINE:X64']);
    expect(ar.args[2]).toMatch(/^\/OUT:.*x\.lib\.kiln-tmp-\d+-[0-9a-f]{8}$/);
    expect(ar.args.slice(3).map((o) => path.basename(o))).toEqual(['a.c.obj', 'b.cpp.obj']);
    expect(lib.libs).toEqual([{ name: 'x', kind: 'static', path: lib.artifact }]);
  });

  it('links a DLL with lld-link: /DLL /MACHINE /OUT /IMPLIB /DEBUG /PDB, libraries, ldFlags, LDFLAGS', async () => {
    const root = makeRoot();
    const dep = cc({ name: 'dep', sources: ['src/a.c'], includes: ['inc'] });
    const { calls, lib } = await buildWith({
      root,
      env: { LDFLAGS: '/OPT:REF' },
      options: {
        kind: 'shared',
        link: [
          dep,
          {
            libs: [
              { name: 'all', kind: 'static', path: '/l/all.lib', wholeArchive: true },
              { name: 'ws2_32', kind: 'dylib' },
              { name: 'other', kind: 'dylib', path: '/l/other.dll' },
            ],
            searchPaths: [{ kind: 'native', path: '/l' }],
            includes: [],
            defines: [],
            cflags: [],
            ldflags: [],
            rpaths: ['/r'],
          },
        ],
        ldFlags: ['/NODEFAULTLIB', '/NOENTRY'],
      },
    });
    const link = named(calls, 'lld-link');
    const dir = 'build/kiln/cc/x';
    expect(link.args.slice(0, 3)).toEqual(['/NOLOGO', '/DLL', '/MACHINE:X64']);
    // The DLL is linked under its real name (it records it) inside a temporary folder.
    expect(link.args[3]).toMatch(
      new RegExp(`^/OUT:${dir}/x\\.dll\\.kiln-tmp-\\d+-[0-9a-f]{8}\\.d/x\\.dll$`),
    );
    expectInOrder(
      link.args,
      `/IMPLIB:${dir}/x.lib`,
      '/DEBUG',
      `/PDB:${dir}/x.pdb`,
      '/Brepro',
      `${dir}/obj/pkg/src/a.c.obj`,
      '/LIBPATH:build/kiln/cc/dep',
      '/LIBPATH:/l',
      'build/kiln/cc/dep/dep.lib',
      '/WHOLEARCHIVE:/l/all.lib',
      'ws2_32.lib',
      '/l/other.lib',
      '/NODEFAULTLIB',
      '/NOENTRY',
      '/OPT:REF',
    );
    expect(link.args.join(' ')).not.toMatch(/rpath|-l|-L/);
    expect(lib.artifact).toBe(path.join(root, dir, 'x.dll'));
    expect(readFileSync(lib.artifact!, 'utf8')).toBe('MZ fake image\n');
    expect(readFileSync(path.join(root, dir, 'x.lib'), 'utf8')).toBe('!<arch>\n');
  });

  it('links a program: x.exe, no /DLL and no import library', async () => {
    const { calls, lib } = await buildWith({
      options: { kind: 'executable', ldFlags: ['/ENTRY:main'] },
      profile: { name: 'release', optLevel: '2', debugInfo: false },
    });
    const link = named(calls, 'lld-link');
    expect(path.basename(lib.artifact!)).toBe('x.exe');
    expect(link.args).not.toContain('/DLL');
    expect(link.args.some((a) => a.startsWith('/IMPLIB:'))).toBe(false);
    expect(link.args).not.toContain('/DEBUG');
    expect(lib.libs).toEqual([]);
  });

  it('names the machine of each Windows architecture', async () => {
    const arm = await buildWith({ target: 'aarch64-pc-windows-msvc', options: { kind: 'shared' } });
    expect(arm.c.args).toContain('--target=aarch64-pc-windows-msvc');
    expect(named(arm.calls, 'lld-link').args).toContain('/MACHINE:ARM64');
    const x86 = await buildWith({ target: 'i686-pc-windows-msvc' });
    expect(x86.c.args).toContain('--target=i686-pc-windows-msvc');
    expect(named(x86.calls, 'llvm-lib').args).toContain('/MACHINE:X86');
  });

  it('falls back to clang --driver-mode=cl when there is no clang-cl', async () => {
    const { c } = await buildWith({ tools: noClangCl });
    expect(c.name).toBe('clang');
    expect(c.args[0]).toBe('--driver-mode=cl');
    expect(c.args).toContain('--target=x86_64-pc-windows-msvc');
  });

  it('names the source and the first cl-style error when a compile fails', async () => {
    await expect(
      buildWith({ env: { CC: 'cl', FAKE_CC_FAIL_IF_ARG: '/Tcsrc/a.c' } }),
    ).rejects.toMatchObject({
      code: 'COMPILE_FAILED',
      message: 'failed to compile src/a.c — src\\a.c:1: refused /Tcsrc/a.c',
      command: expect.stringContaining('/showIncludes /c'),
    });
  });

  it('refuses GNU assembly for an MSVC target, naming the file', async () => {
    const root = makeRoot();
    writeFileSync(path.join(root, 'src', 'fast.s'), 'ret\n');
    await expect(
      buildWith({ root, options: { sources: ['src/*.c', 'src/*.s'] } }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('src/fast.s'),
    });
  });

  it('says what to install when no MSVC-style compiler is found', async () => {
    const empty = installFakeMsvc([]);
    await expect(buildWith({ tools: empty })).rejects.toMatchObject({
      code: 'TOOL_NOT_FOUND',
      message: expect.stringContaining('"clang-cl"'),
      hint: expect.stringContaining('apt install clang llvm lld'),
    });
  });
});

describe('MSVC tools from the environment (cc-rs precedence)', () => {
  it('CC_<triple> beats CC; CFLAGS_<triple_with_underscores> beats TARGET_CFLAGS and CFLAGS', async () => {
    const { c, cxx } = await buildWith({
      env: {
        CC: 'clang-cl',
        'CC_x86_64-pc-windows-msvc': 'cl',
        CXX: 'cl',
        CFLAGS: '/DPLAIN',
        TARGET_CFLAGS: '/DTARGET',
        CFLAGS_x86_64_pc_windows_msvc: '/DSPECIFIC',
      },
    });
    expect(c.name).toBe('cl');
    expect(c.args).toContain('/DSPECIFIC');
    expect(c.args).not.toContain('/DTARGET');
    expect(c.args).not.toContain('/DPLAIN');
    // cl.exe has one binary per target: no --target; nor clang's options.
    expect(c.args.some((a) => a.startsWith('--target'))).toBe(false);
    expect(c.args).not.toContain('-fdebug-compilation-dir=.');
    expect(cxx.name).toBe('cl');
  });

  it('AR and LD (in their target forms) pick the archiver and the linker', async () => {
    const lib = await buildWith({ env: { AR_x86_64_pc_windows_msvc: 'lib', AR: 'llvm-lib' } });
    expect(lib.calls.some((c) => c.name === 'lib' && c.args.includes('/NOLOGO'))).toBe(true);
    expect(lib.calls.some((c) => c.name === 'llvm-lib')).toBe(false);
    const dll = await buildWith({ env: { TARGET_LD: 'link' }, options: { kind: 'shared' } });
    expect(named(dll.calls, 'link').args).toContain('/DLL');
    expect(dll.calls.some((c) => c.name === 'lld-link')).toBe(false);
  });

  it('KILN_SYSROOT becomes /winsysroot: for clang-cl and lld-link', async () => {
    const { c, calls } = await buildWith({
      env: { KILN_SYSROOT: '/opt/win sdk' },
      options: { kind: 'shared' },
    });
    expect(c.args).toContain('/winsysroot:/opt/win sdk');
    expect(named(calls, 'lld-link').args).toContain('/winsysroot:/opt/win sdk');
  });
});

describe('/showIncludes as the header dependencies', () => {
  it('records the headers, rebuilds when one changes, and keeps the include lines out of warnings', async () => {
    const root = makeRoot();
    const env = {
      CC: 'cl',
      FAKE_CL_PREFIX: 'Hinweis: Einlesen der Datei:',
      FAKE_CL_OUTPUT: 'src\\a.c(2): warning C4101: unreferenced local variable',
    };
    const first = await buildWith({ root, env, options: { sources: ['src/a.c'] } });
    const state = await loadState(path.join(root, 'build', 'kiln', 'cc', 'x', 'state.json'));
    const deps = Object.keys(state.objects[path.join('obj', 'pkg', 'src', 'a.c.obj')]!.deps);
    expect(deps.map((d) => path.relative(root, d)).sort()).toEqual(
      [path.join('inc', 'a.h'), path.join('inc', 'b.h'), path.join('src', 'a.c')].sort(),
    );
    const warnings = first.t.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    expect(warnings.join('\n')).toContain('warning C4101');
    expect(warnings.join('\n')).not.toMatch(/Hinweis|Einlesen|^a\.c$/m);

    // Fresh, then an edit of the nested header recompiles.
    const fresh = await buildWith({ root, env, options: { sources: ['src/a.c'] } });
    expect(fresh.calls.filter((c) => c.args.includes('/c'))).toEqual([]);
    writeFileSync(path.join(root, 'inc', 'b.h'), 'int b2;\n');
    const again = await buildWith({ root, env, options: { sources: ['src/a.c'] } });
    expect(again.calls.filter((c) => c.args.includes('/c'))).toHaveLength(1);
  });
});

describe('cc on a Windows build machine', () => {
  it('takes cl.exe, lib.exe and link.exe of a developer prompt, with no --target', async () => {
    const tools = installFakeMsvc(['cl.exe', 'lib.exe', 'link.exe', 'clang-cl', 'lld-link']);
    process.env.PATH = tools.dir;
    const root = makeRoot();
    const before = tools.calls().length;
    const { ctx } = createBuildContext({
      packageRoot: root,
      packageName: 'win',
      target: parseTriple('x86_64-pc-windows-msvc'),
      host: parseTriple('x86_64-pc-windows-msvc'),
      profile: RELEASE,
      outDir: path.join(root, 'build', 'kiln'),
      pool: new JobPool(2),
      env: { PATH: tools.dir, FAKE_CC_LOG: tools.log, VCINSTALLDIR: 'C:\\VS\\VC\\' },
      verbose: false,
      signal: new AbortController().signal,
      onEvent: () => {},
      kilnVersion: '0.0.0-test',
    });
    await ctx.use(cc({ name: 'x', sources: ['src/*.c'], includes: ['inc'], kind: 'shared' }));
    const calls = tools.calls().slice(before);
    expect([...new Set(calls.map((c) => c.name))].sort()).toEqual(['cl', 'link']);
    const compile = calls.find((c) => c.args.includes('/c'))!;
    expect(compile.args.some((a) => a.startsWith('--target'))).toBe(false);
    expect(compile.args).not.toContain('-fdebug-compilation-dir=.');
    expect(named(calls, 'link').args).toContain('/MACHINE:X64');
  });
});
