/**
 * Differential suite: every query runs through `runPkgConfig` and through the real pkgconf
 * 1.8.1 with the same environment (nothing inherited), and stdout bytes plus exit code must be
 * identical. Fixtures are ours (native-fixtures/pkgconfig); the machine's own `.pc` files are
 * enumerated at test time.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { itWith } from '../../support/tools.js';
import { oracle, ours, PKGCONF, systemModules } from './oracle.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../native-fixtures/pkgconfig');
const dir = (name: string): string => path.join(FIXTURES, name);
const it = itWith(PKGCONF);

const CORE_QUERIES: string[][] = [
  ['--cflags'],
  ['--libs'],
  ['--static', '--libs'],
  ['--modversion'],
  ['--print-requires'],
];
const EXTRA_QUERIES: string[][] = [
  ['--static', '--cflags'],
  ['--cflags', '--libs'],
  ['--print-requires-private'],
  ['--exists'],
  ['--cflags-only-I'],
  ['--cflags-only-other'],
  ['--libs-only-l'],
  ['--libs-only-L'],
  ['--libs-only-other'],
  ['--static', '--libs-only-other'],
  ['--print-variables'],
  ['--print-provides'],
  ['--path'],
  ['--variable=prefix'],
  ['--variable=pcfiledir'],
  ['--uninstalled'],
];

function modulesIn(d: string): string[] {
  return readdirSync(d)
    .filter((f) => f.endsWith('.pc'))
    .map((f) => f.slice(0, -3))
    .sort();
}

interface Mismatch {
  args: string[];
  env: Record<string, string>;
  oracle: { stdout: string; code: number };
  ours: { stdout: string; code: number; stderr: string };
}

/** Runs every query against both implementations; returns the differing cases. */
async function compareAll(cases: string[][], env: Record<string, string>): Promise<string[]> {
  const bad: string[] = [];
  for (const args of cases) {
    const o = oracle(args, env);
    const u = await ours(args, env);
    if (o.stdout !== u.stdout || o.code !== u.code)
      bad.push(summary({ args, env, oracle: o, ours: u }));
  }
  return bad;
}

/** One line per mismatch, so a failure reads as a list of cases. */
function summary(m: Mismatch): string {
  return JSON.stringify({
    args: m.args,
    env: m.env,
    pkgconf: [m.oracle.code, m.oracle.stdout],
    kiln: [m.ours.code, m.ours.stdout, m.ours.stderr],
  });
}

function matrix(modules: string[], queries: string[][]): string[][] {
  return modules.flatMap((m) => queries.map((q) => [...q, m]));
}

