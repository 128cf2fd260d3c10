import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isKilnError } from '../../src/errors.js';
import { crossToolNames } from '../../src/target/cross.js';
import { hostTriple, parseTriple } from '../../src/target/triple.js';
import { defaultNames } from '../../src/toolchain/discover.js';
import { resolveToolchain } from '../../src/toolchain/index.js';
import { testContext } from '../plugins/cc/context.js';
import { installFakeToolchain } from '../support/fake-cc/index.js';

const HOST = hostTriple();
const fake = installFakeToolchain([
  'cc',
  'c++',
  'gcc',
  'g++',
  'ar',
  'ranlib',
  'clang',
  'clang++',
  'llvm-ar',
  'aarch64-linux-gnu-gcc',
  'aarch64-linux-gnu-g++',
  'aarch64-linux-gnu-ar',
  'aarch64-linux-gnu-gcc-ar',
  'powerpc64le-unknown-linux-gnu-gcc',
  'powerpc64le-unknown-linux-gnu-ar',
  'ccache',
  'sccache',
  'distcc',
  'tc-a',
  'tc-b',
  'tc-c',
  'tc-d',
]);
const savedPath = process.env.PATH;
// Discovery searches the real PATH: only the fakes (and node, for their shebang) are on it.
process.env.PATH = fake.dir;
afterAll(() => {
  process.env.PATH = savedPath;
});

function ctxWith(env: Record<string, string>, target?: string) {
  return testContext({
    root: fake.dir,
    env: { PATH: fake.dir, FAKE_CC_LOG: fake.log, ...env },
    ...(target ? { target } : {}),
  });
}

const tool = (p: string) => path.basename(p);

describe('resolveToolchain: env precedence (cc-rs)', () => {
  const all = {
    [`CC_${HOST}`]: 'tc-a',
    [`CC_${HOST.replace(/[-.]/g, '_')}`]: 'tc-b',
    HOST_CC: 'tc-c',
    CC: 'tc-d',
  };
  const names = Object.keys(all);

  it.each([0, 1, 2, 3])(
    'picks the most specific variable set (%i more specific removed)',
    async (skip) => {
      const env = Object.fromEntries(Object.entries(all).slice(skip));
      const tc = await resolveToolchain(ctxWith(env).ctx);
      expect(tool(tc.cc.path)).toBe(['tc-a', 'tc-b', 'tc-c', 'tc-d'][skip]);
    },
  );

  it('uses TARGET_CC, not HOST_CC, when cross compiling', async () => {
    const tc = await resolveToolchain(
      ctxWith({ HOST_CC: 'tc-c', TARGET_CC: 'tc-b' }, 'aarch64-unknown-linux-gnu').ctx,
    );
    expect(tool(tc.cc.path)).toBe('tc-b');
  });

  it('records every variable it consulted as a tracked input', async () => {
    const t = ctxWith({ CC: 'tc-d' });
    await resolveToolchain(t.ctx);
    for (const name of names) expect(t.state.envReads.has(name)).toBe(true);
    expect(t.state.envReads.has('CFLAGS')).toBe(true);
    expect(t.state.envReads.has('CXX')).toBe(true);
  });

  it('takes the first flags variable found: TARGET_CFLAGS replaces CFLAGS in a cross build', async () => {
    const env = { CFLAGS: '-m64 -O1', TARGET_CFLAGS: `-DX='a b' -O3` };
    const cross = await resolveToolchain(ctxWith(env, 'aarch64-unknown-linux-gnu').ctx);
    expect(cross.cflags).toEqual(['-DX=a b', '-O3']);
    const native = await resolveToolchain(ctxWith(env).ctx);
    expect(native.cflags).toEqual(['-m64', '-O1']);
  });
});

