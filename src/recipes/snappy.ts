import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';
import type { LinkInfo } from '../manifest/schema.js';
import { cmake } from '../plugins/cmake/index.js';
import type { Plugin } from '../runner/types.js';
import { isApple } from '../target/triple.js';
import { lazy } from '../util/zod.js';
import { requireFiles, type SourceDir } from './layout.js';
import { parseRecipeOptions, type RecipeSpec, recipeOptionsShape, recipePlugin } from './recipe.js';
import type { RecipeLibrary, RecipeOptions } from './types.js';

export interface SnappyOptions extends RecipeOptions {
  /** Extra CMake cache entries for the bundled build (`{ SNAPPY_REQUIRE_AVX2: true }`), over the recipe's. Default: none. */
  cmakeDefines?: Record<string, string | number | boolean>;
}

const schema = lazy((z) =>
  z.strictObject({
    ...recipeOptionsShape(z),
    cmakeDefines: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }),
);

/** Snappy declares its version only in CMakeLists.txt: `project(Snappy VERSION 1.1.10 ...)`. */
export function readSnappyVersion(dir: SourceDir): { version: string; where: string } {
  const file = path.join(dir.abs, 'CMakeLists.txt');
  const m = /project\s*\(\s*Snappy\s+VERSION\s+([0-9][0-9.]*)/i.exec(readFileSync(file, 'utf8'));
  if (!m) {
    throw new KilnError(
      'RECIPE_SOURCE_INVALID',
      `snappy({ bundled: '${dir.given}' }): cannot read the version: ${file} has no project(Snappy VERSION x.y.z)`,
      { hint: 'Use an unmodified snappy release; its CMakeLists.txt declares the version.' },
    );
  }
  return { version: m[1]!, where: 'CMakeLists.txt project(Snappy VERSION)' };
}

const spec: RecipeSpec<SnappyOptions> = {
  name: 'snappy',
  pkgConfig: 'snappy',
  // 1.1.8 (2020) is the first release whose CMake project installs a usable static library on every OS.
  minVersion: '1.1.8',
  marker: 'snappy.h',
  fetchHint: 'a release of https://github.com/google/snappy (the folder holding CMakeLists.txt)',
  readVersion: readSnappyVersion,
  async build(ctx, dir, _version, options) {
    requireFiles('snappy', dir, ['CMakeLists.txt', 'snappy.cc']);
    const project = await ctx.use(
      cmake({
        source: path.relative(ctx.packageRoot, dir.abs) || '.',
        name: 'snappy',
        targets: ['snappy'],
        defines: {
          // The tests and benchmarks need git submodules (googletest, benchmark) a release lacks.
          SNAPPY_BUILD_TESTS: false,
          SNAPPY_BUILD_BENCHMARKS: false,
          SNAPPY_INSTALL: true,
          BUILD_SHARED_LIBS: false,
          ...options.cmakeDefines,
        },
      }),
    );
    const link: LinkInfo = {
      libs: [...project.libs],
      searchPaths: project.searchPaths,
      includes: project.includes,
      defines: project.defines,
      cflags: project.cflags,
      ldflags: project.ldflags,
      rpaths: project.rpaths,
    };
    // A static C++ library needs the C++ runtime at a C link. CMake's link line usually names it
    // (from CMAKE_CXX_IMPLICIT_LINK_LIBRARIES); when it does not, add it as cc-rs would.
    const runtime = isApple(ctx.target) ? 'c++' : 'stdc++';
    const hasStatic = link.libs.some((l) => l.kind === 'static');
    if (ctx.target.env !== 'msvc' && hasStatic && !link.libs.some((l) => l.name === runtime)) {
      const extra = { name: runtime, kind: 'dylib' } as const;
      link.libs.push(extra);
      ctx.emit({ type: 'link-lib', ...extra });
    }
    return { link, includeDir: project.includes[0] ?? path.join(project.installDir, 'include') };
  },
};

/**
 * Snappy (C++): the system library (pkg-config `snappy`, 1.1.8 or newer) or the release in
 * `bundled`, built through its own CMake project by the cmake plugin, with tests and benchmarks
 * off and a static library installed under the outDir. Includes `snappy-c.h` for C callers.
 *
 * Env overrides (beat `prefer`): `KILN_SNAPPY_SYSTEM=1`, `KILN_SNAPPY_BUNDLED=1`. Emits cfg
 * `snappy_system` or `snappy_bundled` and metadata `snappy_version`, `snappy_source`, `snappy_include`.
 */
export function snappy(options: SnappyOptions = {}): Plugin<RecipeLibrary> {
  return recipePlugin(spec, parseRecipeOptions<SnappyOptions>('snappy', schema, options));
}
