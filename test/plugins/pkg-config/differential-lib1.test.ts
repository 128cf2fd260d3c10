/**
 * Differential suite over pkgconf 1.8.1's own fixtures (`tests/lib1` of its source, fetched from
 * Debian by scripts/fetch-pkgconf-tests.sh, never committed): every `.pc` file there, a broad
 * set of queries, stdout bytes and exit code compared with the real pkgconf. Where Kiln differs
 * on purpose the case is listed in DIVERGENCES with the reason; any other difference fails, and
 * so does a listed divergence that no longer differs (the table must stay true).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it as vitestIt } from 'vitest';
import { itWith } from '../../support/tools.js';
import { oracle, ours, PKGCONF } from './oracle.js';

const LIB1 = path.resolve(import.meta.dirname, '../../.cache/pkgconf-1.8.1/tests/lib1');
const FETCH = 'scripts/fetch-pkgconf-tests.sh';

/** `it` when pkgconf and the fixtures are here; in CI a missing fixture fails, never skips. */
function itWithFixtures(): typeof vitestIt {
  const it = itWith(PKGCONF);
  if (existsSync(path.join(LIB1, 'foo.pc'))) return it;
  if (process.env.KILN_REQUIRE_TOOLCHAINS === '1') {
    throw new Error(`KILN_REQUIRE_TOOLCHAINS=1 but ${LIB1} is missing: run ${FETCH}`);
  }
  return vitestIt.runIf(false) as typeof vitestIt;
}
const it = itWithFixtures();

/** Queries run on every module; `%` is replaced by the module name (one argument). */
const QUERIES: string[][] = [
  ['--cflags', '%'],
  ['--libs', '%'],
  ['--static', '--libs', '%'],
  ['--static', '--cflags', '%'],
  ['--cflags', '--libs', '%'],
  ['--modversion', '%'],
  ['--exists', '%'],
  ['--print-requires', '%'],
  ['--print-requires-private', '%'],
  ['--print-provides', '%'],
  ['--print-variables', '%'],
  ['--variable=prefix', '%'],
  ['--variable=includedir', '%'],
  ['--variable=libdir', '%'],
  ['--atleast-version=1.0', '%'],
  ['--exact-version=1.0.0', '%'],
  ['--max-version=1.0', '%'],
  ['--exists', '% >= 1.0'],
  ['--exists', '% < 1.0'],
  ['--modversion', '% = 1.0.0'],
  ['--cflags', '% != 1.2.3'],
];

/** Queries that do not name one module: listings, and Provides lookups by virtual name. */
const GLOBAL_QUERIES: string[][] = [
  ['--list-all'],
  ['--list-package-names'],
  ['--cflags', 'provides-request-simple'],
  ...['foo', 'bar', 'baz', 'quux', 'moo', 'meow'].flatMap((v) =>
    ['', ' = 1.0.0', ' > 1.1.0', ' >= 1.2.0', ' < 1.2.0', ' <= 1.3.0', ' != 1.3.0'].flatMap((c) => [
      ['--exists', `provides-test-${v}${c}`],
      ['--libs', `provides-test-${v}${c}`],
    ]),
  ),
  ['--libs', 'foo', 'bar', 'baz'],
  ['--static', '--cflags', '--libs', 'baz', 'intermediary-1', 'intermediary-2'],
  ['--print-provides', 'provides', 'foo'],
];

const OVER_64K =
  'billion-laughs.pc expands a variable past 64 KiB: pkgconf truncates it and goes on, Kiln ' +
  'refuses the file (PKG_INVALID) when it is asked for, and skips it in listings and Provides scans';

/**
 * Where the queries run: lib1 alone (as pkgconf's own tests run it) with every query; lib1
 * under a sysroot, and lib1 in front of this machine's default dirs, with the flag queries.
 */
