import type { Manifest } from '../schema.js';
import { cflagsOf, libsOf } from './flags.js';

/**
 * A `.gypi`-style dictionary (JSON is valid gyp syntax) that `binding.gyp` can take through
 * `'includes'`, or read key by key with `<!@(kiln print --format gyp --cflags)`.
 */
export function renderGyp(m: Manifest, which?: { cflags: boolean; libs: boolean }): string {
  if (which && (which.cflags || which.libs)) {
    // gyp's <!@(...) splits the output on whitespace: one flag per line keeps paths with spaces whole.
    const flags = [...(which.cflags ? cflagsOf(m) : []), ...(which.libs ? libsOf(m) : [])];
    return `${flags.join('\n')}\n`;
  }
  const apple = /-apple-|darwin/.test(m.target);
  const libraries = libsOf(m, { apple }).filter(
    (f) => !f.startsWith('-L') && !f.startsWith('-Wl,-rpath'),
  );
  const dict = {
    include_dirs: m.includes,
    defines: m.defines.map((d) => (d.value === undefined ? d.name : `${d.name}=${d.value}`)),
    cflags: m.cflags,
    libraries,
    library_dirs: m.searchPaths.filter((s) => s.kind === 'native').map((s) => s.path),
    ldflags: [...m.rpaths.map((r) => `-Wl,-rpath,${r}`), ...m.ldflags],
    ...(apple ? { xcode_settings: { OTHER_CFLAGS: m.cflags, OTHER_LDFLAGS: m.ldflags } } : {}),
  };
  return `${JSON.stringify(dict, null, 2)}\n`;
}
