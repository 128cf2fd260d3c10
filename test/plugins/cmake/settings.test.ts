import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigurePlan, decideConfigure } from '../../../src/plugins/cmake/configure.js';
import { buildTypeFor, depEntries } from '../../../src/plugins/cmake/settings.js';
import { type CmakeState, stampFiles } from '../../../src/plugins/cmake/state.js';
import { renderToolchainFile } from '../../../src/plugins/cmake/toolchain-file.js';
import { cmakeOsxArchitectures } from '../../../src/target/cmake.js';
import { parseTriple } from '../../../src/target/triple.js';
import type { Toolchain } from '../../../src/toolchain/types.js';

describe('CMAKE_BUILD_TYPE from the profile', () => {
  it.each([
    [{ name: 'debug', optLevel: '0', debugInfo: true }, 'Debug'],
    [{ name: 'release', optLevel: '3', debugInfo: false }, 'Release'],
    [{ name: 'release', optLevel: '2', debugInfo: true }, 'RelWithDebInfo'],
    [{ name: 'small', optLevel: 's', debugInfo: false }, 'MinSizeRel'],
    [{ name: 'small', optLevel: 'z', debugInfo: true }, 'MinSizeRel'],
  ] as const)('%j → %s', (profile, type) => {
    expect(buildTypeFor(profile)).toBe(type);
  });
});

describe('CMAKE_OSX_ARCHITECTURES', () => {
  it.each([
    ['x86_64-apple-darwin', 'x86_64'],
    ['aarch64-apple-darwin', 'arm64'],
    ['arm64-apple-macosx11.0', 'arm64'],
    ['universal-apple-darwin', 'x86_64;arm64'],
  ])('%s → %s', (triple, arches) => {
    expect(cmakeOsxArchitectures(parseTriple(triple))).toBe(arches);
  });
});

describe('deps → cache entries', () => {
  it('sets the Find-module variables and the search paths, with paths normalised', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-deps-'));
    const lib = path.join(dir, 'lib');
    mkdirSync(lib);
    writeFileSync(path.join(lib, 'libpng16.so'), '');
    const d = depEntries({
      PNG: {
        libs: [{ name: 'png16', kind: 'dylib' }],
        searchPaths: [{ kind: 'native', path: lib }],
        includes: [`${lib}/pkgconfig/../../include`],
        defines: [],
        cflags: [],
        ldflags: [],
        rpaths: [],
      },
    });
    expect(Object.fromEntries(d)).toEqual({
      PNG_INCLUDE_DIR: `${dir}/include`,
      PNG_INCLUDE_DIRS: `${dir}/include`,
      PNG_LIBRARY: `${lib}/libpng16.so`,
      PNG_LIBRARIES: `${lib}/libpng16.so`,
      CMAKE_PREFIX_PATH: dir,
      CMAKE_INCLUDE_PATH: `${dir}/include`,
      CMAKE_LIBRARY_PATH: lib,
    });
  });
});

const tool = (p: string, extra: Partial<Toolchain['cc']> = {}) => ({
  program: p,
  args: [],
  path: p,
  ...extra,
});
const toolchain = (over: Partial<Toolchain> = {}): Toolchain => ({
  target: parseTriple('x86_64-unknown-linux-gnu'),
  cc: tool('/usr/bin/gcc'),
  cxx: tool('/usr/bin/g++'),
  ar: tool('/usr/bin/ar'),
  ranlib: undefined,
  ccInfo: { family: 'gcc', version: '12.2.0' },
  cxxInfo: { family: 'gcc', version: '12.2.0' },
  targetFlags: [],
  cflags: [],
  cxxflags: [],
  ldflags: [],
  sysroot: undefined,
  ...over,
});

