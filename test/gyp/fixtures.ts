import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
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
