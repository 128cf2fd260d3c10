import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { libpng, snappy, sqlite, zlib, zstd } from '../../src/recipes/index.js';
import type { RecipeLibrary } from '../../src/recipes/types.js';
import type { Plugin } from '../../src/runner/types.js';
import { itWith } from '../support/tools.js';
import { fixturePackage, recipeContext, runProgram } from './support.js';

// The Debian -dev packages of the CI image (zlib1g-dev, libpng-dev, libsqlite3-dev, libzstd-dev,
// libsnappy-dev) are the system libraries; pkgconf is only used to cross-check the version.
const test = itWith('gcc', 'pkgconf');

const modversion = async (pc: string) => (await execa('pkgconf', ['--modversion', pc])).stdout;

interface Case {
  name: string;
  pc: string;
  plugin: () => Plugin<RecipeLibrary>;
  lib: string;
  program: string;
  output: (version: string) => string;
}

const CASES: Case[] = [
  {
    name: 'zlib',
    pc: 'zlib',
    plugin: () => zlib({ prefer: 'system' }),
    lib: 'z',
    program: `#include <stdio.h>
#include <string.h>
#include <zlib.h>
int main(void) {
  const char *text = "kiln kiln kiln kiln kiln";
  unsigned char packed[128], back[128];
  uLongf n = sizeof packed, m = sizeof back;
  if (compress(packed, &n, (const Bytef *)text, strlen(text) + 1) != Z_OK) return 1;
  if (uncompress(back, &m, packed, n) != Z_OK) return 2;
  printf("%s %s\\n", zlibVersion(), back);
  return 0;
}
`,
    output: (v) => `${v} kiln kiln kiln kiln kiln`,
  },
  {
    name: 'libpng',
    pc: 'libpng',
    plugin: () => libpng(),
    lib: 'png16',
    program: `#include <stdio.h>
#include <png.h>
int main(void) {
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  if (!p) return 1;
  printf("%s\\n", png_get_libpng_ver(p));
  png_destroy_write_struct(&p, NULL);
  return 0;
}
`,
    output: (v) => v,
  },
  {
    name: 'sqlite',
    pc: 'sqlite3',
    plugin: () => sqlite({ prefer: 'system' }),
    lib: 'sqlite3',
    program: `#include <stdio.h>
#include <sqlite3.h>
static int row(void *u, int n, char **v, char **c) { (void)u; (void)n; (void)c; printf("%s\\n", v[0]); return 0; }
int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  printf("%s\\n", sqlite3_libversion());
  if (sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (41); SELECT x + 1 FROM t;", row, 0, 0) != SQLITE_OK) return 2;
  sqlite3_close(db);
  return 0;
}
`,
    output: (v) => `${v}\n42`,
  },
  {
    name: 'zstd',
    pc: 'libzstd',
    plugin: () => zstd({ prefer: 'system' }),
    lib: 'zstd',
    program: `#include <stdio.h>
#include <string.h>
#include <zstd.h>
int main(void) {
  const char *text = "kiln kiln kiln kiln kiln";
  char packed[256], back[64];
  size_t n = ZSTD_compress(packed, sizeof packed, text, strlen(text) + 1, 3);
  if (ZSTD_isError(n)) return 1;
  size_t m = ZSTD_decompress(back, sizeof back, packed, n);
  if (ZSTD_isError(m)) return 2;
  printf("%s %s\\n", ZSTD_versionString(), back);
  return 0;
}
`,
    output: (v) => `${v} kiln kiln kiln kiln kiln`,
  },
  {
    name: 'snappy',
    pc: 'snappy',
    plugin: () => snappy({ prefer: 'system' }),
    lib: 'snappy',
    program: `#include <stdio.h>
#include <string.h>
#include <snappy-c.h>
int main(void) {
  const char *text = "kiln kiln kiln kiln kiln";
  char packed[256], back[64];
  size_t n = sizeof packed, m = sizeof back;
  if (snappy_compress(text, strlen(text) + 1, packed, &n) != SNAPPY_OK) return 1;
  if (snappy_uncompress(packed, n, back, &m) != SNAPPY_OK) return 2;
  printf("%s\\n", back);
  return 0;
}
`,
    output: () => 'kiln kiln kiln kiln kiln',
  },
];

describe('recipes, system libraries through pkg-config', () => {
  test.each(CASES.map((c) => [c.name, c] as const))(
    '%s: found, recorded in the manifest, and a program linked against it runs',
    async (name, c) => {
      const root = fixturePackage();
      const { ctx, state, steps } = recipeContext(root);
      const lib = await ctx.use(c.plugin());
      const version = await modversion(c.pc);
      expect(lib).toMatchObject({ name, source: 'system', version });
      expect(lib.libs.map((l) => l.name)).toContain(c.lib);
      expect(steps()).toEqual([]);
      const m = state.manifest.finish({ files: [], env: [] });
      expect(m.cfg).toContainEqual({ name: `${name}_system` });
      expect(m.metadata).toMatchObject({
        [`${name}_version`]: version,
        [`${name}_source`]: 'system',
      });
      expect(m.libs.map((l) => l.name)).toContain(c.lib);
      // The .pc files consulted are inputs of the build.
      expect([...state.files].some((f) => f.endsWith(`${c.pc}.pc`))).toBe(true);
      expect(await runProgram(lib, c.program)).toBe(c.output(version));
    },
  );

  test('a minVersion newer than the system library is the pkg-config version error', async () => {
    const root = fixturePackage();
    const { ctx } = recipeContext(root);
    await expect(ctx.use(zstd({ prefer: 'system', minVersion: '99.0' }))).rejects.toMatchObject({
      code: 'PKG_VERSION_MISMATCH',
      message: expect.stringContaining('libzstd'),
    });
  });
});