const RUNS: Array<{ env: Record<string, string>; queries: string[][]; global: string[][] }> = [
  {
    env: { PKG_CONFIG_PATH: LIB1, PKG_CONFIG_LIBDIR: LIB1 },
    queries: QUERIES,
    global: GLOBAL_QUERIES,
  },
  {
    env: { PKG_CONFIG_PATH: LIB1, PKG_CONFIG_LIBDIR: LIB1, PKG_CONFIG_SYSROOT_DIR: '/sysroot' },
    queries: [
      ['--cflags', '--libs', '%'],
      ['--static', '--libs', '%'],
      ['--variable=prefix', '%'],
      ['--variable=pcfiledir', '%'],
    ],
    global: [],
  },
  {
    env: { PKG_CONFIG_PATH: LIB1 },
    queries: [
      ['--cflags', '--libs', '%'],
      ['--exists', '%'],
    ],
    global: [['--cflags', 'provides-request-simple']],
  },
];

interface Outputs {
  pkgconf: { stdout: string; code: number };
  kiln: { stdout: string; code: number; stderr: string };
}

/** Kiln's listing is pkgconf's without the refused file's lines. */
const listedWithoutLaughs = ({ pkgconf, kiln }: Outputs): boolean =>
  kiln.stdout ===
  pkgconf.stdout
    .split('\n')
    .filter((l) => !l.startsWith('billion-laughs'))
    .join('\n');

/**
 * Where Kiln differs from pkgconf 1.8.1 on purpose, each with its reason; every other mismatch
 * is a bug. `module` covers every query naming that module, `args` one exact query; `check`
 * confirms the difference is the documented one and nothing else.
 */
const DIVERGENCES: ReadonlyArray<{
  module?: string;
  args?: string[];
  reason: string;
  check: (o: Outputs) => boolean;
}> = [
  {
    module: 'billion-laughs',
    reason: OVER_64K,
    check: ({ kiln }) =>
      kiln.code === 1 && kiln.stderr.includes('billion-laughs.pc: a variable expands to more than'),
  },
  { args: ['--list-all'], reason: OVER_64K, check: listedWithoutLaughs },
  { args: ['--list-package-names'], reason: OVER_64K, check: listedWithoutLaughs },
];

/** The divergence entry covering a query, if any. */
function divergence(args: readonly string[]): number {
  return DIVERGENCES.findIndex((d) =>
    d.args
      ? caseKey(d.args) === caseKey(args)
      : args.some((a) => a === d.module || a.startsWith(`${d.module} `)),
  );
}

function modules(): string[] {
  return readdirSync(LIB1)
    .filter((f) => f.endsWith('.pc'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function caseKey(args: readonly string[]): string {
  return JSON.stringify(args);
}

describe('pkg-config against pkgconf 1.8.1 on its own tests/lib1 fixtures', () => {
  it('matches on every fixture and query except the listed divergences', async () => {
    const differing = new Map<string, Outputs & { args: string[]; env: object }>();
    let count = 0;
    for (const { env, queries, global } of RUNS) {
      const cases = [
        ...modules().flatMap((m) => queries.map((q) => q.map((a) => a.replace('%', m)))),
        ...global,
      ];
      count += cases.length;
      for (const args of cases) {
        const o = oracle(args, env);
        const u = await ours(args, env);
        if (o.stdout !== u.stdout || o.code !== u.code) {
          differing.set(caseKey(args) + JSON.stringify(env), {
            args,
            env,
            pkgconf: o,
            kiln: u,
          });
        }
      }
    }
    expect(count).toBeGreaterThan(2000);
    const used = new Set<number>();
    const unexpected: string[] = [];
    for (const v of differing.values()) {
      const d = divergence(v.args);
      if (d >= 0 && DIVERGENCES[d]!.check(v)) used.add(d);
      else unexpected.push(JSON.stringify(v));
    }
    // A divergence that no longer shows is stale: the table must stay true.
    const stale = DIVERGENCES.filter((_, i) => !used.has(i)).map((d) => d.reason);
    expect(unexpected).toEqual([]);
    expect(stale).toEqual([]);
  }, 300_000);
});
