import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from '../runner/types.js';
import type { Triple } from '../target/triple.js';
import { lazy } from '../util/zod.js';
import { compileRecipe, unixLibs } from './compile.js';
import { cFilesIn, requireDefine, type SourceDir, sourcePath } from './layout.js';
import {
  ccRecipeOptionsShape,
  parseRecipeOptions,
  type RecipeSpec,
  recipePlugin,
} from './recipe.js';
import type { CcRecipeOptions, RecipeDefines, RecipeLibrary } from './types.js';

/** Options of `zstd()`: the common recipe options. */
export type ZstdOptions = CcRecipeOptions;

const schema = lazy((z) => z.strictObject(ccRecipeOptionsShape(z)));

/** The x86-64 Huffman decoder loop, in GNU assembler syntax (zstd 1.5.1 and later). */
export const ZSTD_ASM = 'lib/decompress/huf_decompress_amd64.S';
const PARTS = ['lib/common', 'lib/compress', 'lib/decompress'] as const;
/**
 * The decoders of old frame formats that zstd's Makefile and CMake build by default
 * (`ZSTD_LEGACY_SUPPORT=5`: v0.5 and later). A trimmed copy without `lib/legacy` gets 0 instead.
 */
const LEGACY = ['lib/legacy/zstd_v05.c', 'lib/legacy/zstd_v06.c', 'lib/legacy/zstd_v07.c'];

/**
 * The files of a zstd release to compile for a target, relative to the release folder, and the
 * defines that go with them. The `.S` decoder is GNU assembly in the System V ABI: x86-64 only,
 * and not for Windows (zstd's own build skips it there). Everywhere else, and for releases
 * without it, `ZSTD_DISABLE_ASM` makes the C code take its portable path instead of
 * referencing the assembly symbol.
 */
export function zstdFiles(
  dir: string,
  target: Pick<Triple, 'arch' | 'os'>,
): { sources: string[]; asm: boolean; defines: RecipeDefines } {
  const sources = PARTS.flatMap((part) =>
    cFilesIn(path.join(dir, part)).map((f) => `${part}/${f}`),
  );
  const asm =
    target.arch === 'x86_64' && target.os !== 'windows' && existsSync(path.join(dir, ZSTD_ASM));
  if (asm) sources.push(ZSTD_ASM);
  return { sources, asm, defines: asm ? {} : { ZSTD_DISABLE_ASM: 1 } };
}

function readZstdVersion(dir: SourceDir): { version: string; where: string } {
  const part = (n: string) => requireDefine('zstd', dir, 'lib/zstd.h', `ZSTD_VERSION_${n}`);
  return {
    version: `${part('MAJOR')}.${part('MINOR')}.${part('RELEASE')}`,
    where: 'lib/zstd.h ZSTD_VERSION_MAJOR/MINOR/RELEASE',
  };
}

const spec: RecipeSpec<ZstdOptions> = {
  name: 'zstd',
  pkgConfig: 'libzstd',
  // 1.4.0 (2019) made the advanced compression API stable (ZSTD_compress2, ZSTD_CCtx_setParameter).
  minVersion: '1.4.0',
  marker: 'lib/zstd.h',
  fetchHint:
    'a release of https://github.com/facebook/zstd (the repository root, which holds lib/)',
  readVersion: readZstdVersion,
  async build(ctx, dir, _version, options) {
    const files = zstdFiles(dir.abs, ctx.target);
    const unix = ctx.target.os !== 'windows';
    const legacy = LEGACY.filter((f) => existsSync(path.join(dir.abs, f)));
    const built = await compileRecipe(
      ctx,
      {
        lib: 'zstd',
        sources: [...files.sources, ...legacy].map((f) => sourcePath(ctx, dir, f)),
        includes: [
          path.join(dir.abs, 'lib'),
          path.join(dir.abs, 'lib/common'),
          ...(legacy.length > 0 ? [path.join(dir.abs, 'lib/legacy')] : []),
        ],
        publicIncludes: [path.join(dir.abs, 'lib')],
        defines: {
          ...files.defines,
          // As zstd's Makefile: a private xxhash copy that cannot clash with another one in the process.
          XXH_NAMESPACE: 'ZSTD_',
          ZSTD_LEGACY_SUPPORT: legacy.length > 0 ? 5 : 0,
          ...(unix ? { ZSTD_MULTITHREAD: true } : {}),
        },
        nonDefault: legacy.length > 0 ? [] : ['ZSTD_LEGACY_SUPPORT'],
        systemLibs: unixLibs(ctx, ['pthread']),
      },
      options,
    );
    return { link: built.link, includeDir: path.join(dir.abs, 'lib') };
  },
};

/**
 * Zstandard: the system library (pkg-config `libzstd`, 1.4.0 or newer) or the release in
 * `bundled` (the folder holding `lib/`), built as `libzstd.a` from `lib/common`, `lib/compress`
 * and `lib/decompress`, with the assembly Huffman decoder on x86-64 (not Windows) and
 * `ZSTD_DISABLE_ASM` elsewhere. Multithreaded compression is on off Windows.
 *
 * Env overrides (beat `prefer`): `KILN_ZSTD_SYSTEM=1`, `KILN_ZSTD_BUNDLED=1`. Emits cfg
 * `zstd_system` or `zstd_bundled` and metadata `zstd_version`, `zstd_source`, `zstd_include`.
 */
export function zstd(options: ZstdOptions = {}): Plugin<RecipeLibrary> {
  return recipePlugin(spec, parseRecipeOptions<ZstdOptions>('zstd', schema, options));
}
