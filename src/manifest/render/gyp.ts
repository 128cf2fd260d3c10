import { libArgs } from '../link-args.js';
import type { Manifest } from '../schema.js';
import { cflagsOf, joinFlags, libsOf } from './flags.js';
import { unrepresentable } from './reject.js';

/**
 * gyp's Makefile generator (node-gyp on Linux and macOS) writes `cflags`, `libraries`,
 * `ldflags`, `include_dirs` and `library_dirs` into `VAR := ...` Makefile lines with no escaping
 * but one: a word containing `"` is wrapped in double quotes with each `"` written `\"`. make
 * then reads `$` and `#`, and hands the recipe to /bin/sh. So each word is written for the shell
 * first (backslash-escaped, or for the double-quoted form only `\`, `$` and `` ` `` escaped, since
 * gyp escapes the quotes), then for make: `$` doubled, and a `#` given an odd number of
 * backslashes (make halves a run of backslashes before `#` and keeps the `#` only when the count
 * was odd). The MSVS generator quotes arguments itself, so Windows manifests are left as is.
 */
function forMake(flag: string): string {
  return makeText(flag.includes('"') ? flag.replace(/[\\$`]/g, '\\$&') : shellWord(flag));
}

/**
 * Backslash-escaped shell word, except trailing blanks, which are single-quoted: gyp ends each
 * word's line with ` \`, and make drops the blanks before a line continuation. An empty flag
 * is `''`, so it stays a word.
 */
function shellWord(flag: string): string {
  if (flag === '') return "''";
  const [, body = '', tail = ''] = /^(.*?)(\s*)$/s.exec(flag) ?? [];
  return body.replace(/([\s'\\$`()&;|<>*?[\]#~{}!])/g, '\\$1') + (tail ? `'${tail}'` : '');
}

function makeText(shell: string): string {
  return shell.replace(/(\\*)#/g, (_, bs: string) => `${bs}${bs}\\#`).replace(/\$/g, '$$$$');
}

/**
 * A `.gypi`-style dictionary (JSON is valid gyp syntax) that `binding.gyp` can take through
 * `'includes'`, or read key by key with `<!@(kiln print --format gyp --cflags)`. JSON.stringify
 * does the string escaping, which gyp's Python-syntax reader undoes. A newline or CR in any flag,
 * path or define is rejected rather than escaped: the words end up on Makefile lines, where a
 * newline can only be a line continuation.
 */
export function renderGyp(m: Manifest, which?: { cflags: boolean; libs: boolean }): string {
  for (const flag of [...cflagsOf(m), ...libsOf(m)]) {
    if (/[\r\n]/.test(flag)) {
      throw unrepresentable('gyp', 'flag', flag, 'gyp and make take flags one line each');
    }
  }
  const word = /windows/.test(m.target) ? (f: string) => f : forMake;
  if (which && (which.cflags || which.libs)) {
    // gyp splits <!@(...) output with Python's shlex.split: one shell-escaped flag per line.
    const flags = [...(which.cflags ? cflagsOf(m) : []), ...(which.libs ? libsOf(m) : [])];
    return `${flags.map((f) => joinFlags([word(f)])).join('\n')}\n`;
  }
  const apple = /-apple-|darwin/.test(m.target);
  // linkArgs split the gyp way: -L dirs go to library_dirs, the library's own flags and rpaths to
  // ldflags (in linkArgs' order), so nothing is passed twice.
  const libraries = [
    ...m.searchPaths.filter((s) => s.kind === 'framework').map((s) => `-F${s.path}`),
    ...m.libs.flatMap((lib) => libArgs(lib, apple)),
  ];
  const dict = {
    include_dirs: m.includes.map(word),
    defines: m.defines.map((d) => (d.value === undefined ? d.name : `${d.name}=${d.value}`)),
    cflags: m.cflags.map(word),
    libraries: libraries.map(word),
    library_dirs: m.searchPaths.filter((s) => s.kind === 'native').map((s) => word(s.path)),
    ldflags: [...m.ldflags, ...m.rpaths.map((r) => `-Wl,-rpath,${r}`)].map(word),
    ...(apple ? { xcode_settings: { OTHER_CFLAGS: m.cflags, OTHER_LDFLAGS: m.ldflags } } : {}),
  };
  return `${JSON.stringify(dict, null, 2)}\n`;
}