describe('pkg-config against pkgconf 1.8.1', () => {
  it('matches on every fixture module for the core and extra queries', async () => {
    const env = { PKG_CONFIG_LIBDIR: dir('basic') };
    const cases = matrix(modulesIn(dir('basic')), [...CORE_QUERIES, ...EXTRA_QUERIES]);
    expect(await compareAll(cases, env)).toEqual([]);
  });

  it('matches on package lists, constraints, Provides, cycles and misses', async () => {
    const env = { PKG_CONFIG_LIBDIR: dir('basic') };
    const lists = [
      ['app', 'base'],
      ['base specials'],
      ['base >= 1.0'],
      ['base', '>=', '1.0'],
      ['base > 9'],
      ['base != 1.5'],
      ['base = 1.5', 'c < 2'],
      ['virt'],
      ['virt >= 1.0'],
      ['virt > 2'],
      ['unversioned'],
      ['nover'],
      ['nothere'],
      ['cyc1'],
      ['a', 'b'],
      ['c', 'c'],
      ['specials', 'specials'],
      ['static', 'app'],
      ['deep1'],
      ['pkg-config'],
      [path.join(dir('basic'), 'base.pc')],
    ];
    const cases = lists.flatMap((l) =>
      [...CORE_QUERIES, ['--cflags', '--libs'], ['--exists']].map((q) => [...q, ...l]),
    );
    cases.push(
      ['--atleast-version=1.5', 'base'],
      ['--atleast-version=1.6', 'base'],
      ['--exact-version=1.5', 'base'],
      ['--max-version=1.4', 'base'],
      ['--max-version=2', 'base', 'nothere'],
      ['--atleast-version=1', 'nothere'],
      ['--maximum-traverse-depth=1', '--libs', 'deep1'],
      ['--maximum-traverse-depth=2', '--libs', 'deep1'],
      ['--maximum-traverse-depth=3', '--libs', 'deep1'],
      ['--define-variable=prefix=/x', '--cflags', '--libs', 'vars'],
      ['--define-variable=prefix=/x', '--variable=libdir', 'vars'],
      ['--variable=nothing', 'base', 'base'],
      ['--variable=pc_sysrootdir', 'base'],
      ['--keep-system-cflags', '--keep-system-libs', '--cflags', '--libs', 'sysdirs'],
      ['--no-provides', '--libs', 'virt'],
      ['--ignore-conflicts', '--libs', 'conflicting'],
      ['--list-all'],
      ['--list-package-names'],
      ['--modversion', '--cflags', 'base'],
      ['--variable=prefix', '--cflags', 'static'],
      ['--version'],
      ['--atleast-pkgconfig-version=1.8'],
      ['--atleast-pkgconfig-version=2'],
      ['--exists'],
      ['--libs', '--shared', '--static', 'static'],
      ['--modv', 'base'],
      ['--cflag', 'base'],
      ['--bogus', 'base'],
      ['-libs', 'base'],
    );
    for (const v of [
      'prefix',
      'dollar',
      'dd',
      'undef',
      'late',
      'self',
      'quoted',
      'squoted',
      'unterminated',
      'abc',
      'spaced',
    ]) {
      cases.push([`--variable=${v}`, 'vars']);
    }
    expect(await compareAll(cases, env)).toEqual([]);
  });

  it('matches with system-dir filter variables and overrides', async () => {
    const base = { PKG_CONFIG_LIBDIR: dir('basic') };
    const envs: Record<string, string>[] = [
      { ...base, CPATH: '/opt/inc:/a/include', LIBRARY_PATH: '/opt/lib' },
      { ...base, C_INCLUDE_PATH: '/opt/inc', CPLUS_INCLUDE_PATH: '/app/include' },
      { ...base, PKG_CONFIG_ALLOW_SYSTEM_CFLAGS: '', PKG_CONFIG_ALLOW_SYSTEM_LIBS: '0' },
      {
        ...base,
        PKG_CONFIG_SYSTEM_INCLUDE_PATH: '/opt/inc',
        PKG_CONFIG_SYSTEM_LIBRARY_PATH: '/c/lib:/opt/lib',
      },
      { ...base, PKG_CONFIG_IGNORE_CONFLICTS: '1', PKG_CONFIG_MAXIMUM_TRAVERSE_DEPTH: '2' },
      { PKG_CONFIG_PATH: dir('basic'), PKG_CONFIG_LIBDIR: '' },
    ];
    const cases = matrix(
      ['sysdirs', 'app', 'static', 'conflicting', 'deep1'],
      [
        ['--cflags', '--libs'],
        ['--static', '--libs'],
      ],
    );
    // The built-in variables show the compiled lists, whatever the environment adds.
    cases.push(
      ['--variable=pc_system_libdirs', 'pkgconf'],
      ['--variable=pc_system_includedirs', 'pkg-config'],
    );
    for (const env of envs) expect(await compareAll(cases, env)).toEqual([]);
  });

  it('matches sysroot rewriting (PKG_CONFIG_SYSROOT_DIR)', async () => {
    const queries = [...CORE_QUERIES, ['--cflags', '--libs'], ['--print-variables']];
    const vars = [
      'prefix',
      'libdir',
      'includedir',
      'pkgdatadir',
      'rel',
      'pcfiledir',
      'pc_sysrootdir',
    ];
    const cases = [...matrix(['sr'], queries), ...vars.map((v) => [`--variable=${v}`, 'sr'])];
    for (const sysroot of [undefined, '', '/', '/sr', '/sr/', '/usr']) {
      const env: Record<string, string> = { PKG_CONFIG_LIBDIR: dir('sysroot') };
      if (sysroot !== undefined) env.PKG_CONFIG_SYSROOT_DIR = sysroot;
      expect(await compareAll(cases, env)).toEqual([]);
      expect(
        await compareAll(matrix(['app', 'vars', 'sysdirs'], queries), {
          ...env,
          PKG_CONFIG_LIBDIR: dir('basic'),
        }),
      ).toEqual([]);
    }
    const fdo = {
      PKG_CONFIG_LIBDIR: dir('sysroot'),
      PKG_CONFIG_SYSROOT_DIR: '/sr',
      PKG_CONFIG_FDO_SYSROOT_RULES: '1',
    };
    expect(await compareAll(cases, fdo)).toEqual([]);
  });

  it('matches -uninstalled.pc preference, search-dir order and pcfiledir with spaces', async () => {
    const queries = [...CORE_QUERIES, ['--cflags', '--libs'], ['--uninstalled'], ['--path']];
    const pairs: Array<[Record<string, string>, string[]]> = [
      [
        { PKG_CONFIG_LIBDIR: `${dir('uninstalled')}:${dir('second2')}` },
        ['foo', 'bad', 'loopa', 'loopb'],
      ],
      [
        { PKG_CONFIG_LIBDIR: `${dir('uninstalled')}`, PKG_CONFIG_DISABLE_UNINSTALLED: '1' },
        ['foo', 'bad'],
      ],
      [
        { PKG_CONFIG_LIBDIR: `${dir('uninstalled')}`, PKG_CONFIG_TOP_BUILD_DIR: '/build top' },
        ['foo'],
      ],
      [{ PKG_CONFIG_LIBDIR: `${dir('second')}:${dir('second2')}` }, ['bar', 'foo']],
      [
        {
          PKG_CONFIG_PATH: `${dir('second2')}:${dir('second2')}//`,
          PKG_CONFIG_LIBDIR: dir('second'),
        },
        ['bar', 'foo'],
      ],
      [{ PKG_CONFIG_LIBDIR: dir('dir with space') }, ['spacey']],
    ];
    for (const [env, mods] of pairs) {
      expect(await compareAll(matrix(mods, queries), env)).toEqual([]);
      expect(await compareAll([['--list-all']], env)).toEqual([]);
    }
    expect(
      await compareAll([['--no-uninstalled', '--libs', 'foo']], {
        PKG_CONFIG_LIBDIR: dir('uninstalled'),
      }),
    ).toEqual([]);
  });

  it('matches on every .pc file installed on this machine', async () => {
    const modules = systemModules();
    expect(modules.length).toBeGreaterThan(10);
    const bad = await compareAll(matrix(modules, CORE_QUERIES), {});
    expect(bad).toEqual([]);
  });

  it("matches the extra queries on this machine's .pc files", async () => {
    const queries = [['--cflags', '--libs'], ['--print-requires-private'], ['--variable=libdir']];
    const bad = await compareAll(matrix(systemModules(), queries), {});
    expect(bad).toEqual([]);
  });
});
