import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editDistance } from '../../src/util/suggest.js';
import { kiln, makePackage, writeFile } from '../support/package.js';

const config = (imports: string, plugins: string): Record<string, string> => ({
  'build.config.ts': `${imports}\nexport default defineConfig({ plugins: [${plugins}] as never });\n`,
});
const KILN = "import { addon, cc, cmake, defineConfig, pkgConfig } from 'kilnjs';";
const RECIPES =
  "import { defineConfig } from 'kilnjs';\nimport { sqlite, zlib } from 'kilnjs/recipes';";

describe('plugin and recipe options are checked', () => {
  it.each([
    [
      KILN,
      "pkgConfig('zlib', { verison: '>=1' })",
      'pkgConfig(options): unknown option "verison" (did you mean "version"?)',
    ],
    [
      KILN,
      "pkgConfig('zlib', { optinal: true })",
      'pkgConfig(options): unknown option "optinal" (did you mean "optional"?)',
    ],
    [
      KILN,
      "pkgConfig('zlib', { version: 9 })",
      'pkgConfig(options).version: expected string, received number',
    ],
    [KILN, "pkgConfig('zlib', { mode: 'system' })", 'pkgConfig(options).mode:'],
    [
      KILN,
      "cc({ name: 'x', sourcse: 'a.c' })",
      'cc(options): unknown option "sourcse" (did you mean "sources"?)',
    ],
    [KILN, "cc({ name: 'x', sources: 'a.c', warnings: 'loud' })", 'cc(options).warnings:'],
    [
      KILN,
      "addon({ name: 'x', sources: 'a.c', napiVersoin: 8 })",
      'addon(options): unknown option "napiVersoin" (did you mean "napiVersion"?)',
    ],
    [
      KILN,
      "cmake({ source: 'vendor', defnies: {} })",
      'cmake(options): unknown option "defnies" (did you mean "defines"?)',
    ],
    [
      RECIPES,
      "sqlite({ bundeld: 'deps/sqlite' })",
      'sqlite(options): unknown option "bundeld" (did you mean "bundled"?)',
    ],
    [RECIPES, "zlib({ prefer: 'vendored' })", 'zlib(options).prefer:'],
  ])('%s: %s', async (imports, plugins, message) => {
    const r = await kiln(makePackage(config(imports, plugins)), ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).toMatch(/hint: .* accepts: /);
  });

  it('suggests nothing for a key that is not a near miss', async () => {
    const r = await kiln(makePackage(config(KILN, "pkgConfig('zlib', { colour: 'red' })")), [
      'build',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown option "colour"\n');
    expect(r.stderr).toContain(
      'hint: pkgConfig accepts: version, static, optional, mode, defineVariables.',
    );
  });

  it('a sources glob that matches nothing is a config error (exit 2)', async () => {
    const root = makePackage(config(KILN, "cc({ name: 'x', sources: 'csrc/*.c' })"));
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('cc(options).sources: "csrc/*.c" matches no file');
  });
});

describe('near misses elsewhere', () => {
  it('suggests the command for a misspelt one', async () => {
    const r = await kiln(makePackage({}), ['biuld']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown command "biuld" (did you mean "build"?)');
  });

  it('suggests the flag for a misspelt one', async () => {
    const r = await kiln(makePackage({}), ['build', '--relase']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown option --relase (did you mean --release?)');
  });

  it('suggests the .pc module on the search path for a misspelt library', async () => {
    const root = makePackage(config(KILN, "pkgConfig('zlb')"));
    writeFile(
      root,
      'pc dir/zlib.pc',
      'Name: zlib\nDescription: zlib\nVersion: 1.3\nLibs: -lz\nCflags:\n',
    );
    const r = await kiln(root, ['build'], {
      env: {
        PKG_CONFIG_PATH: path.join(root, 'pc dir'),
        PKG_CONFIG_LIBDIR: path.join(root, 'pc dir'),
      },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      'pkg-config library zlb was not found (did you mean "zlib"? zlib.pc is on the search path)',
    );
  });

  it('names a misspelt kilnjs export and the closest one', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { ccc, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [ccc({ name: 'x', sources: 'a.c' })] });\n",
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      'error: build.config.ts:1: kilnjs has no export "ccc" (did you mean "cc"?)',
    );
    expect(r.stderr).not.toContain('_kilnjs');
  });

  it('says to install kilnjs when the config cannot find it', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [] });\n",
    });
    const { rmSync } = await import('node:fs');
    rmSync(path.join(root, 'node_modules', 'kilnjs'));
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('build.config.ts imports kilnjs, but kilnjs is not installed');
    expect(r.stderr).toContain('npm i -D kilnjs');
    expect(r.stderr).not.toContain('Require stack');
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('biuld', 'build')).toBe(1);
    expect(editDistance('relase', 'release')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
