import { linkArgs } from '../link-args.js';
import type { Manifest } from '../schema.js';

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

/** Linker flags, in the order the build's own link line has them (see linkArgs). */
export function libsOf(m: Manifest, options: FlagOptions = {}): string[] {
  return linkArgs(m, options.apple ?? /-apple-|darwin/.test(m.target));
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
