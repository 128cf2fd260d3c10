import type { LinkInfo, LinkLib } from './schema.js';

/**
 * Linker arguments for a library's link info, in one order wherever Kiln writes them (the cc and
 * addon link lines, `kiln print --libs`, `KILN_LIBS`, `.pc` Libs, gyp `libraries`), so what a
 * user copies from `kiln print` links exactly as Kiln's own build did:
 *
 * 1. search paths (`-L`, `-F`), before the libraries they locate;
 * 2. libraries in order, each as {@link libArgs} writes it;
 * 3. the library's own linker flags, right after its libraries as pkg-config prints them
 *    (`-pthread`, `-Wl,--as-needed` apply to what the library brought);
 * 4. rpaths, last: their position changes no symbol resolution.
 *
 * `apple` picks the whole-archive spelling (`-force_load` for ld64).
 */
export function linkArgs(
  info: Pick<LinkInfo, 'libs' | 'searchPaths' | 'ldflags' | 'rpaths'>,
  apple: boolean,
): string[] {
  return [
    ...info.searchPaths.map((sp) => (sp.kind === 'framework' ? `-F${sp.path}` : `-L${sp.path}`)),
    ...info.libs.flatMap((lib) => libArgs(lib, apple)),
    ...info.ldflags,
    ...info.rpaths.map((r) => `-Wl,-rpath,${r}`),
  ];
}

/**
 * One library: `-framework <name>`; a static archive by its file when known (so the linker
 * cannot pick a shared library of the same name), else `-l<name>`; a dylib as `-l<name>`.
 * `wholeArchive` applies to static archives only (it means nothing for a shared library):
 * `--whole-archive … --no-whole-archive` around it, or `-force_load,<file>` on Apple.
 */
export function libArgs(lib: LinkLib, apple: boolean): string[] {
  if (lib.kind === 'framework') return ['-framework', lib.name];
  if (lib.kind !== 'static') return [`-l${lib.name}`];
  const ref = lib.path ?? `-l${lib.name}`;
  if (!lib.wholeArchive) return [ref];
  if (apple) return [`-Wl,-force_load,${lib.path ?? `lib${lib.name}.a`}`];
  return ['-Wl,--whole-archive', ref, '-Wl,--no-whole-archive'];
}
