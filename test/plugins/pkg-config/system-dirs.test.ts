/**
 * System include/lib dirs are left out of the plugin's link metadata exactly as pkgconf leaves
 * them out of its output (Debian's built-in lists, PKG_CONFIG_SYSTEM_*_PATH, LIBRARY_PATH,
 * CPATH and friends, PKG_CONFIG_ALLOW_SYSTEM_*), in both resolver modes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { libsOf } from '../../../src/manifest/render/flags.js';
import { defaultPersonality } from '../../../src/pkgconf/search-path.js';
import { splitOutput } from '../../../src/plugins/pkg-config/binary.js';
import { pkgConfig } from '../../../src/plugins/pkg-config/index.js';
import { build } from '../../../src/runner/build.js';
import type { ExecOptions, ExecResult } from '../../../src/runner/types.js';
import { makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { fakeContext } from './fake-context.js';
import { oracle, ours, PKGCONF } from './oracle.js';

const PLUGIN = path.join(REPO_ROOT, 'src/plugins/pkg-config/index.ts');
const SYSTEM_LIB_DIRS = defaultPersonality({
  arch: 'x86_64',
  os: 'linux',
  env: 'gnu',
}).systemLibDirs;

/** Runs the real program with the build's env under the step's own, as the runner does. */
function realExec(
  buildEnv: Record<string, string>,
): (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult> {
  return (file, args, options) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...buildEnv };
    for (const [k, v] of Object.entries(options?.env ?? {})) if (v !== undefined) env[k] = v;
    const r = spawnSync(file, args, { env, encoding: 'utf8' });
    return Promise.resolve({
      command: [file, ...args].join(' '),
      exitCode: r.status ?? 1,
      stdout: r.stdout,
      stderr: r.stderr,
    });
  };
}

describe('system dirs in the plugin result', () => {
  const it = itWith(PKGCONF);

  it("uses this machine's pkgconf built-in lists", () => {
    const dump = execFileSync(PKGCONF, ['--dump-personality'], { encoding: 'utf8' });
    const field = (key: string): string[] =>
      (new RegExp(`^${key}: (.*)$`, 'm').exec(dump)?.[1] ?? '').trim().split(/\s+/);
    const p = defaultPersonality({ arch: 'x86_64', os: 'linux', env: 'gnu' });
    expect(p.systemIncludeDirs).toEqual(field('SystemIncludePaths'));
    expect(p.systemLibDirs).toEqual(field('SystemLibraryPaths'));
  });

  it('leaves the system -L of zlib out, in both modes, as pkgconf --libs does', async () => {
    const libs = oracle(['--libs', 'zlib'], {}).stdout;
    expect(libs).toBe('-lz \n');
    const builtin = await pkgConfig('zlib').run(fakeContext({}));
    const binary = await pkgConfig('zlib', { mode: 'binary' }).run(
      fakeContext({}, { exec: realExec({}) }),
    );
    for (const lib of [builtin, binary]) {
      expect(lib.searchPaths).toEqual([]);
      expect(lib.includes).toEqual([]);
      expect(lib.libs).toEqual([{ name: 'z', kind: 'dylib' }]);
    }
    // The static form keeps the full path of the archive it found, and still no -L.
    const st = await pkgConfig('zlib', { static: true }).run(fakeContext({}));
    expect(st.searchPaths).toEqual([]);
    expect(st.libs).toEqual([
      { name: 'z', kind: 'static', path: expect.stringMatching(/\/libz\.a$/) },
    ]);
  });

  it('follows every override pkgconf reads, in the CLI and both plugin modes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-sys-'));
    writeFileSync(
      path.join(dir, 'sysz.pc'),
      [
        'Name: sysz',
        'Description: d',
        'Version: 1',
        'Cflags: -I/usr/include -I/opt/x/include -I/opt/y/include -DSYSZ',
        'Libs: -L/usr/lib/x86_64-linux-gnu -L/lib -L/opt/x/lib -L/opt/y/lib -lsysz',
        '',
      ].join('\n'),
    );
    const envs: Record<string, string>[] = [
      {},
      { PKG_CONFIG_ALLOW_SYSTEM_LIBS: '' },
      { PKG_CONFIG_ALLOW_SYSTEM_CFLAGS: '0' },
      { PKG_CONFIG_SYSTEM_LIBRARY_PATH: '/opt/y/lib' },
      { PKG_CONFIG_SYSTEM_INCLUDE_PATH: '' },
      { PKG_CONFIG_SYSTEM_INCLUDE_PATH: '/opt/x/include:/opt/y/include' },
      { LIBRARY_PATH: '/opt/x/lib', CPATH: '/opt/x/include' },
      { C_INCLUDE_PATH: '/opt/y/include', CPLUS_INCLUDE_PATH: '/opt/x/include' },
    ];
    for (const extra of envs) {
      const env = { ...extra, PKG_CONFIG_LIBDIR: dir };
      const cflags = splitOutput(oracle(['--cflags', 'sysz'], env).stdout);
      const libs = splitOutput(oracle(['--libs', 'sysz'], env).stdout);
      const cli = await ours(['--cflags', '--libs', 'sysz'], env);
      expect(cli.stdout).toBe(oracle(['--cflags', '--libs', 'sysz'], env).stdout);
      const want = {
        includes: cflags.filter((a) => a.startsWith('-I')).map((a) => a.slice(2)),
        searchPaths: libs
          .filter((a) => a.startsWith('-L'))
          .map((a) => ({ kind: 'native', path: a.slice(2) })),
      };
      const builtin = await pkgConfig('sysz').run(fakeContext(env));
      const binary = await pkgConfig('sysz', { mode: 'binary' }).run(
        fakeContext(env, { exec: realExec(env) }),
      );
      for (const lib of [builtin, binary]) {
        expect({ env: extra, includes: lib.includes, searchPaths: lib.searchPaths }).toEqual({
          env: extra,
          ...want,
        });
      }
    }
  });
});

