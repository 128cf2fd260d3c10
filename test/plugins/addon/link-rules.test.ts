import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addonDestinations,
  configurationDir,
  prebuildFile,
} from '../../../src/plugins/addon/layout.js';
import {
  moduleLinkFlags,
  planLinks,
  relativeRpath,
} from '../../../src/plugins/addon/link-rules.js';
import { parseTriple } from '../../../src/target/triple.js';

const linux = parseTriple('x86_64-unknown-linux-gnu');
const mac = parseTriple('aarch64-apple-darwin');

describe('addon link rules', () => {
  it.each([
    ['x86_64-unknown-linux-gnu', ['-shared']],
    ['aarch64-unknown-linux-musl', ['-shared']],
    ['x86_64-apple-darwin', ['-bundle', '-undefined', 'dynamic_lookup']],
    ['aarch64-apple-darwin', ['-bundle', '-undefined', 'dynamic_lookup']],
  ])('links a loadable module for %s with %j', (triple, flags) => {
    expect(moduleLinkFlags(parseTriple(triple))).toEqual(flags);
  });

  it('links Windows addons as DLLs: /DLL for MSVC, -shared with static GCC runtimes for MinGW', () => {
    expect(moduleLinkFlags(parseTriple('x86_64-pc-windows-msvc'))).toEqual(['/DLL']);
    expect(moduleLinkFlags(parseTriple('x86_64-pc-windows-gnu'))).toEqual([
      '-shared',
      '-static-libgcc',
    ]);
    expect(moduleLinkFlags(parseTriple('x86_64-pc-windows-gnu'), true)).toContain(
      '-static-libstdc++',
    );
  });

  it.each([
    [linux, '/p/build/Release', '/p/build/Release', '$ORIGIN'],
    [linux, '/p/build/Release', '/p/build/Release/lib', '$ORIGIN/lib'],
    [linux, '/p/prebuilds/linux-x64', '/p/vendor/lib', '$ORIGIN/../../vendor/lib'],
    [mac, '/p/build/Release', '/p/build/Release', '@loader_path'],
    [mac, '/p/build/Release', '/p/lib dir', '@loader_path/../../lib dir'],
  ])('computes a loader-relative rpath (%#)', (target, from, to, expected) => {
    expect(relativeRpath(target, from, to)).toBe(expected);
  });

  it('bundles shared libraries built inside the package and drops their absolute rpaths', () => {
    const root = '/work/pkg';
    const built = path.join(root, 'build/kiln/t/debug/cmake/kit/install/lib');
    const plan = planLinks(
      [
        {
          libs: [
            { name: 'kit', kind: 'dylib', path: path.join(built, 'libkit.so') },
            { name: 'core', kind: 'static', path: path.join(root, 'build/libcore.a') },
          ],
          searchPaths: [{ kind: 'native', path: built }],
          includes: [],
          defines: [],
          cflags: [],
          ldflags: [],
          rpaths: [built, '/opt/vendor/lib'],
        },
        {
          libs: [{ name: 'z', kind: 'dylib' }],
          searchPaths: [],
          includes: [],
          defines: [],
          cflags: [],
          ldflags: [],
          rpaths: [],
        },
      ],
      root,
    );
    expect(plan.bundled).toEqual([path.join(built, 'libkit.so')]);
    // A library outside the package (found on the system) keeps its rpath.
    expect(plan.link[0]!.rpaths).toEqual(['/opt/vendor/lib']);
  });
});

describe('addon output layout', () => {
  it.each([
    ['debug', 'Debug'],
    ['release', 'Release'],
    ['bench', 'Release'],
  ])('puts the %s profile in build/%s', (profile, dir) => {
    expect(configurationDir({ name: profile })).toBe(dir);
  });

  it.each([
    ['x86_64-unknown-linux-gnu', 'linux-x64', 'demo.napi.glibc.node'],
    ['aarch64-unknown-linux-musl', 'linux-arm64', 'demo.napi.musl.node'],
    ['aarch64-apple-darwin', 'darwin-arm64', 'demo.napi.node'],
    ['universal-apple-darwin', 'darwin-x64+arm64', 'demo.napi.node'],
  ])('names the prebuild for %s as prebuilds/%s/%s (node-gyp-build tags)', (triple, dir, file) => {
    const dests = addonDestinations('/p', 'demo', parseTriple(triple), { name: 'release' }, true);
    expect(dests).toEqual([
      { dir: path.join('/p', 'build', 'Release'), file: 'demo.node' },
      { dir: path.join('/p', 'prebuilds', dir), file },
    ]);
    expect(prebuildFile('demo', parseTriple(triple))).toBe(file);
  });
});
