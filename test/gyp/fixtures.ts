import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { convertBindingGyp } from '../../src/gyp/convert.js';
import { hostPlatform, MARK, nodeGypVariables, type Platform } from '../../src/gyp/load.js';
import type { GypValue } from '../../src/gyp/parse.js';
import { REPO_ROOT } from '../support/package.js';

/** The tarballs scripts/fetch-gyp-packages.sh caches (keep the two lists in step). */
export const CACHE = path.join(REPO_ROOT, 'test/.cache/gyp-packages');
export const FETCHED = {
  bufferutil: '4.0.9',
  'utf-8-validate': '6.0.5',
  microtime: '3.1.1',
  farmhash: '4.0.1',
  'cpu-features': '0.0.10',
  nan: '2.22.2',
  buildcheck: '0.0.6',
  'node-gyp-build': '4.8.4',
} as const;
export type Fetched = keyof typeof FETCHED;

export function tarball(name: Fetched): string {
  return path.join(CACHE, `${name}-${FETCHED[name]}.tgz`);
}

/**
 * Whether every fetched package is there. Missing ones skip the tests locally; with
 * KILN_REQUIRE_TOOLCHAINS=1 (CI) they fail the test file, naming the script to run.
 */
export function fetchedPresent(): boolean {
  const missing = (Object.keys(FETCHED) as Fetched[]).filter((n) => !existsSync(tarball(n)));
  if (missing.length === 0) return true;
  if (process.env.KILN_REQUIRE_TOOLCHAINS === '1') {
    throw new Error(
      `KILN_REQUIRE_TOOLCHAINS=1 but ${missing.join(', ')} not fetched: run scripts/fetch-gyp-packages.sh`,
    );
  }
  return false;
}

/** Unpacks a fetched package into `dest` (its top folder, whatever its name, stripped). */
export async function unpack(name: Fetched, dest: string): Promise<string> {
  mkdirSync(dest, { recursive: true });
  await execa('tar', ['-xzf', tarball(name), '-C', dest, '--strip-components=1']);
  return dest;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `kiln-${prefix}-`));
}

/** Every `.gyp` and `.gypi` file under `dir`. */
export function gypFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.gypi?$/.test(e)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/**
 * gyp's own reading of a binding.gyp (node-gyp's copy of gyp-next: `gyp.input.Load`, with the same
 * variables and the target type node-gyp's addon.gypi defaults to), for the keys Kiln converts;
 * paths relative to the package root.
 */
const KEYS = [
  'type',
  'sources',
  'include_dirs',
  'defines',
  'cflags',
  'cflags_cc',
  'libraries',
  'ldflags',
];
const GYP_LOAD = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
import gyp.input
root, variables, defaults = sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
gen = {'non_configuration_keys': [], 'path_sections': [], 'extra_sources_for_rules': [],
       'generator_supports_multiple_toolsets': False,
       'generator_wants_static_library_dependencies_adjusted': True,
       'generator_wants_sorted_dependencies': False, 'generator_filelist_paths': None}
os.chdir(root)
flat, targets, data = gyp.input.Load(['binding.gyp'], variables, [defaults], '.', gen, False, True, False, None)
out = {}
for key, t in targets.items():
    f, name = key.split('#')[0].rsplit(':', 1)
    cfgs = t.get('configurations', {})
    cfg = cfgs.get('Release') or cfgs.get(t.get('default_configuration', 'Default')) or {}
    out[f + ':' + name] = {k: cfg.get(k, t.get(k)) for k in ${JSON.stringify(KEYS)}}
print(json.dumps(out))
`;
const PATH_KEYS = new Set(['sources', 'include_dirs']);
/** node-addon-api's include dir and `nothing` target: recognised by Kiln instead of read (addon() adds them). */
const addonApi = (s: string): boolean =>
  s.includes('node_modules/node-addon-api') || s.startsWith(MARK);

function normalise(root: string, file: string, t: Record<string, GypValue | undefined>): unknown {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) {
    const v = Array.isArray(t[k]) ? (t[k] as GypValue[]).filter((x) => !addonApi(String(x))) : t[k];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[k] =
      PATH_KEYS.has(k) && Array.isArray(v)
        ? v.map((p) => path.relative(root, path.resolve(path.dirname(file), String(p))))
        : v;
  }
  return out;
}

export async function expectSameAsGyp(
  root: string,
  platform: Platform = hostPlatform(),
): Promise<void> {
  const defaults = path.join(root, '.kiln-test-defaults.gypi');
  writeFileSync(defaults, "{'target_defaults': {'type': 'loadable_module'}}");
  const vars = Object.fromEntries(nodeGypVariables(root, platform));
  const r = await execa('python3', [
    '-c',
    GYP_LOAD,
    path.join(REPO_ROOT, 'node_modules/node-gyp/gyp/pylib'),
    root,
    JSON.stringify(vars),
    defaults,
  ]);
  const theirs = JSON.parse(r.stdout) as Record<string, Record<string, GypValue>>;
  const ours = convertBindingGyp(root, 'binding.gyp', platform).targets;
  expect(ours.map((t) => `${path.relative(root, t.file)}:${t.name}`).sort()).toEqual(
    Object.keys(theirs)
      .filter((k) => !addonApi(k))
      .sort(),
  );
  for (const t of ours) {
    const key = `${path.relative(root, t.file)}:${t.name}`;
    const mine = normalise(root, t.file, { ...t.gyp, type: t.gyp.type ?? 'loadable_module' });
    expect(mine, key).toEqual(normalise(root, path.join(root, key.split(':')[0]!), theirs[key]!));
  }
  rmSync(defaults);
}
