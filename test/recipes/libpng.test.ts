import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { libpng, zlib } from '../../src/recipes/index.js';
import { LIBPNG_SOURCES, libpngArchFiles } from '../../src/recipes/libpng.js';
import { itWith } from '../support/tools.js';
import { fixturePackage, RECIPE_FIXTURES, recipeContext, runProgram } from './support.js';

const test = itWith('gcc', 'ar');
const PROGRAM =
  '#include <stdio.h>\n#include <png.h>\nint main(void){printf("%s %s %d\\n", png_get_libpng_ver(0), pngfix_zlib_version(), pngfix_count());return 0;}\n';
const compiledIn = (steps: string[], folder: string) =>
  steps
    .filter((s) => s.startsWith('CC ') && s.includes(`deps/${folder}/`))
    .map((s) => s.slice(s.indexOf(`deps/${folder}/`) + `deps/${folder}/`.length))
    .sort();

describe('libpngArchFiles', () => {
  const dir = path.join(RECIPE_FIXTURES, 'libpng');
  it.each([
    ['x86_64', ['intel/intel_init.c', 'intel/filter_sse2_intrinsics.c'], { PNG_INTEL_SSE_OPT: 1 }],
    ['i686', ['intel/intel_init.c', 'intel/filter_sse2_intrinsics.c'], { PNG_INTEL_SSE_OPT: 1 }],
    [
      'aarch64',
      ['arm/arm_init.c', 'arm/filter_neon_intrinsics.c', 'arm/palette_neon_intrinsics.c'],
      {},
    ],
    ['riscv64gc', [], { PNG_ARM_NEON_OPT: 0 }],
  ])('%s: %j', (arch, sources, defines) => {
    const files = libpngArchFiles(dir, { arch });
    expect(files.sources).toEqual(sources);
    expect(files.defines).toMatchObject(defines);
  });

  it('a release without the SIMD folders builds the portable filters only', () => {
    const files = libpngArchFiles(path.join(RECIPE_FIXTURES, 'zlib'), { arch: 'x86_64' });
    expect(files).toEqual({
      sources: [],
      defines: { PNG_ARM_NEON_OPT: 0, PNG_POWERPC_VSX_OPT: 0, PNG_MIPS_MSA_OPT: 0 },
    });
  });
});

describe('libpng recipe, bundled (stand-in sources)', () => {
  test('with a bundled zlib: every source compiled, pnglibconf.h copied, zlib linked after libpng', async () => {
    const root = fixturePackage('libpng', 'zlib');
    const { ctx, state, steps } = recipeContext(root);
    const z = zlib({ bundled: 'deps/zlib', prefer: 'bundled' });
    const png = await ctx.use(libpng({ bundled: 'deps/libpng', prefer: 'bundled', zlib: z }));
    // The same zlib used again (as an addon's `link` would) is not rebuilt.
    const again = await ctx.use(z);

    expect(png).toMatchObject({ name: 'libpng', version: '1.6.43', source: 'bundled' });
    expect(png.libs.map((l) => l.name)).toEqual(['png', 'z', 'm']);
    expect(png.includes).toContain(path.join(root, 'deps/zlib'));
    expect(again.source).toBe('bundled');
    const x86 = ctx.target.arch === 'x86_64';
    const simd = libpngArchFiles(path.join(root, 'deps/libpng'), ctx.target).sources;
    expect(compiledIn(steps(), 'libpng')).toEqual([...LIBPNG_SOURCES, ...simd].sort());
    expect(compiledIn(steps(), 'zlib')).toHaveLength(15);
    const conf = path.join(ctx.outDir, 'recipes', 'libpng', 'include', 'pnglibconf.h');
    expect(readFileSync(conf, 'utf8')).toContain('PNGFIX_LIBCONF_COPIED');
    expect(existsSync(path.join(root, 'deps/libpng/pnglibconf.h'))).toBe(false);

    expect(await runProgram(png, PROGRAM)).toBe(`1.6.43 1.3.1 ${x86 || simd.length ? 16 : 15}`);
    const m = state.manifest.finish({ files: [], env: [] });
    expect(m.cfg).toEqual(
      expect.arrayContaining([{ name: 'libpng_bundled' }, { name: 'zlib_bundled' }]),
    );
    expect(m.metadata).toMatchObject({ libpng_version: '1.6.43', zlib_version: '1.3.1' });
  });

  test('with the default zlib(): the system zlib', async () => {
    const root = fixturePackage('libpng');
    const { ctx } = recipeContext(root);
    const png = await ctx.use(libpng({ bundled: 'deps/libpng', prefer: 'bundled' }));
    const systemZlib = (await execa('pkgconf', ['--modversion', 'zlib'])).stdout;
    expect(png.libs.map((l) => `${l.name}:${l.kind}`)).toEqual([
      'png:static',
      'z:dylib',
      'm:dylib',
    ]);
    expect((await runProgram(png, PROGRAM)).split(' ').slice(0, 2)).toEqual(['1.6.43', systemZlib]);
  });

  test('a folder without png.h is refused naming the folder and png.h', async () => {
    const root = fixturePackage('zlib');
    const { ctx } = recipeContext(root);
    await expect(
      ctx.use(libpng({ bundled: 'deps/zlib', prefer: 'bundled' })),
    ).rejects.toMatchObject({
      code: 'RECIPE_SOURCE_INVALID',
      message: expect.stringContaining(
        `${path.join(root, 'deps/zlib')} is not a libpng source folder (no png.h)`,
      ),
    });
  });

  itWith(
    'aarch64-linux-gnu-gcc',
    'aarch64-linux-gnu-ar',
    'qemu-aarch64',
  )(
    'cross to aarch64: the NEON files instead of the SSE2 ones, and it runs under qemu',
    async () => {
      const target = 'aarch64-unknown-linux-gnu';
      const root = fixturePackage('libpng', 'zlib');
      const { ctx, steps } = recipeContext(root, { target });
      const z = zlib({ bundled: 'deps/zlib', prefer: 'bundled' });
      const png = await ctx.use(libpng({ bundled: 'deps/libpng', prefer: 'bundled', zlib: z }));
      const compiled = compiledIn(steps(), 'libpng');
      expect(compiled.filter((f) => f.includes('/'))).toEqual([
        'arm/arm_init.c',
        'arm/filter_neon_intrinsics.c',
        'arm/palette_neon_intrinsics.c',
      ]);
      expect(await runProgram(png, PROGRAM, { target })).toBe('1.6.43 1.3.1 16');
    },
  );
});
