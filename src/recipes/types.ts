import type { LinkInfo } from '../manifest/schema.js';

/** Where a recipe's library came from. */
export type RecipeSource = 'system' | 'bundled';

/**
 * Which copy of the library to use: `system` (pkg-config only; a miss is the pkg-config error),
 * `bundled` (build the folder given in `bundled`; never probes the system) or `auto` (the system
 * library when pkg-config finds it at `minVersion` or newer, else the bundled folder).
 */
export type RecipePreference = 'system' | 'bundled' | 'auto';

/**
 * What every recipe returns: link info usable in `link: [...]` of the cc and addon plugins,
 * plus what was chosen. The shape is the same whichever way the library was obtained.
 */
export interface RecipeLibrary extends LinkInfo {
  /** The recipe's name: `zlib`, `sqlite`, `libpng`, `zstd`, `snappy`. */
  name: string;
  /** The library's version: the `.pc` file's `Version:`, or read from the bundled headers. */
  version: string;
  source: RecipeSource;
  /** The directory holding the library's public header (`zlib.h`, `sqlite3.h`, ...), when known. */
  includeDir: string | undefined;
}

/** Preprocessor defines: `{ NAME: true }` gives `-DNAME`, `{ NAME: 3 }` gives `-DNAME=3`, `false` removes a recipe default. */
export type RecipeDefines = Record<string, string | number | boolean | null>;

/** Options every recipe accepts. */
export interface RecipeOptions {
  /**
   * The library's sources inside the package, relative to the package root (`'deps/zlib'`).
   * Needed for a bundled build; without it only the system library can be used.
   * Default: none.
   */
  bundled?: string;
  /** `auto` (default), `system` or `bundled`; the `KILN_<LIB>_SYSTEM` / `KILN_<LIB>_BUNDLED` env vars override it. */
  prefer?: RecipePreference;
  /** Oldest acceptable version, for the system library and the bundled folder alike. Default: per recipe. */
  minVersion?: string;
  /** Link the system library statically (pkg-config `--static`). Default: from `<LIB>_STATIC` env, else dynamic. */
  static?: boolean;
}

/** Options of the recipes that compile their sources with the cc plugin. */
export interface CcRecipeOptions extends RecipeOptions {
  /** Defines for the bundled build, merged over the recipe's own (`false` removes one). Default: none. */
  defines?: RecipeDefines;
  /** Extra compiler flags for the bundled build. Default: none. */
  flags?: string[];
}
