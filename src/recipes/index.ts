/**
 * `kilnjs/recipes`: ready-made build steps for well-known C libraries. Each uses the system
 * library through pkg-config when it is there and recent enough, else builds the sources the
 * package bundles, and returns the same typed {@link RecipeLibrary} either way.
 *
 * ```ts
 * import { defineConfig } from 'kilnjs';
 * import { zlib } from 'kilnjs/recipes';
 * export default defineConfig({ plugins: [zlib({ bundled: 'deps/zlib' })] });
 * ```
 */
export { type LibpngOptions, libpng } from './libpng.js';
export { type SnappyOptions, snappy } from './snappy.js';
export { SQLITE_RECOMMENDED, type SqliteOptions, sqlite, sqliteDefines } from './sqlite.js';
export type {
  CcRecipeOptions,
  RecipeDefines,
  RecipeLibrary,
  RecipeOptions,
  RecipePreference,
  RecipeSource,
} from './types.js';
export { type ZlibOptions, zlib } from './zlib.js';
export { type ZstdOptions, zstd } from './zstd.js';
