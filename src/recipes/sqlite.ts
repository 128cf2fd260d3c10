import { z } from 'zod';
import { compareVersions } from '../plugins/pkg-config/version.js';
import type { Plugin } from '../runner/types.js';
import { compileRecipe, unixLibs } from './compile.js';
import { requireDefine, requireFiles, sourcePath } from './layout.js';
import {
  ccRecipeOptionsShape,
  parseRecipeOptions,
  type RecipeSpec,
  recipePlugin,
} from './recipe.js';
import type { CcRecipeOptions, RecipeDefines, RecipeLibrary } from './types.js';

/** Options of `sqlite()`: the common recipe options; `defines` adds to or removes from {@link sqliteDefines}. */
export type SqliteOptions = CcRecipeOptions;

const schema = z.strictObject(ccRecipeOptionsShape);

/**
 * The compile-time options for a bundled amalgamation: SQLite's own recommendations
 * (https://sqlite.org/compile.html#recommended_compile_time_options) that do not change the SQL
 * an application may use, plus the features packages commonly expect (FTS5, R*Tree, math
 * functions, column metadata). JSON is built in since 3.38.0 and needed SQLITE_ENABLE_JSON1 before.
 */
export function sqliteDefines(version: string, os: string): RecipeDefines {
  const defines: RecipeDefines = {
    // Double-quoted string literals are a misfeature SQLite advises against.
    SQLITE_DQS: 0,
    // Serialized threading: a Node addon may be used from worker threads.
    SQLITE_THREADSAFE: 1,
    SQLITE_DEFAULT_MEMSTATUS: 0,
    SQLITE_DEFAULT_WAL_SYNCHRONOUS: 1,
    SQLITE_LIKE_DOESNT_MATCH_BLOBS: true,
    SQLITE_OMIT_DEPRECATED: true,
    SQLITE_OMIT_SHARED_CACHE: true,
    SQLITE_USE_URI: 1,
    SQLITE_ENABLE_FTS5: true,
    SQLITE_ENABLE_RTREE: true,
    SQLITE_ENABLE_MATH_FUNCTIONS: true,
    SQLITE_ENABLE_COLUMN_METADATA: true,
  };
  if (compareVersions(version, '3.38.0') < 0) defines.SQLITE_ENABLE_JSON1 = true;
  if (os !== 'windows') {
    // The amalgamation has no configure step; these are true on every supported Unix.
    defines.HAVE_USLEEP = 1;
    defines.HAVE_LOCALTIME_R = 1;
    defines.HAVE_GMTIME_R = 1;
  }
  return defines;
}

const spec: RecipeSpec<SqliteOptions> = {
  name: 'sqlite',
  pkgConfig: 'sqlite3',
  // 3.35 (2021): RETURNING, ALTER TABLE DROP COLUMN, math functions; what current Debian/Ubuntu LTS ship or exceed.
  minVersion: '3.35.0',
  marker: 'sqlite3.h',
  fetchHint:
    'the "amalgamation" zip from https://sqlite.org/download.html: sqlite3.c and sqlite3.h',
  readVersion: (dir) => ({
    version: requireDefine('sqlite', dir, 'sqlite3.h', 'SQLITE_VERSION'),
    where: 'sqlite3.h SQLITE_VERSION',
  }),
  async build(ctx, dir, version, options) {
    requireFiles('sqlite', dir, ['sqlite3.c']);
    const built = await compileRecipe(
      ctx,
      {
        lib: 'sqlite3',
        sources: [sourcePath(ctx, dir, 'sqlite3.c')],
        includes: [dir.abs],
        publicIncludes: [dir.abs],
        defines: sqliteDefines(version, ctx.target.os),
        // What sqlite3.pc lists in Libs.private for a threadsafe build with extension loading.
        systemLibs: unixLibs(ctx, ['m', 'dl', 'pthread']),
      },
      options,
    );
    return { link: built.link, includeDir: dir.abs };
  },
};

/**
 * SQLite: the system library (pkg-config `sqlite3`, 3.35.0 or newer) or the amalgamation
 * (`sqlite3.c` + `sqlite3.h`) in `bundled`, built as `libsqlite3.a` with {@link sqliteDefines}.
 *
 * Env overrides (beat `prefer`): `KILN_SQLITE_SYSTEM=1`, `KILN_SQLITE_BUNDLED=1`. Emits cfg
 * `sqlite_system` or `sqlite_bundled` and metadata `sqlite_version`, `sqlite_source`, `sqlite_include`.
 */
export function sqlite(options: SqliteOptions = {}): Plugin<RecipeLibrary> {
  return recipePlugin(spec, parseRecipeOptions<SqliteOptions>('sqlite', schema, options));
}
