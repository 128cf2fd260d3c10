/** Fragments printed the way pkgconf 1.8.1 prints them. */
import type { Fragment } from '../../pkgconf/fragments.js';

// Bytes pkgconf escapes with a backslash when printing (research §2.7).
const ESCAPED = new Set('!"#%&\'*;<>?[\\]`{|}');

function quote(data: string, merged: boolean): string {
  let out = '';
  for (const c of data) {
    const code = c.codePointAt(0)!;
    if (code < 0x20 || code >= 0x7f || ESCAPED.has(c) || (c === ' ' && !merged)) out += '\\';
    out += c;
  }
  return out;
}

/** A fragment as pkgconf prints it (without the trailing space). */
export function renderFragment(f: Fragment): string {
  return f.type === '' ? quote(f.data, f.merged) : `-${f.type}${quote(f.data, f.merged)}`;
}

/** pkgconf 1.8.x prints each fragment followed by a space, the last one included. */
export function renderFragments(list: readonly Fragment[]): string {
  let out = '';
  for (const f of list) out += renderFragment(f) + ' ';
  return out;
}
