/** Building a recipe's bundled sources with the cc plugin, the way the `*-sys` crates do. */
import path from 'node:path';
import type { LinkInfo, LinkLib } from '../manifest/schema.js';
import { type CcLibrary, cc } from '../plugins/cc/index.js';
import type { BuildContext } from '../runner/types.js';
import type { CcRecipeOptions, RecipeDefines } from './types.js';

export interface RecipeCompile {
  /** Library name as the linker sees it (`z` gives `libz.a`, the file name the system copy has). */
  lib: string;
  /** Sources, relative to the package root. */
  sources: string[];
  /** Include directories for compiling (absolute). */
  includes: string[];
  /** Include directories dependents need (absolute). */
  publicIncludes: string[];
  defines: RecipeDefines;
  /** Names in `defines` the library's own build would not set; logged so a build says how it differs. */
  nonDefault?: string[];
  /** System libraries the static archive needs at the final link (`m`, `pthread`). */
  systemLibs?: string[];
  /** Libraries this one is linked against, placed after it (a static link resolves left to right). */
  deps?: LinkInfo[];
}

export interface CompiledRecipe {
  link: LinkInfo;
  library: CcLibrary;
}

/** Where a recipe writes the headers it generates (`zconf.h`, `pnglibconf.h`). */
export function generatedDir(ctx: BuildContext, recipe: string): string {
  return path.join(ctx.outDir, 'recipes', recipe, 'include');
}

/**
 * Compiles the recipe into a static archive. Third-party code builds with warnings off (its
 * warnings are not the user's to fix) and, off Windows, hidden visibility: Node itself exports
 * zlib, and a bundled copy inside an addon must not bind to (or be bound by) the host's symbols.
 */
export async function compileRecipe(
  ctx: BuildContext,
  spec: RecipeCompile,
  options: CcRecipeOptions,
): Promise<CompiledRecipe> {
  const msvc = ctx.target.env === 'msvc';
  const changed = [...(spec.nonDefault ?? []), ...Object.keys(options.defines ?? {})];
  if (changed.length > 0) {
    const merged: RecipeDefines = { ...spec.defines, ...options.defines };
    const shown = changed.map((k) => (merged[k] === false ? `-U${k}` : defineText(k, merged[k])));
    ctx.log.info(`${spec.lib}: non-default defines: ${[...new Set(shown)].join(' ')}`);
  }
  const library = await ctx.use(
    cc({
      name: spec.lib,
      sources: spec.sources,
      includes: spec.includes,
      defines: { ...spec.defines, ...options.defines },
      warnings: 'off',
      flags: [...(msvc ? [] : ['-fvisibility=hidden']), ...(options.flags ?? [])],
    }),
  );
  const deps = spec.deps ?? [];
  const sysLibs: LinkLib[] = (spec.systemLibs ?? []).map((name) => ({ name, kind: 'dylib' }));
  // cc emitted the archive; dependents also need the headers and the system libraries.
  const extra: LinkInfo = {
    libs: sysLibs,
    searchPaths: [],
    includes: spec.publicIncludes,
    defines: [],
    cflags: [],
    ldflags: [],
    rpaths: [],
  };
  ctx.emitLink(extra);
  const link: LinkInfo = {
    libs: [...library.libs, ...deps.flatMap((d) => d.libs), ...sysLibs],
    searchPaths: [...library.searchPaths, ...deps.flatMap((d) => d.searchPaths)],
    includes: unique([...spec.publicIncludes, ...deps.flatMap((d) => d.includes)]),
    defines: deps.flatMap((d) => d.defines),
    cflags: deps.flatMap((d) => d.cflags),
    ldflags: [...library.ldflags, ...deps.flatMap((d) => d.ldflags)],
    rpaths: [...library.rpaths, ...deps.flatMap((d) => d.rpaths)],
  };
  return { link, library };
}

/** Unix targets link libm/libpthread explicitly; Apple and Windows have them in their C runtime. */
export function unixLibs(ctx: BuildContext, libs: string[]): string[] {
  const os = ctx.target.os;
  return os === 'windows' || os === 'darwin' || os === 'ios' ? [] : libs;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function defineText(name: string, value: RecipeDefines[string] | undefined): string {
  return value === true || value === null || value === undefined
    ? `-D${name}`
    : `-D${name}=${value}`;
}
