import type { Manifest } from '../schema.js';
import { cflagsOf, joinFlags, libsOf } from './flags.js';
import { unrepresentable } from './reject.js';

/**
 * gyp's Makefile generator (node-gyp on Linux and macOS) writes `cflags`, `libraries`,
 * `ldflags`, `include_dirs` and `library_dirs` into the Makefile unquoted, and make hands them to
 * the shell: a space or shell character inside a path must already be escaped there, and `$` must
 * be `$$` for make. The MSVS generator quotes arguments itself, so Windows manifests are left as is.
 */
function forMake(flag: string): string {
  return flag.replace(/([\s'\\`()&;|<>*?[\]#~])/g, '\\$1').replace(/\$/g, '$$$$');
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
  const libraries = libsOf(m, { apple }).filter(
    (f) => !f.startsWith('-L') && !f.startsWith('-Wl,-rpath'),
  );
  const dict = {
    include_dirs: m.includes.map(word),
    defines: m.defines.map((d) => (d.value === undefined ? d.name : `${d.name}=${d.value}`)),
    cflags: m.cflags.map(word),
    libraries: libraries.map(word),
    library_dirs: m.searchPaths.filter((s) => s.kind === 'native').map((s) => word(s.path)),
    ldflags: [...m.rpaths.map((r) => `-Wl,-rpath,${r}`), ...m.ldflags].map(word),
    ...(apple ? { xcode_settings: { OTHER_CFLAGS: m.cflags, OTHER_LDFLAGS: m.ldflags } } : {}),
  };
  return `${JSON.stringify(dict, null, 2)}\n`;
}