describe('resolveToolchain: CC values and wrappers', () => {
  it('splits CC="ccache gcc -m64" into wrapper, compiler and leading args', async () => {
    const tc = await resolveToolchain(ctxWith({ CC: 'ccache gcc -m64' }).ctx);
    expect(tool(tc.cc.program)).toBe('ccache');
    expect(tc.cc.wrapper).toBe('ccache');
    expect(tool(tc.cc.path)).toBe('gcc');
    expect(tc.cc.args).toEqual([tc.cc.path, '-m64']);
    expect(tc.cc.compilerArgs).toEqual(['-m64']);
    expect(tc.cc.fromEnv).toBe('CC');
  });

  it.each(['sccache', 'distcc'])('recognises %s as a wrapper', async (w) => {
    const tc = await resolveToolchain(ctxWith({ CXX: `${w} g++` }).ctx);
    expect(tc.cxx.wrapper).toBe(w);
    expect(tool(tc.cxx.path)).toBe('g++');
  });

  it('applies KILN_CC_WRAPPER to the default compilers, not to ar', async () => {
    const tc = await resolveToolchain(ctxWith({ KILN_CC_WRAPPER: 'sccache' }).ctx);
    expect(tc.cc.wrapper).toBe('sccache');
    expect(tc.cxx.wrapper).toBe('sccache');
    expect(tool(tc.cc.path)).toBe('cc');
    expect(tc.ar.wrapper).toBeUndefined();
  });

  it('asks the compiler its family, once per build', async () => {
    const t = ctxWith({ CC: 'clang', CXX: 'g++' });
    const before = fake.calls().filter((c) => c.args.includes('-E')).length;
    const a = await resolveToolchain(t.ctx);
    const b = await resolveToolchain(t.ctx);
    expect(a).toBe(b);
    expect(a.ccInfo).toEqual({ family: 'clang', version: '14.0.6' });
    expect(a.cxxInfo).toEqual({ family: 'gcc', version: '12.2.0' });
    expect(fake.calls().filter((c) => c.args.includes('-E')).length - before).toBe(2);
  });
});