describe('a bundled library after a system one', () => {
  const it = itWith(PKGCONF, 'gcc', 'ar');

  /**
   * A bundled libz.a whose zlibVersion() says "bundled", found through its own .pc file after
   * the system zlib. A system -L ahead of the bundled -L would make the linker take the system
   * libz.so instead.
   */
  it('links the bundled copy: no system -L goes in front of its -L', async () => {
    const bundle = mkdtempSync(path.join(os.tmpdir(), 'kiln bundle-'));
    mkdirSync(path.join(bundle, 'lib'));
    writeFileSync(
      path.join(bundle, 'z.c'),
      'const char *zlibVersion(void) { return "bundled"; }\n',
    );
    execFileSync('gcc', ['-c', path.join(bundle, 'z.c'), '-o', path.join(bundle, 'z.o')]);
    execFileSync('ar', ['rcs', path.join(bundle, 'lib', 'libz.a'), path.join(bundle, 'z.o')]);
    writeFileSync(
      path.join(bundle, 'bundledz.pc'),
      // pcfiledir escapes the space in the temp dir's name, so -L stays one argument.
      `libdir=\${pcfiledir}/lib\nName: bundledz\nDescription: d\nVersion: 1\nLibs: -L\${libdir} -lz\n`,
    );
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
import { pkgConfig } from ${JSON.stringify(PLUGIN)};

export default defineConfig({
  async build(ctx) {
    await ctx.use(pkgConfig('zlib'));
    await ctx.use(pkgConfig('bundledz'));
  },
});
`,
      'main.c':
        '#include <stdio.h>\nconst char *zlibVersion(void);\nint main(void) { puts(zlibVersion()); return 0; }\n',
    });
    const linkAndRun = async (extra: Record<string, string>): Promise<[string[], string]> => {
      const env = { ...process.env, PKG_CONFIG_PATH: bundle, ...extra };
      const { manifest } = await build({ cwd: root, env, outBase: path.join(root, 'out') });
      const flags = libsOf(manifest);
      const exe = path.join(root, 'main');
      execFileSync('gcc', [path.join(root, 'main.c'), '-o', exe, ...flags]);
      return [flags, execFileSync(exe, { encoding: 'utf8' }).trim()];
    };

    const [flags, out] = await linkAndRun({});
    expect(flags.filter((f) => SYSTEM_LIB_DIRS.includes(f.slice(2)))).toEqual([]);
    expect(flags).toContain(`-L${bundle}/lib`);
    expect(out).toBe('bundled');

    // Keeping system dirs (the user's explicit choice) shows what the filter prevents.
    const [kept, keptOut] = await linkAndRun({ PKG_CONFIG_ALLOW_SYSTEM_LIBS: '1' });
    expect(kept.indexOf('-L/usr/lib/x86_64-linux-gnu')).toBeLessThan(
      kept.indexOf(`-L${bundle}/lib`),
    );
    expect(keptOut).not.toBe('bundled');
  });
});
