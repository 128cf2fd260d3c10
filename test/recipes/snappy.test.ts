import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { snappy } from '../../src/recipes/index.js';
import { itWith } from '../support/tools.js';
import { fixturePackage, recipeContext, runProgram } from './support.js';

const test = itWith('gcc', 'g++', 'cmake');
const PROGRAM = `#include <stdio.h>
#include <string.h>
#include <snappy-c.h>
int main(void) {
  const char *text = "kiln";
  char out[64];
  size_t n = sizeof out;
  if (snappy_compress(text, strlen(text), out, &n) != SNAPPY_OK) return 1;
  printf("%zu %.*s\\n", n, (int)n, out);
  return 0;
}
`;

describe('snappy recipe, bundled (stand-in CMake project)', () => {
  test('builds through the cmake plugin with tests and benchmarks off, and a C program links (C++ runtime included)', {
    timeout: 120_000,
  }, async () => {
    const root = fixturePackage('snappy');
    const { ctx, state } = recipeContext(root);
    const lib = await ctx.use(snappy({ bundled: 'deps/snappy', prefer: 'bundled' }));
    expect(lib).toMatchObject({ name: 'snappy', version: '1.1.10', source: 'bundled' });
    const libs = lib.libs.map((l) => `${l.name}:${l.kind}`);
    expect(libs[0]).toBe('snappy:static');
    expect(libs.filter((l) => l === 'stdc++:dylib')).toHaveLength(1);
    expect(existsSync(path.join(lib.includeDir!, 'snappy-c.h'))).toBe(true);
    // Installed under the outDir, not the user's folder.
    expect(lib.libs[0]!.path!.startsWith(ctx.outDir)).toBe(true);
    expect(await runProgram(lib, PROGRAM)).toBe('4 kiln');
    const m = state.manifest.finish({ files: [], env: [] });
    expect(m.cfg).toContainEqual({ name: 'snappy_bundled' });
    expect(m.libs.map((l) => l.name)).toEqual(lib.libs.map((l) => l.name));
  });

  test('a CMakeLists.txt without project(Snappy VERSION ...) is refused', async () => {
    const root = fixturePackage('snappy');
    const file = path.join(root, 'deps/snappy/CMakeLists.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('VERSION 1.1.10 ', ''));
    const { ctx } = recipeContext(root);
    await expect(
      ctx.use(snappy({ bundled: 'deps/snappy', prefer: 'bundled' })),
    ).rejects.toMatchObject({
      code: 'RECIPE_SOURCE_INVALID',
      message: expect.stringContaining('has no project(Snappy VERSION x.y.z)'),
    });
  });

  test('KILN_SNAPPY_BUNDLED=1 with a snappy older than minVersion is refused', async () => {
    const root = fixturePackage('snappy');
    const { ctx } = recipeContext(root, { env: { KILN_SNAPPY_BUNDLED: '1' } });
    await expect(
      ctx.use(snappy({ bundled: 'deps/snappy', minVersion: '1.2.0' })),
    ).rejects.toMatchObject({
      code: 'RECIPE_SOURCE_INVALID',
      message: expect.stringContaining('holds snappy 1.1.10'),
    });
  });
});
