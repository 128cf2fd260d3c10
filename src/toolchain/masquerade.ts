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

const baseName = (file: string) =>
  process.platform === 'win32'
    ? path
        .basename(file)
        .replace(/\.exe$/i, '')
        .toLowerCase()
    : path.basename(file);

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
  const wrapper = baseName(real);
  const name = path.basename(found);
  if (!WRAPPERS.has(wrapper) || baseName(found) === wrapper) return undefined;
  const next = findExecutable(name, cwd, (c) => realpathOrUndefined(c) !== real);
  return next === undefined ? null : (realpathOrUndefined(next) ?? null);
}
