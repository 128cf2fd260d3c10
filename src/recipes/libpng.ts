import { existsSync } from 'node:fs';
import path from 'node:path';
import { linkableSchema } from '../config/options.js';
import { KilnError } from '../errors.js';
import type { LinkInfo } from '../manifest/schema.js';
import { resolveLinkable } from '../runner/linkable.js';
import type { BuildContext, Linkable, Plugin } from '../runner/types.js';
import type { Triple } from '../target/triple.js';
import { lazy } from '../util/zod.js';
import { compileRecipe, generatedDir, unixLibs } from './compile.js';
import { provideHeader, requireDefine, requireFiles, sourcePath } from './layout.js';
import {
  ccRecipeOptionsShape,
  parseRecipeOptions,
  type RecipeSpec,
  recipePlugin,
} from './recipe.js';
import type { CcRecipeOptions, RecipeDefines, RecipeLibrary } from './types.js';
import { zlib } from './zlib.js';

export interface LibpngOptions extends CcRecipeOptions {
  /**
   * The zlib libpng links against (a recipe, a `pkgConfig('zlib')`, a cc result, ...).
   * Default: `zlib()` (the system zlib; pass `zlib({ bundled: ... })` to build one).
   */
  zlib?: Linkable;
}

/** libpng's library sources (its CMakeLists' `libpng_sources`, without the per-arch files). */
export const LIBPNG_SOURCES = [
  'png.c',
  'pngerror.c',
  'pngget.c',
  'pngmem.c',
  'pngpread.c',
  'pngread.c',
  'pngrio.c',
  'pngrtran.c',
  'pngrutil.c',
  'pngset.c',
  'pngtrans.c',
  'pngwio.c',
  'pngwrite.c',
  'pngwtran.c',
  'pngwutil.c',
] as const;

const INTEL = ['intel/intel_init.c', 'intel/filter_sse2_intrinsics.c'];
const ARM = ['arm/arm_init.c', 'arm/filter_neon_intrinsics.c', 'arm/palette_neon_intrinsics.c'];

/**
 * The SIMD filter files for a target and the defines that select them. pngpriv.h turns NEON on
 * by itself wherever the compiler targets it (so on ARM the files are required, or NEON must be
 * turned off explicitly); SSE2 is opt-in (PNG_INTEL_SSE_OPT), which libpng's CMake turns on by
 * default. Releases without the folders build the portable filters only.
 */
export function libpngArchFiles(
  dir: string,
  target: Pick<Triple, 'arch'>,
): { sources: string[]; defines: RecipeDefines } {
  const have = (files: string[]) => files.every((f) => existsSync(path.join(dir, f)));
  const x86 = target.arch === 'x86_64' || target.arch === 'i686';
  const arm = target.arch === 'aarch64' || target.arch.startsWith('arm');
  if (x86 && have(INTEL))
    return { sources: INTEL, defines: { PNG_INTEL_SSE_OPT: 1, PNG_ARM_NEON_OPT: 0 } };
  if (arm && have(ARM)) return { sources: ARM, defines: {} };
  return {
    sources: [],
    defines: { PNG_ARM_NEON_OPT: 0, PNG_POWERPC_VSX_OPT: 0, PNG_MIPS_MSA_OPT: 0 },
  };
}

const schema = lazy((z) =>
  z.strictObject({
    ...ccRecipeOptionsShape(z),
    zlib: linkableSchema.optional(),
  }),
);

async function resolveZlib(ctx: BuildContext, input: Linkable | undefined): Promise<LinkInfo> {
  const info = await resolveLinkable(ctx, input ?? zlib());
  if (info) return info;
  // An optional pkgConfig that found nothing: libpng cannot be built without zlib.
  throw new KilnError('PKG_NOT_FOUND', 'libpng(options).zlib: the zlib plugin found no library', {
    hint: 'Give libpng a zlib that is always there: zlib() from kilnjs/recipes with a bundled copy, or a non-optional pkgConfig("zlib").',
  });
}

const spec: RecipeSpec<LibpngOptions> = {
  name: 'libpng',
  pkgConfig: 'libpng',
  // 1.6.0 (2013) is the current API series; 1.5 and older differ in png_struct access.
  minVersion: '1.6.0',
  marker: 'png.h',
  fetchHint: 'a libpng 1.6 release from http://www.libpng.org/pub/png/libpng.html',
  readVersion: (dir) => ({
    version: requireDefine('libpng', dir, 'png.h', 'PNG_LIBPNG_VER_STRING'),
    where: 'png.h PNG_LIBPNG_VER_STRING',
  }),
  async build(ctx, dir, _version, options) {
    requireFiles('libpng', dir, LIBPNG_SOURCES);
    const gen = generatedDir(ctx, 'libpng');
    // A release has pnglibconf.h only after configure/CMake; the prebuilt copy is the default configuration.
    await provideHeader(ctx, 'libpng', dir, {
      name: 'pnglibconf.h',
      from: 'scripts/pnglibconf.h.prebuilt',
      generatedDir: gen,
      why: 'scripts/pnglibconf.h.prebuilt ships with every 1.6 release',
    });
    const zlibLink = await resolveZlib(ctx, options.zlib);
    const arch = libpngArchFiles(dir.abs, ctx.target);
    const built = await compileRecipe(
      ctx,
      {
        lib: 'png',
        sources: [...LIBPNG_SOURCES, ...arch.sources].map((f) => sourcePath(ctx, dir, f)),
        includes: [dir.abs, gen, ...zlibLink.includes],
        publicIncludes: [dir.abs, gen],
        defines: arch.defines,
        systemLibs: unixLibs(ctx, ['m']),
        deps: [zlibLink],
      },
      options,
    );
    return { link: built.link, includeDir: dir.abs };
  },
};

/**
 * libpng: the system library (pkg-config `libpng`, 1.6.0 or newer) or the release in `bundled`,
 * built as `libpng.a` with `pnglibconf.h` from `scripts/pnglibconf.h.prebuilt` when missing, the
 * SSE2/NEON filters where the target has them, and linked against `options.zlib`. The result
 * lists zlib after libpng, as a static link needs.
 *
 * Env overrides (beat `prefer`): `KILN_LIBPNG_SYSTEM=1`, `KILN_LIBPNG_BUNDLED=1`. Emits cfg
 * `libpng_system` or `libpng_bundled` and metadata `libpng_version`, `libpng_source`, `libpng_include`.
 */
export function libpng(options: LibpngOptions = {}): Plugin<RecipeLibrary> {
  return recipePlugin(spec, parseRecipeOptions<LibpngOptions>('libpng', schema, options));
}
