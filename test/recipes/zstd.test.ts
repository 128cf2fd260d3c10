import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zstd } from '../../src/recipes/index.js';
import { ZSTD_ASM, zstdFiles } from '../../src/recipes/zstd.js';
import { parseTriple } from '../../src/target/triple.js';
import { itWith } from '../support/tools.js';
import { fixturePackage, RECIPE_FIXTURES, recipeContext, runProgram } from './support.js';

const test = itWith('gcc', 'ar');
const FIXTURE = path.join(RECIPE_FIXTURES, 'zstd');
const C_SOURCES = [
  'lib/common/error_private.c',
  'lib/common/xxhash.c',
  'lib/common/zstd_common.c',
  'lib/compress/huf_compress.c',
  'lib/compress/zstd_compress.c',
  'lib/decompress/huf_decompress.c',
  'lib/decompress/zstd_decompress.c',
];

describe('zstdFiles', () => {
  it.each([
    ['x86_64-unknown-linux-gnu', true],
    ['x86_64-unknown-linux-musl', true],
    ['x86_64-apple-darwin', true],
    ['x86_64-pc-windows-msvc', false],
    ['x86_64-pc-windows-gnu', false],
    ['aarch64-unknown-linux-gnu', false],
    ['aarch64-apple-darwin', false],
    ['i686-unknown-linux-gnu', false],
  ])('%s: assembly decoder %s', (triple, asm) => {
    const files = zstdFiles(FIXTURE, parseTriple(triple));
    expect(files.asm).toBe(asm);
    expect(files.sources).toEqual(asm ? [...C_SOURCES, ZSTD_ASM] : C_SOURCES);
    expect(files.defines).toEqual(asm ? {} : { ZSTD_DISABLE_ASM: 1 });
  });

  it('a release without the .S (before 1.5.1) disables the assembly on x86-64 too', () => {
    const root = fixturePackage('zstd');
    rmSync(path.join(root, 'deps/zstd', ZSTD_ASM));
    const files = zstdFiles(path.join(root, 'deps/zstd'), parseTriple('x86_64-unknown-linux-gnu'));
    expect(files).toMatchObject({ asm: false, defines: { ZSTD_DISABLE_ASM: 1 } });
  });
});

describe('zstd recipe, bundled (stand-in sources)', () => {
  test('compiles lib/common, compress, decompress (+ the .S on x86-64), not dictBuilder, and links', async () => {
    const root = fixturePackage('zstd');
    const { ctx, state, steps } = recipeContext(root);
    const lib = await ctx.use(zstd({ bundled: 'deps/zstd', prefer: 'bundled' }));
    expect(lib).toMatchObject({ name: 'zstd', version: '1.5.6', source: 'bundled' });
    expect(lib.includes).toEqual([path.join(root, 'deps/zstd/lib')]);
    const x86 = ctx.target.arch === 'x86_64';
    const compiled = steps()
      .filter((s) => / deps\/zstd\//.test(s))
      .map((s) => s.replace(/^\S+ deps\/zstd\//, ''))
      .sort();
    expect(compiled).toEqual(x86 ? [...C_SOURCES, ZSTD_ASM].sort() : C_SOURCES);
    const out = await runProgram(
      lib,
      '#include <stdio.h>\n#include <zstd.h>\nint main(void){printf("%u %d %d\\n", ZSTD_versionNumber(), zstdfix_count(), zstdfix_uses_asm());return 0;}\n',
    );
    expect(out).toBe(`10506 7 ${x86 ? 1 : 0}`);
    expect(lib.libs.map((l) => l.name)).toEqual(['zstd', 'pthread']);
    expect(state.manifest.finish({ files: [], env: [] }).metadata.zstd_include).toBe(
      path.join(root, 'deps/zstd/lib'),
    );
  });

  test('a folder without lib/zstd.h is refused, naming it', async () => {
    const root = fixturePackage('zlib');
    const { ctx } = recipeContext(root);
    await expect(ctx.use(zstd({ bundled: 'deps/zlib', prefer: 'bundled' }))).rejects.toMatchObject({
      code: 'RECIPE_SOURCE_INVALID',
      message: expect.stringContaining('is not a zstd source folder (no lib/zstd.h)'),
    });
  });
});

describe('zstd recipe, cross to aarch64', () => {
  itWith(
    'aarch64-linux-gnu-gcc',
    'aarch64-linux-gnu-ar',
    'qemu-aarch64',
  )(
    'compiles no .S, defines ZSTD_DISABLE_ASM, and the program takes the C path under qemu',
    async () => {
      const target = 'aarch64-unknown-linux-gnu';
      const root = fixturePackage('zstd');
      const { ctx, steps } = recipeContext(root, { target });
      const lib = await ctx.use(zstd({ bundled: 'deps/zstd', prefer: 'bundled' }));
      const compiled = steps()
        .filter((s) => / deps\/zstd\//.test(s))
        .map((s) => s.replace(/^\S+ deps\/zstd\//, ''))
        .sort();
      expect(compiled).toEqual(C_SOURCES);
      // compile_commands.json records the exact argv of each compile.
      const db = JSON.parse(
        readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'),
      ) as {
        file: string;
        arguments: string[];
      }[];
      expect(db).toHaveLength(C_SOURCES.length);
      for (const entry of db) {
        expect(path.basename(entry.arguments[0]!)).toBe('aarch64-linux-gnu-gcc');
        expect(entry.arguments).toContain('-DZSTD_DISABLE_ASM=1');
      }
      const out = await runProgram(
        lib,
        '#include <stdio.h>\n#include <zstd.h>\nint main(void){printf("%u %d %d\\n", ZSTD_versionNumber(), zstdfix_count(), zstdfix_uses_asm());return 0;}\n',
        { target },
      );
      expect(out).toBe('10506 7 0');
    },
  );
});
