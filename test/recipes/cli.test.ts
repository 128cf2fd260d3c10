import { cpSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import type { Manifest } from '../../src/manifest/schema.js';
import { kiln, makePackage } from '../support/package.js';
import { itWith } from '../support/tools.js';
import { RECIPE_FIXTURES, testEnv } from './support.js';

const test = itWith('gcc', 'ar', 'pkgconf');

const CONFIG = `import { addon, defineConfig } from 'kilnjs';
import { sqlite, zlib } from 'kilnjs/recipes';

export default defineConfig({
  plugins: [
    addon({
      name: 'versions',
      sources: ['src/versions.c'],
      link: [sqlite({ prefer: 'system' }), zlib({ bundled: 'deps/zlib' })],
    }),
  ],
});
`;

const ADDON = `#include <stdio.h>
#include <node_api.h>
#include <sqlite3.h>
#include <zlib.h>

static napi_value versions(napi_env env, napi_callback_info info) {
  (void)info;
  char buf[256];
  snprintf(buf, sizeof buf, "sqlite %s zlib %s", sqlite3_libversion(), zlibVersion());
  napi_value out;
  napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &out);
  return out;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "versions", NAPI_AUTO_LENGTH, versions, NULL, &fn);
  napi_set_named_property(env, exports, "versions", fn);
  return exports;
}
`;

async function manifest(root: string, env: NodeJS.ProcessEnv): Promise<Manifest> {
  const r = await kiln(root, ['print', '--format', 'json'], { env });
  expect(r.exitCode, r.all).toBe(0);
  return JSON.parse(r.stdout) as Manifest;
}

async function callAddon(root: string): Promise<string> {
  const file = path.join(root, 'build', 'Release', 'versions.node');
  const r = await execa(process.execPath, [
    '-e',
    `process.stdout.write(require(${JSON.stringify(file)}).versions())`,
  ]);
  return r.stdout;
}

describe('recipes from a build.config.ts through the kiln CLI (kilnjs/recipes)', () => {
  test('links an addon against the system SQLite and zlib; KILN_ZLIB_BUNDLED=1 switches zlib to the bundled build', {
    timeout: 180_000,
  }, async () => {
    const root = makePackage({ 'build.config.ts': CONFIG, 'src/versions.c': ADDON });
    cpSync(path.join(RECIPE_FIXTURES, 'zlib'), path.join(root, 'deps', 'zlib'), {
      recursive: true,
    });
    const sqliteVersion = (await execa('pkgconf', ['--modversion', 'sqlite3'])).stdout;
    const env = testEnv();

    const first = await kiln(root, ['build'], { env });
    expect(first.exitCode, first.all).toBe(0);
    expect(first.all).not.toMatch(/CC\s+deps\/zlib/);
    let m = await manifest(root, env);
    expect(m.cfg).toEqual(
      expect.arrayContaining([{ name: 'sqlite_system' }, { name: 'zlib_system' }]),
    );
    expect(m.metadata).toMatchObject({ sqlite_version: sqliteVersion, sqlite_source: 'system' });
    expect(m.inputs.env).toEqual(
      expect.arrayContaining(['KILN_ZLIB_BUNDLED', 'KILN_SQLITE_SYSTEM']),
    );
    expect(await callAddon(root)).toMatch(
      new RegExp(`^sqlite ${sqliteVersion.replaceAll('.', '\\.')} zlib \\S+$`),
    );

    const fresh = await kiln(root, ['build'], { env });
    expect(fresh.exitCode, fresh.all).toBe(0);
    expect(fresh.all).toMatch(/Fresh/);

    // The env override is a tracked input: setting it reruns the build, now with the bundled zlib.
    const bundledEnv = { ...env, KILN_ZLIB_BUNDLED: '1' };
    const switched = await kiln(root, ['build'], { env: bundledEnv });
    expect(switched.exitCode, switched.all).toBe(0);
    expect(switched.all).toMatch(/Dirty.*KILN_ZLIB_BUNDLED/);
    expect(switched.all).toMatch(/CC\s+deps\/zlib\/deflate\.c/);
    m = await manifest(root, bundledEnv);
    expect(m.cfg).toContainEqual({ name: 'zlib_bundled' });
    expect(m.cfg).not.toContainEqual({ name: 'zlib_system' });
    expect(m.metadata).toMatchObject({ zlib_version: '1.3.1', zlib_source: 'bundled' });
    expect(m.libs.find((l) => l.name === 'z')).toMatchObject({ kind: 'static' });
    // Hidden visibility: the addon calls its own static zlib, not the one the node binary exports.
    expect(await callAddon(root)).toBe(`sqlite ${sqliteVersion} zlib 1.3.1`);
  });
});