describe('generated toolchain file', () => {
  const linux = parseTriple('x86_64-unknown-linux-gnu');
  const arm = parseTriple('aarch64-unknown-linux-gnu');

  it('names compilers and appends flags to the _INIT variables for a native build, without a system name', () => {
    const text = renderToolchainFile({
      target: linux,
      host: linux,
      userToolchain: undefined,
      toolchain: toolchain({ cflags: ['-DA="x y"', '-O1'], ldflags: ['-Wl,--as-needed'] }),
    });
    expect(text).toContain('set(CMAKE_C_COMPILER "/usr/bin/gcc")');
    expect(text).toContain('set(CMAKE_AR "/usr/bin/ar" CACHE FILEPATH "Archiver (from Kiln)")');
    expect(text).toContain(`string(APPEND CMAKE_C_FLAGS_INIT " '-DA=\\"x y\\"' -O1")`);
    expect(text).toContain('string(APPEND CMAKE_SHARED_LINKER_FLAGS_INIT " -Wl,--as-needed")');
    expect(text).not.toContain('CMAKE_SYSTEM_NAME');
    expect(text).not.toContain('CMAKE_FIND_ROOT_PATH_MODE');
  });

  it('turns a compiler wrapper into CMAKE_<LANG>_COMPILER_LAUNCHER', () => {
    const cc = {
      program: '/usr/bin/ccache',
      args: ['/usr/bin/gcc', '-m64'],
      path: '/usr/bin/gcc',
      wrapper: 'ccache',
      compilerArgs: ['-m64'],
    };
    const text = renderToolchainFile({
      target: linux,
      host: linux,
      userToolchain: undefined,
      toolchain: toolchain({ cc }),
    });
    expect(text).toContain('set(CMAKE_C_COMPILER "/usr/bin/gcc")');
    expect(text).toContain('set(CMAKE_C_COMPILER_LAUNCHER "/usr/bin/ccache")');
    expect(text).toContain('string(APPEND CMAKE_C_FLAGS_INIT " -m64")');
  });

  it('describes a cross target: system, processor, sysroot and the find-root modes', () => {
    const text = renderToolchainFile({
      target: arm,
      host: linux,
      userToolchain: undefined,
      toolchain: toolchain({
        cc: tool('/usr/bin/aarch64-linux-gnu-gcc'),
        sysroot: '/opt/sys $root',
        targetFlags: ['--sysroot=/opt/sys $root'],
      }),
    });
    expect(text).toContain('set(CMAKE_SYSTEM_NAME "Linux")');
    expect(text).toContain('set(CMAKE_SYSTEM_PROCESSOR "aarch64")');
    // `$` escaped so CMake does not expand it; --sysroot left to CMAKE_SYSROOT.
    expect(text).toContain('set(CMAKE_SYSROOT "/opt/sys \\$root")');
    expect(text).not.toContain('--sysroot');
    expect(text).toContain('set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)');
    expect(text).toContain('set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)');
  });

  it('includes a user toolchain file and leaves the compilers to it', () => {
    const text = renderToolchainFile({
      target: arm,
      host: linux,
      userToolchain: '/tc/arm.cmake',
      toolchain: undefined,
    });
    expect(text).toContain('include("/tc/arm.cmake")');
    expect(text).not.toContain('CMAKE_C_COMPILER');
    expect(text).not.toContain('CMAKE_SYSTEM_NAME');
  });
});

describe('configure decision', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-decide-'));
  const buildDir = path.join(dir, 'build');
  const lists = path.join(dir, 'CMakeLists.txt');
  writeFileSync(lists, 'project(x)\n');
  const plan = (over: Partial<ConfigurePlan> = {}): ConfigurePlan => ({
    name: 'x',
    cmake: {
      path: '/usr/bin/cmake',
      version: { major: 3, minor: 25, patch: 1, string: '3.25.1' },
      generators: [],
      stamp: 's',
    },
    sourceDir: dir,
    buildDir,
    stepDir: dir,
    generator: { name: 'Ninja', multiConfig: false, source: 'ninja-on-path' },
    defines: new Map([
      ['CMAKE_BUILD_TYPE', 'Debug'],
      ['FOO', '1'],
    ]),
    configureArgs: [],
    envInputs: {},
    fresh: { generator: 'Ninja', toolchain: 'tc' },
    env: {},
    ...over,
  });
  const state = async (): Promise<CmakeState> => ({
    cmake: plan().cmake,
    fresh: { generator: 'Ninja', toolchain: 'tc' },
    defines: { CMAKE_BUILD_TYPE: 'Debug', FOO: '1' },
    configureArgs: [],
    envInputs: {},
    configureInputs: await stampFiles([lists], { takenAt: Number.POSITIVE_INFINITY }),
  });

  it('configures a new tree, and wipes a tree it has no record of', async () => {
    expect(await decideConfigure(plan(), undefined)).toMatchObject({
      action: 'configure',
      wipe: false,
    });
    writeFileSync(path.join(dir, 'CMakeCache.txt'), '');
    expect(await decideConfigure(plan({ buildDir: dir }), undefined)).toMatchObject({
      action: 'configure',
      wipe: true,
    });
  });

  it.each([
    ['nothing changed', {}, { action: 'skip' }],
    [
      'generator changed',
      { fresh: { generator: 'Unix Makefiles', toolchain: 'tc' } },
      { action: 'configure', wipe: true, reason: 'generator changed (new build tree)' },
    ],
    [
      'a define changed',
      {
        defines: new Map([
          ['CMAKE_BUILD_TYPE', 'Debug'],
          ['FOO', '2'],
        ]),
      },
      { action: 'configure', wipe: false, unset: [] },
    ],
    [
      'a define dropped',
      { defines: new Map([['CMAKE_BUILD_TYPE', 'Debug']]) },
      { action: 'configure', wipe: false, unset: ['FOO'] },
    ],
    [
      'an env input appeared',
      { envInputs: { CMAKE_PREFIX_PATH: '/opt' } },
      { action: 'configure', reason: 'CMAKE_PREFIX_PATH changed' },
    ],
  ])('%s', async (_name, over, expected) => {
    writeFileSync(path.join(dir, 'CMakeCache.txt'), '');
    expect(await decideConfigure(plan({ buildDir: dir, ...over }), await state())).toMatchObject(
      expected,
    );
  });

  it('re-configures when a CMakeLists.txt changed', async () => {
    const s = await state();
    writeFileSync(lists, 'project(x)\nadd_library(y y.c)\n');
    expect(await decideConfigure(plan({ buildDir: dir }), s)).toMatchObject({
      action: 'configure',
      reason: 'CMakeLists.txt changed',
    });
  });
});
