import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { isKilnError, type KilnError } from '../../src/errors.js';
import { zlib } from '../../src/recipes/index.js';
import { ZLIB_SOURCES } from '../../src/recipes/zlib.js';
import { itWith } from '../support/tools.js';
import { fixturePackage, recipeContext, runProgram } from './support.js';

const test = itWith('gcc', 'ar');
/** A PKG_CONFIG_LIBDIR with no .pc files: the system library is "not installed". */
const noSystem = () => ({ PKG_CONFIG_LIBDIR: mkdtempSync(path.join(os.tmpdir(), 'kiln-no-pc-')) });

async function failure(p: Promise<unknown>): Promise<KilnError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isKilnError(e)) throw new Error(`expected a KilnError, got ${String(e)}`);
  return e;
}

describe('zlib recipe, bundled (stand-in sources)', () => {
  test('compiles every library source, generates zconf.h outside the source tree, and links', async () => {
    const root = fixturePackage('zlib');
    const { ctx, state, steps } = recipeContext(root);
    const lib = await ctx.use(zlib({ bundled: 'deps/zlib', prefer: 'bundled' }));

    expect(lib).toMatchObject({ name: 'zlib', version: '1.3.1', source: 'bundled' });
    expect(lib.libs[0]).toMatchObject({ name: 'z', kind: 'static' });
    expect(path.basename(lib.libs[0]!.path!)).toBe('libz.a');
    const compiled = steps()
      .filter((s) => s.startsWith('CC '))
      .map((s) => path.basename(s.slice(3)))
      .sort();
    expect(compiled).toEqual([...ZLIB_SOURCES].sort());
    // zconf.h came from zconf.h.in, into the outDir; the user's folder is untouched.
    const zconf = path.join(ctx.outDir, 'recipes', 'zlib', 'include', 'zconf.h');
    expect(readFileSync(zconf, 'utf8')).toContain('ZFIX_ZCONF_GENERATED');
    expect(existsSync(path.join(root, 'deps/zlib/zconf.h'))).toBe(false);
    expect(lib.includes).toEqual([path.join(root, 'deps/zlib'), path.dirname(zconf)]);

    const out = await runProgram(
      lib,
      '#include <stdio.h>\n#include <zlib.h>\nint main(void){printf("%s %d\\n", zlibVersion(), zfix_count());return 0;}\n',
    );
    expect(out).toBe('1.3.1 15');

    const m = state.manifest.finish({ files: [], env: [] });
    expect(m.cfg).toContainEqual({ name: 'zlib_bundled' });
    expect(m.metadata).toMatchObject({
      zlib_version: '1.3.1',
      zlib_source: 'bundled',
      zlib_include: path.join(root, 'deps/zlib'),
    });
    expect(m.includes).toContain(path.dirname(zconf));
    expect(state.envReads.has('KILN_ZLIB_BUNDLED')).toBe(true);
    expect(state.envReads.has('KILN_ZLIB_SYSTEM')).toBe(true);
    // prefer: 'bundled' never probes pkg-config (no .pc file consulted).
    expect([...state.files].some((f) => f.endsWith('.pc'))).toBe(false);
  });

  test('uses the shipped zconf.h when the folder has one', async () => {
    const root = fixturePackage('zlib');
    const dir = path.join(root, 'deps/zlib');
    writeFileSync(path.join(dir, 'zconf.h'), readFileSync(path.join(dir, 'zconf.h.in')));
    rmSync(path.join(dir, 'zconf.h.in'));
    const { ctx } = recipeContext(root);
    const lib = await ctx.use(zlib({ bundled: 'deps/zlib', prefer: 'bundled' }));
    expect(existsSync(path.join(ctx.outDir, 'recipes', 'zlib', 'include', 'zconf.h'))).toBe(false);
    expect(lib.source).toBe('bundled');
  });

  test('auto falls back to the bundled folder when pkg-config has no zlib', async () => {
    const root = fixturePackage('zlib');
    const { ctx, state } = recipeContext(root, { env: noSystem() });
    const lib = await ctx.use(zlib({ bundled: 'deps/zlib' }));
    expect(lib.source).toBe('bundled');
    expect(state.envReads.has('PKG_CONFIG_LIBDIR')).toBe(true);
  });

  test('KILN_ZLIB_BUNDLED=1 beats prefer: system', async () => {
    const root = fixturePackage('zlib');
    const { ctx } = recipeContext(root, { env: { KILN_ZLIB_BUNDLED: '1' } });
    const lib = await ctx.use(zlib({ bundled: 'deps/zlib', prefer: 'system' }));
    expect(lib.source).toBe('bundled');
  });
});

