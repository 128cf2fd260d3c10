import { realpathSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from './which.js';

/** Compiler caches and distributors recognised as the first word of CC (cc-rs's list). */
export const WRAPPERS = new Set(['ccache', 'sccache', 'distcc', 'icecc', 'cachepot', 'buildcache']);

function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/** A program's name as PATH lookups and wrappers see it (no `.exe`, any case, on Windows). */
export function programName(file: string): string {
  const b = path.basename(file);
  return process.platform === 'win32' ? b.replace(/\.exe$/i, '').toLowerCase() : b;
}

/**
 * Whether `found` is a link to `real` under another name, and `real` is one of `programs`: a
 * masquerade (ccache as `cc`), which runs a program it chooses rather than itself.
 */
export function calledAsAnother(
  found: string,
  real: string,
  programs: ReadonlySet<string>,
): boolean {
  const realName = programName(real);
  return programs.has(realName) && programName(found) !== realName;
}

/**
 * What a compiler cache's masquerade link runs. `cc` found first on PATH as a link to ccache
 * (Debian's /usr/lib/ccache, sccache's and distcc's masquerade folders) runs the next `cc` on
 * PATH that is not a link to the same program: that compiler, not the cache's own unchanged
 * binary, is what a build's objects come from. Its real path, or undefined when `found` is no
 * such link (null when it is one and nothing would run).
 */
export function masqueradeTarget(found: string, cwd: string): string | null | undefined {
  const real = realpathOrUndefined(found);
  if (!real) return undefined;
  if (!calledAsAnother(found, real, WRAPPERS)) return undefined;
  const next = findExecutable(path.basename(found), cwd, (c) => realpathOrUndefined(c) !== real);
  return next === undefined ? null : (realpathOrUndefined(next) ?? null);
}
