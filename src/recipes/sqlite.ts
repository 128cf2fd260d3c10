import { compareVersions } from '../pkgconf/version.js';
import type { Plugin } from '../runner/types.js';
import { lazy } from '../util/zod.js';
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
export interface SqliteOptions extends CcRecipeOptions {
  /**
   * Also apply SQLite's recommended compile-time options that change behaviour
   * ({@link SQLITE_RECOMMENDED}: no double-quoted strings, no deprecated or shared-cache APIs,
   * ...). Code written against a stock SQLite (`sqlite3_trace`, shared cache, `"string"`
   * literals) then breaks. Default: false.
   */
  recommended?: boolean;
}

const schema = lazy((z) =>
  z.strictObject({ ...ccRecipeOptionsShape(z), recommended: z.boolean().optional() }),
);

/**
 * What SQLite's own `configure` enables when run without options
 * (https://sqlite.org/compile.html, the autoconf/autosetup tarball): serialized threading, FTS3/4
 * (FTS4 includes FTS3), FTS5, R*Tree and the math functions. JSON is built in since 3.38.0 and
 * needed SQLITE_ENABLE_JSON1 before. Nothing here omits an API or changes what SQL means.
 */
const UPSTREAM: RecipeDefines = {
  SQLITE_THREADSAFE: 1,
  SQLITE_ENABLE_FTS4: true,
  SQLITE_ENABLE_FTS5: true,
  SQLITE_ENABLE_RTREE: true,
  SQLITE_ENABLE_MATH_FUNCTIONS: true,
};

/** Added by Kiln beyond `configure`'s defaults (and logged): only adds API, never removes. */
const ADDED: RecipeDefines = {
  // sqlite3_column_table_name() and friends, which addons exposing result metadata call.
  SQLITE_ENABLE_COLUMN_METADATA: true,
};

/**
 * SQLite's recommended options (https://sqlite.org/compile.html#recommended_compile_time_options)
 * that keep threading on; with `recommended: true` only, since they remove APIs
 * (`sqlite3_trace`, shared cache) and change how SQL is read (`"x"` is never a string).
 */
export const SQLITE_RECOMMENDED: Readonly<RecipeDefines> = {
  SQLITE_DQS: 0,
  SQLITE_DEFAULT_MEMSTATUS: 0,
  SQLITE_DEFAULT_WAL_SYNCHRONOUS: 1,
  SQLITE_LIKE_DOESNT_MATCH_BLOBS: true,
  SQLITE_OMIT_DEPRECATED: true,
  SQLITE_OMIT_SHARED_CACHE: true,
};

/**
 * The compile-time options for a bundled amalgamation: the upstream `configure` defaults, plus
 * column metadata, plus {@link SQLITE_RECOMMENDED} when asked for.
 */
export function sqliteDefines(
  version: string,
  os: string,
  options: { recommended?: boolean | undefined } = {},
): RecipeDefines {
  const defines: RecipeDefines = {
    ...UPSTREAM,
    ...ADDED,
    ...(options.recommended ? SQLITE_RECOMMENDED : {}),
  };
  if (compareVersions(version, '3.38.0') < 0) defines.SQLITE_ENABLE_JSON1 = true;
  if (os !== 'windows') {
    // What configure detects on every supported Unix; the amalgamation alone has no such step.
    defines.HAVE_USLEEP = 1;
    defines.HAVE_LOCALTIME_R = 1;
    defines.HAVE_GMTIME_R = 1;
  }
  return defines;
}

/** The defines of {@link sqliteDefines} that SQLite's own build would not set. */
function nonUpstream(defines: RecipeDefines): string[] {
  return Object.keys(defines).filter((k) => k in ADDED || k in SQLITE_RECOMMENDED);
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
        defines: sqliteDefines(version, ctx.target.os, options),
        nonDefault: nonUpstream(sqliteDefines(version, ctx.target.os, options)),
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
 * (`sqlite3.c` + `sqlite3.h`) in `bundled`, built as `libsqlite3.a` with {@link sqliteDefines}:
 * what SQLite's `configure` builds by default; `recommended: true` adds {@link SQLITE_RECOMMENDED}.
 *
 * Env overrides (beat `prefer`): `KILN_SQLITE_SYSTEM=1`, `KILN_SQLITE_BUNDLED=1`. Emits cfg
 * `sqlite_system` or `sqlite_bundled` and metadata `sqlite_version`, `sqlite_source`, `sqlite_include`.
 */
export function sqlite(options: SqliteOptions = {}): Plugin<RecipeLibrary> {
  return recipePlugin(spec, parseRecipeOptions<SqliteOptions>('sqlite', schema, options));
}