describe('zlib recipe, choosing and refusing', () => {
  test('auto takes the system zlib when pkg-config finds it recent enough', async () => {
    const root = fixturePackage('zlib');
    const { ctx, state, steps } = recipeContext(root);
    const lib = await ctx.use(zlib({ bundled: 'deps/zlib' }));
    expect(lib.source).toBe('system');
    expect(lib.libs).toEqual([{ name: 'z', kind: 'dylib' }]);
    expect(steps().filter((s) => s.startsWith('CC '))).toEqual([]);
    expect(state.manifest.finish({ files: [], env: [] }).cfg).toContainEqual({
      name: 'zlib_system',
    });
  });

  test('auto builds the bundled folder when the system zlib is older than minVersion', async () => {
    const root = fixturePackage('zlib');
    const { ctx } = recipeContext(root);
    const lib = await ctx.use(zlib({ bundled: 'deps/zlib', minVersion: '1.3.0' }));
    // Debian's zlib1g-dev is 1.2.13; the stand-in folder says 1.3.1.
    expect(lib).toMatchObject({ source: 'bundled', version: '1.3.1' });
  });

  test('KILN_ZLIB_SYSTEM=1 beats prefer: bundled', async () => {
    const root = fixturePackage('zlib');
    const { ctx } = recipeContext(root, { env: { KILN_ZLIB_SYSTEM: 'true' } });
    const lib = await ctx.use(zlib({ bundled: 'deps/zlib', prefer: 'bundled' }));
    expect(lib.source).toBe('system');
  });

  test('KILN_ZLIB_BUNDLED=0 is off', async () => {
    const root = fixturePackage('zlib');
    const { ctx } = recipeContext(root, { env: { KILN_ZLIB_BUNDLED: '0' } });
    expect((await ctx.use(zlib({ bundled: 'deps/zlib' }))).source).toBe('system');
  });

  test('forced system with no zlib on the search path is the pkg-config error, with the way out', async () => {
    const root = fixturePackage('zlib');
    const { ctx } = recipeContext(root, { env: noSystem() });
    const e = await failure(ctx.use(zlib({ bundled: 'deps/zlib', prefer: 'system' })));
    expect(e.code).toBe('PKG_NOT_FOUND');
    expect(e.message).toContain('zlib');
    expect(e.hint).toContain("prefer: 'system'");
  });

  test('auto without a bundled folder and without a system zlib says how to bundle it', async () => {
    const root = fixturePackage();
    const { ctx } = recipeContext(root, { env: noSystem() });
    const e = await failure(ctx.use(zlib()));
    expect(e.code).toBe('PKG_NOT_FOUND');
    expect(e.hint).toContain("zlib({ bundled: 'deps/zlib' })");
  });

  test.each([
    [{ KILN_ZLIB_SYSTEM: '1', KILN_ZLIB_BUNDLED: '1' }, {}, 'both set'],
    [{ KILN_ZLIB_BUNDLED: '1' }, {}, 'KILN_ZLIB_BUNDLED is set but no bundled folder'],
    [{}, { prefer: 'bundled' as const }, "prefer is 'bundled' but no bundled folder"],
  ])('refuses %j with options %j: %s', async (env, options, message) => {
    const root = fixturePackage();
    const { ctx } = recipeContext(root, { env });
    const e = await failure(ctx.use(zlib(options)));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain(message);
  });

  test('an unknown option is CONFIG_INVALID naming it', () => {
    expect(() => zlib({ bundle: 'deps/zlib' } as never)).toThrow(/zlib\(options\).*"bundle"/);
  });

  test('a folder that is not zlib names the folder, zlib.h and what to do', async () => {
    const root = fixturePackage('zstd');
    const { ctx } = recipeContext(root);
    const e = await failure(ctx.use(zlib({ bundled: 'deps/zstd', prefer: 'bundled' })));
    expect(e.code).toBe('RECIPE_SOURCE_INVALID');
    expect(e.message).toContain(path.join(root, 'deps/zstd'));
    expect(e.message).toContain('no zlib.h');
    expect(e.hint).toContain('submodule');
  });

  test('a missing folder is named', async () => {
    const root = fixturePackage();
    const { ctx } = recipeContext(root);
    const e = await failure(ctx.use(zlib({ bundled: 'deps/nope', prefer: 'bundled' })));
    expect(e.code).toBe('RECIPE_SOURCE_INVALID');
    expect(e.message).toContain(`${path.join(root, 'deps/nope')} does not exist`);
  });

  test('a folder lacking a library source names the file', async () => {
    const root = fixturePackage('zlib');
    renameSync(path.join(root, 'deps/zlib/inflate.c'), path.join(root, 'deps/zlib/inflate.c.bak'));
    const { ctx } = recipeContext(root);
    const e = await failure(ctx.use(zlib({ bundled: 'deps/zlib', prefer: 'bundled' })));
    expect(e.code).toBe('RECIPE_SOURCE_INVALID');
    expect(e.message).toContain('lacks inflate.c');
  });

  test('a bundled zlib older than the minimum is refused with its version and where it came from', async () => {
    const root = fixturePackage('zlib');
    const header = path.join(root, 'deps/zlib/zlib.h');
    writeFileSync(header, readFileSync(header, 'utf8').replace('"1.3.1"', '"1.2.8"'));
    const { ctx } = recipeContext(root);
    const e = await failure(ctx.use(zlib({ bundled: 'deps/zlib', prefer: 'bundled' })));
    expect(e.code).toBe('RECIPE_SOURCE_INVALID');
    expect(e.message).toContain(
      'holds zlib 1.2.8 (from zlib.h ZLIB_VERSION), older than the 1.2.11',
    );
    expect(e.hint).toContain("minVersion: '1.2.8'");
  });
});
