import path from 'node:path';

/**
 * `path.resolve`, `path.relative` and `path.join`, answered without node:path's normalising loop when the
 * paths are already plain (POSIX, no `.`/`..` segment, no doubled or trailing `/`), which is
 * how Kiln keeps them. A build calls these for every header of every unit, in a process too
 * young for V8 to have optimised that per-character loop: ~10 µs a call, against well under
 * one here. Any other path goes to node:path, so the answer is always node:path's.
 */

const POSIX = path.sep === '/';
/** A `//`, a `.` or `..` segment, or a trailing `/` (the root itself aside). */
const NOT_PLAIN_ABSOLUTE = /\/\/|\/\.\.?(?:\/|$)|.\/$/;
const NOT_PLAIN_RELATIVE = /(?:^|\/)\.\.?(?:\/|$)|\/\/|\/$/;

function plainAbsolute(p: string): boolean {
  return POSIX && p.charCodeAt(0) === 47 && !NOT_PLAIN_ABSOLUTE.test(p);
}

function plainRelative(p: string): boolean {
  return POSIX && p !== '' && p.charCodeAt(0) !== 47 && !NOT_PLAIN_RELATIVE.test(p);
}

/** `path.resolve(base, p)`, or `path.resolve(p)` without a base. */
export function resolvePath(base: string, p?: string): string {
  if (p === undefined) return plainAbsolute(base) ? base : path.resolve(base);
  if (plainAbsolute(p)) return p;
  if (plainRelative(p) && plainAbsolute(base)) return base === '/' ? `/${p}` : `${base}/${p}`;
  return path.resolve(base, p);
}

/** `path.join(base, ...parts)`. */
export function joinPath(base: string, ...parts: string[]): string {
  if ((plainAbsolute(base) || plainRelative(base)) && parts.every(plainRelative)) {
    return parts.length === 0 ? base : `${base === '/' ? '' : base}/${parts.join('/')}`;
  }
  return path.join(base, ...parts);
}

/** `path.relative(from, to)`. */
export function relativePath(from: string, to: string): string {
  if (!plainAbsolute(from) || !plainAbsolute(to)) return path.relative(from, to);
  if (from === to) return '';
  if (from === '/') return to.slice(1);
  if (to.startsWith(from) && to.charCodeAt(from.length) === 47) return to.slice(from.length + 1);
  const a = from.slice(1).split('/');
  const b = to === '/' ? [] : to.slice(1).split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common += 1;
  return [...Array<string>(a.length - common).fill('..'), ...b.slice(common)].join('/');
}

/**
 * `file` relative to `root` when it is `root` itself ('') or below it; undefined when it is
 * outside (a `..` segment first, or another drive). The one rule for "inside" that paths shown,
 * stored and passed to tools follow: a name that only starts with `..` (`..cache`) is inside.
 */
export function relativeInside(root: string, file: string): string | undefined {
  const rel = relativePath(root, file);
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  return outside ? undefined : rel;
}
