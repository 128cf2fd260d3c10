import type { LinkLib, Manifest } from '../schema.js';

export interface FlagOptions {
  /** Target OS decides the whole-archive spelling; defaults to the manifest's target. */
  apple?: boolean;
}

/** Compiler flags: -I, -D, then extra cflags, in manifest order. */
export function cflagsOf(m: Manifest): string[] {
  return [
    ...m.includes.map((dir) => `-I${dir}`),
    ...m.defines.map((d) => (d.value === undefined ? `-D${d.name}` : `-D${d.name}=${d.value}`)),
    ...m.cflags,
  ];
}

/** Linker flags: search paths, libraries in order, rpaths, then extra ldflags. */
export function libsOf(m: Manifest, options: FlagOptions = {}): string[] {
  const apple = options.apple ?? /-apple-|darwin/.test(m.target);
  return [
    ...m.searchPaths.map((sp) => (sp.kind === 'framework' ? `-F${sp.path}` : `-L${sp.path}`)),
    ...m.libs.flatMap((lib) => libFlags(lib, apple)),
    ...m.rpaths.map((rp) => `-Wl,-rpath,${rp}`),
    ...m.ldflags,
  ];
}

export function libFlags(lib: LinkLib, apple: boolean): string[] {
  if (lib.kind === 'framework') return ['-framework', lib.name];
  if (lib.kind === 'static') {
    const file = lib.path ?? `-l${lib.name}`;
    if (!lib.wholeArchive) return [file];
    if (apple) return [`-Wl,-force_load,${lib.path ?? `lib${lib.name}.a`}`];
    return ['-Wl,--whole-archive', file, '-Wl,--no-whole-archive'];
  }
  return [`-l${lib.name}`];
}

/**
 * Joins flags for a command line the way pkg-config prints them: words separated by spaces,
 * with spaces and shell metacharacters inside a flag escaped by backslashes, so a shell reading
 * the text (`eval`, a make recipe) or splitShellWords gives back exactly the flags, and nothing
 * in a flag can end the word or run a command. A backslash before a newline is a line
 * continuation to a shell, so a flag holding a newline is single-quoted instead (quotes keep
 * it), and an empty flag is written `''` so it stays a word.
 */
export function joinFlags(flags: readonly string[]): string {
  return flags.map(shellWord).join(' ');
}

function shellWord(flag: string): string {
  if (flag === '' || flag.includes('\n')) return `'${flag.replaceAll("'", `'\\''`)}'`;
  return flag.replace(/([\s"'\\$`()&;|<>*?[\]#~{}!])/g, '\\$1');
}

export function renderFlags(m: Manifest, which: { cflags: boolean; libs: boolean }): string {
  const out = [...(which.cflags ? cflagsOf(m) : []), ...(which.libs ? libsOf(m) : [])];
  return `${joinFlags(out)}\n`;
}
