import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { kiln } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { addonPackage, CRC32_HELLO, probeAddon } from './support.js';

const it = itWith('cc', 'c++', 'cmake');

describe('addon: builds and loads Node-API addons over cc, pkg-config and cmake libraries', () => {
  it('builds a C addon that calls a cc static lib, zlib and a CMake shared lib, and survives a move', async () => {
    const root = addonPackage({ source: 'native/c/binding.c' });
    const first = await kiln(root, ['build']);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.all).toMatch(/LINK\s+build\/kiln\/.*\/addon\/binding\/binding\.node/);

    const addonFile = path.join(root, 'build', 'Release', 'binding.node');
    expect(existsSync(addonFile)).toBe(true);
    expect(await probeAddon(root)).toEqual({
      add: 42,
      greeting: 'hello from core',
      crc32: CRC32_HELLO,
      roundTrip: 'round and round',
      scale: 70,
      kitName: 'kit (shared, cmake)',
    });
    // The CMake library travels with the addon, its soname chain intact, found through $ORIGIN.
    expect(existsSync(path.join(root, 'build', 'Release', 'libaddonkit.so.1'))).toBe(true);
    const dyn = await execa('readelf', ['-d', addonFile], { reject: false });
    if (dyn.exitCode === 0) {
      expect(dyn.stdout).toMatch(/R(UN)?PATH.*\[\$ORIGIN\]/);
      expect(dyn.stdout).not.toContain(root);
    }

    // Move the whole package: the build folder's absolute paths are gone, $ORIGIN still works.
    const moved = `${root}-moved`;
    renameSync(root, moved);
    const again = await probeAddon(moved, path.join(moved, 'build', 'Release', 'binding.node'));
    expect(again.scale).toBe(70);
    expect(again.crc32).toBe(CRC32_HELLO);
  });

  it('is fresh on a no-change rebuild and relinks when the static library changes', async () => {
    const root = addonPackage({ source: 'native/c/binding.c' });
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const addonFile = path.join(root, 'build', 'Release', 'binding.node');
    const before = readFileSync(addonFile);

    const fresh = await kiln(root, ['build']);
    expect(fresh.exitCode, fresh.all).toBe(0);
    expect(fresh.all).toMatch(/Fresh/);
    expect(fresh.all).not.toMatch(/LINK|CC /);

    const add = path.join(root, 'native', 'core', 'src', 'add.c');
    writeFileSync(add, readFileSync(add, 'utf8').replace('return a + b;', 'return a + b + 1000;'));
    const changed = await kiln(root, ['build']);
    expect(changed.exitCode, changed.all).toBe(0);
    expect(changed.all).toMatch(/Dirty.*add\.c/);
    expect(changed.all).toMatch(/CC\s+native\/core\/src\/add\.c/);
    expect(changed.all).toMatch(/LINK\s+.*binding\.node/);
    // Only the changed library source recompiles; the addon's own source is fresh.
    expect(changed.all).not.toMatch(/CC\s+native\/c\/binding\.c/);
    expect(readFileSync(addonFile).equals(before)).toBe(false);
    expect((await probeAddon(root)).add).toBe(1042);
  });

  it('rebuilds a deleted addon from the fresh objects without recompiling', async () => {
    const root = addonPackage({ source: 'native/c/binding.c' });
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const addonFile = path.join(root, 'build', 'Release', 'binding.node');
    rmSync(addonFile);
    const r = await kiln(root, ['build']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/Dirty/);
    expect(r.all).not.toMatch(/CC /);
    expect(statSync(addonFile).size).toBeGreaterThan(0);
    expect((await probeAddon(root)).add).toBe(42);
  });

  it('builds a C++ node-addon-api addon against node-api-headers, in release, with a prebuild', async () => {
    const root = addonPackage({
      source: 'native/cxx/binding.cc',
      extra: "prebuild: true, headers: 'node-api-headers',",
      deps: ['node-addon-api', 'node-api-headers'],
    });
    const r = await kiln(root, ['build', '--release']);
    expect(r.exitCode, r.all).toBe(0);
    expect(existsSync(path.join(root, 'build', 'Release', 'binding.node'))).toBe(true);
    const prebuildDir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
    const prebuild = path.join(prebuildDir, 'binding.napi.glibc.node');
    expect(existsSync(prebuild)).toBe(true);
    expect(existsSync(path.join(prebuildDir, 'libaddonkit.so.1'))).toBe(true);

    const probe = await probeAddon(root);
    expect(probe).toMatchObject({ add: 42, crc32: CRC32_HELLO, scale: 70 });
    expect(probe.greeting).toBe('hello from core (via C++)');

    // The compile used node-api-headers and node-addon-api, and the node-gyp compatible defines.
    const db = JSON.parse(
      readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'),
    ) as {
      file: string;
      arguments: string[];
    }[];
    const entry = db.find((e) => e.file.endsWith('binding.cc'))!;
    expect(entry.arguments.some((a) => /node-api-headers[/\\]include$/.test(a))).toBe(true);
    expect(entry.arguments.some((a) => /node-addon-api$/.test(a))).toBe(true);
    expect(entry.arguments).toEqual(
      expect.arrayContaining([
        '-DNAPI_VERSION=8',
        '-DBUILDING_NODE_EXTENSION',
        '-DNODE_GYP_MODULE_NAME=binding',
        '-DNAPI_DISABLE_CPP_EXCEPTIONS',
        '-fno-exceptions',
      ]),
    );

    // Without the build folder, the loader falls back to the prebuild (node-gyp-build's order).
    rmSync(path.join(root, 'build', 'Release'), { recursive: true });
    expect((await probeAddon(root)).kitName).toBe('kit (shared, cmake)');
  });
});