describe('resolveToolchain: cross and Apple targets', () => {
  beforeEach(() => {
    delete process.env.FAKE_CC_FAMILY;
  });

  it('finds the GNU cross prefix for aarch64-unknown-linux-gnu and adds no host flags', async () => {
    const tc = await resolveToolchain(ctxWith({}, 'aarch64-unknown-linux-gnu').ctx);
    expect(tool(tc.cc.path)).toBe('aarch64-linux-gnu-gcc');
    expect(tool(tc.cxx.path)).toBe('aarch64-linux-gnu-g++');
    expect(tool(tc.ar.path)).toBe('aarch64-linux-gnu-ar');
    expect(tc.cross).toBe(true);
    expect(tc.targetFlags).toEqual([]);
    expect(tc.targetFlags.join(' ')).not.toMatch(/-m64|-march/);
  });

  it('walks the cross candidates in crossToolNames order, whatever the target', () => {
    const { ctx } = ctxWith({}, 'aarch64-unknown-linux-gnu');
    for (const triple of [
      'aarch64-unknown-linux-gnu',
      'armv7-unknown-linux-gnueabihf',
      'x86_64-unknown-linux-musl',
      'x86_64-pc-windows-gnu',
      'aarch64-apple-darwin',
    ]) {
      const target = parseTriple(triple);
      for (const kind of ['cc', 'cxx', 'ar', 'ranlib'] as const) {
        expect(defaultNames(ctx, kind, target), `${triple} ${kind}`).toEqual(
          crossToolNames(target)[kind].map((c) => c.program),
        );
      }
    }
  });

  it('keeps plain <prefix>-ar ahead of <prefix>-gcc-ar when both exist', async () => {
    const tc = await resolveToolchain(ctxWith({}, 'aarch64-unknown-linux-gnu').ctx);
    expect(tool(tc.ar.path)).toBe('aarch64-linux-gnu-ar');
  });

  it('finds tools named by the full triple (crosstool-NG, Homebrew) before falling back to clang', async () => {
    const tc = await resolveToolchain(ctxWith({}, 'powerpc64le-unknown-linux-gnu').ctx);
    expect(tool(tc.cc.path)).toBe('powerpc64le-unknown-linux-gnu-gcc');
    expect(tool(tc.ar.path)).toBe('powerpc64le-unknown-linux-gnu-ar');
    expect(tc.targetFlags).toEqual([]);
  });

  it('tries only the CROSS_COMPILE prefix before clang', async () => {
    const tc = await resolveToolchain(
      ctxWith({ CROSS_COMPILE: 'powerpc64le-linux-gnu' }, 'powerpc64le-unknown-linux-gnu').ctx,
    );
    expect(tool(tc.cc.path)).toBe('clang');
  });

  it('falls back to clang --target= when no cross gcc exists', async () => {
    const tc = await resolveToolchain(ctxWith({}, 'riscv64gc-unknown-linux-gnu').ctx);
    expect(tool(tc.cc.path)).toBe('clang');
    expect(tool(tc.ar.path)).toBe('llvm-ar');
    expect(tc.targetFlags).toEqual(['--target=riscv64-unknown-linux-gnu']);
  });

  it('adds --sysroot from KILN_SYSROOT', async () => {
    const tc = await resolveToolchain(
      ctxWith({ KILN_SYSROOT: '/opt/sys root' }, 'aarch64-unknown-linux-gnu').ctx,
    );
    expect(tc.targetFlags).toEqual(['--sysroot=/opt/sys root']);
    expect(tc.sysroot).toBe('/opt/sys root');
  });

  it.each([
    [
      'x86_64-apple-darwin',
      {},
      ['--target=x86_64-apple-macos10.13', '-arch', 'x86_64', '-mmacosx-version-min=10.13'],
    ],
    [
      'aarch64-apple-darwin',
      {},
      ['--target=arm64-apple-macos11.0', '-arch', 'arm64', '-mmacosx-version-min=11.0'],
    ],
    [
      'x86_64-apple-darwin',
      { MACOSX_DEPLOYMENT_TARGET: '12.3' },
      ['--target=x86_64-apple-macos12.3', '-arch', 'x86_64', '-mmacosx-version-min=12.3'],
    ],
    [
      'x86_64-apple-macosx10.15',
      {},
      ['--target=x86_64-apple-macos10.15', '-arch', 'x86_64', '-mmacosx-version-min=10.15'],
    ],
  ])(
    'gives %s clang, -arch, --target= and the deployment target (%o)',
    async (target, env, flags) => {
      const tc = await resolveToolchain(ctxWith(env, target).ctx);
      expect(tool(tc.cc.path)).toBe('clang');
      expect(tool(tc.ar.path)).toBe('llvm-ar');
      expect(tc.targetFlags).toEqual(flags);
    },
  );

  it('reports a missing compiler with the tool, the variables and an install hint', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'kiln-empty-path-'));
    const t = testContext({
      root: fake.dir,
      env: { PATH: empty },
      target: 'aarch64-unknown-linux-gnu',
    });
    const saved = process.env.PATH;
    process.env.PATH = empty;
    try {
      await resolveToolchain(t.ctx);
      expect.unreachable();
    } catch (err) {
      if (!isKilnError(err)) throw err;
      expect(err.code).toBe('TOOL_NOT_FOUND');
      expect(err.message).toContain('"aarch64-linux-gnu-gcc"');
      expect(err.details).toContain('CC_aarch64_unknown_linux_gnu');
      expect(err.details).toContain('TARGET_CC');
      expect(err.hint).toContain('apt install gcc-aarch64-linux-gnu');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('resolves a C-only toolchain where no C++ compiler exists, recording the miss', async () => {
    const tc = await resolveToolchain(ctxWith({ CXX: 'no-such-c++' }).ctx);
    expect(tool(tc.cc.path)).toBe('cc');
    expect(tc.cxx.missing?.code).toBe('TOOL_NOT_FOUND');
    expect(tc.cxx.missing?.message).toContain('"no-such-c++"');
  });

  it('names the variable when CC points at a missing program', async () => {
    await expect(resolveToolchain(ctxWith({ CC: 'no-such-cc -O2' }).ctx)).rejects.toMatchObject({
      code: 'TOOL_NOT_FOUND',
      message: expect.stringContaining('from CC'),
    });
  });
});

describe('resolveToolchain: compiler identity between builds', () => {
  it('remembers the probe in the outDir, so the next build spawns no probe', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'kiln-probe-cache-'));
    const env = { PATH: fake.dir, FAKE_CC_LOG: fake.log, CC: 'clang', CXX: 'g++' };
    const probes = () => fake.calls().filter((c) => c.args.includes('-E')).length;
    const before = probes();
    const first = await resolveToolchain(testContext({ root: fake.dir, env, outDir }).ctx);
    expect(probes() - before).toBe(2);
    const second = await resolveToolchain(testContext({ root: fake.dir, env, outDir }).ctx);
    expect(probes() - before).toBe(2);
    expect(second.ccInfo).toEqual(first.ccInfo);
    expect(second.cxxInfo).toEqual(first.cxxInfo);
  });
});
