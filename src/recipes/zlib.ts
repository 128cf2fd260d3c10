import type { Plugin } from '../runner/types.js';
import { lazy } from '../util/zod.js';
import { compileRecipe, generatedDir } from './compile.js';
import { provideHeader, requireDefine, requireFiles, sourcePath } from './layout.js';
import {
  ccRecipeOptionsShape,
  parseRecipeOptions,
  type RecipeSpec,
  recipePlugin,
} from './recipe.js';
import type { CcRecipeOptions, RecipeLibrary } from './types.js';

/** Options of `zlib()`: the common recipe options (`bundled`, `prefer`, `minVersion`, `static`, `defines`, `flags`). */
export type ZlibOptions = CcRecipeOptions;

/** The library sources of a zlib release (its Makefile's OBJZ + OBJG, without contrib/). */
export const ZLIB_SOURCES = [
  'adler32.c',
  'compress.c',
  'crc32.c',
  'deflate.c',
  'gzclose.c',
  'gzlib.c',
  'gzread.c',
  'gzwrite.c',
  'infback.c',
  'inffast.c',
  'inflate.c',
  'inftrees.c',
  'trees.c',
  'uncompr.c',
  'zutil.c',
] as const;

const schema = lazy((z) => z.strictObject(ccRecipeOptionsShape(z)));

const spec: RecipeSpec<ZlibOptions> = {
  name: 'zlib',
  pkgConfig: 'zlib',
  // 1.2.11 (2017) is the oldest release without known CVEs in inflate that distros still ship.
  minVersion: '1.2.11',
  marker: 'zlib.h',
  fetchHint: 'a zlib release from https://zlib.net, e.g. as a git submodule of madler/zlib',
  readVersion: (dir) => ({
    version: requireDefine('zlib', dir, 'zlib.h', 'ZLIB_VERSION'),
    where: 'zlib.h ZLIB_VERSION',
  }),
  async build(ctx, dir, _version, options) {
    requireFiles('zlib', dir, ZLIB_SOURCES);
    const gen = generatedDir(ctx, 'zlib');
    // zlib's CMakeLists renames zconf.h to zconf.h.included in a source tree it configured, and
    // git checkouts of some forks carry only zconf.h.in: either way the header is its copy.
    await provideHeader(ctx, 'zlib', dir, {
      name: 'zconf.h',
      from: 'zconf.h.in',
      generatedDir: gen,
      why: 'zconf.h or zconf.h.in ships with every release',
    });
    const windows = ctx.target.os === 'windows';
    const built = await compileRecipe(
      ctx,
      {
        lib: windows && ctx.target.env === 'msvc' ? 'zlib' : 'z',
        sources: ZLIB_SOURCES.map((f) => sourcePath(ctx, dir, f)),
        includes: [dir.abs, gen],
        publicIncludes: [dir.abs, gen],
        // What zlib's configure finds on any Unix; zconf.h.in reads HAVE_UNISTD_H/HAVE_STDARG_H.
        defines: windows
          ? { _CRT_SECURE_NO_DEPRECATE: true, _CRT_NONSTDC_NO_DEPRECATE: true }
          : { HAVE_UNISTD_H: true, HAVE_STDARG_H: true, _LARGEFILE64_SOURCE: 1 },
      },
      options,
    );
    return { link: built.link, includeDir: dir.abs };
  },
};

/**
 * zlib: the system library (pkg-config `zlib`, 1.2.11 or newer) or the release in `bundled`,
 * built as `libz.a` from its 15 library sources, with `zconf.h` made from `zconf.h.in` when the
 * folder lacks it.
 *
 * Env overrides (beat `prefer`): `KILN_ZLIB_SYSTEM=1` forces the system library,
 * `KILN_ZLIB_BUNDLED=1` forces the bundled build. Emits cfg `zlib_system` or `zlib_bundled` and
 * metadata `zlib_version`, `zlib_source`, `zlib_include`.
 *
 * ```ts
 * import { zlib } from 'kilnjs/recipes';
 * export default defineConfig({ plugins: [addon({ name: 'x', sources: ['src/x.c'], link: [zlib({ bundled: 'deps/zlib' })] })] });
 * ```
 */
export function zlib(options: ZlibOptions = {}): Plugin<RecipeLibrary> {
  return recipePlugin(spec, parseRecipeOptions<ZlibOptions>('zlib', schema, options));
}
