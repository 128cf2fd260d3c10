import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCmake, installFakeCmake } from './fake-cmake.js';
import { cmakeConfig, cmakePackage, runBuild } from './support.js';

/** What Kiln passes cmake, recorded by the fake cmake on PATH (no compiler runs). */
describe('cmake plugin: command lines', () => {
  let fake: FakeCmake;
  const savedPath = process.env.PATH;
  beforeEach(() => {
    fake = installFakeCmake();
    process.env.PATH = `${fake.binDir}${path.delimiter}${savedPath}`;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
  });
  const configure = () => fake.calls().find((a) => a[0] === '-S')!;
  const toolchainText = () => {
    const arg = configure().find((a) => a.startsWith('-DCMAKE_TOOLCHAIN_FILE='))!;
    return readFileSync(arg.slice('-DCMAKE_TOOLCHAIN_FILE='.length), 'utf8');
  };

  it('release profile: Release build type, explicit --parallel, extra configure and build args last', async () => {
    const root = cmakePackage(
      ['kit'],
      cmakeConfig(
        `cmake({ source: 'vendor/kit', configureArgs: ['--log-level=WARNING'], buildArgs: ['--', '-k', '0'], defines: { KIT_FAST: true, KIT_LEVEL: 3 } })`,
      ),
    );
    await runBuild(root, { profile: 'release', jobs: 3 });
    const args = configure();
    expect(args).toContain('-DCMAKE_BUILD_TYPE=Release');
    expect(args).toContain('-DKIT_FAST=ON');
    expect(args).toContain('-DKIT_LEVEL=3');
    expect(args).toContain('-DCMAKE_INSTALL_LIBDIR=lib');
    expect(args.at(-1)).toBe('--log-level=WARNING');
    expect(args.some((a) => a.startsWith('-DCMAKE_OSX_'))).toBe(false);
    const buildCall = fake.calls().find((a) => a[0] === '--build')!;
    expect(buildCall.slice(2)).toEqual(['--parallel', '3', '--', '-k', '0']);
    expect(toolchainText()).toMatch(/set\(CMAKE_C_COMPILER ".+"\)/);
  });

  it('lets defines override Kiln’s own entries and buildType override the profile', async () => {
    const root = cmakePackage(
      ['kit'],
      cmakeConfig(
        `cmake({ source: 'vendor/kit', buildType: 'MinSizeRel', defines: { CMAKE_INSTALL_LIBDIR: 'lib64' } })`,
      ),
    );
    await runBuild(root);
    expect(configure()).toContain('-DCMAKE_BUILD_TYPE=MinSizeRel');
    expect(configure()).toContain('-DCMAKE_INSTALL_LIBDIR=lib64');
    expect(configure()).not.toContain('-DCMAKE_INSTALL_LIBDIR=lib');
  });

  it('includes a user toolchain file and leaves compilers to it; honours CMAKE_GENERATOR', async () => {
    const root = cmakePackage(
      ['kit'],
      cmakeConfig(`cmake({ source: 'vendor/kit', toolchainFile: 'my toolchain.cmake' })`),
    );
    writeFileSync(path.join(root, 'my toolchain.cmake'), 'set(CMAKE_C_COMPILER /opt/cc)\n');
    await runBuild(root, { env: { ...process.env, CMAKE_GENERATOR: 'Unix Makefiles' } });
    expect(configure()).toEqual(expect.arrayContaining(['-G', 'Unix Makefiles']));
    const text = toolchainText();
    expect(text).toContain(`include("${path.join(root, 'my toolchain.cmake')}")`);
    expect(text).not.toContain('CMAKE_C_COMPILER');
  });

  it('rejects a generator cmake does not know', async () => {
    const root = cmakePackage(
      ['kit'],
      cmakeConfig(`cmake({ source: 'vendor/kit', generator: 'Borland Makefiles' })`),
    );
    await expect(runBuild(root)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('"Borland Makefiles"'),
      hint: expect.stringContaining('Ninja, Unix Makefiles'),
    });
  });

  it('asks cmake for its capabilities once per cmake binary, not once per build', async () => {
    const root = cmakePackage(['kit'], cmakeConfig(`cmake({ source: 'vendor/kit' })`));
    await runBuild(root);
    await runBuild(root, { force: true });
    expect(fake.calls().filter((a) => a[0] === '-E')).toHaveLength(1);
  });
});
