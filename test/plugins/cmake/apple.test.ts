import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCmake, installFakeCmake } from './fake-cmake.js';
import { cmakeConfig, cmakePackage, runBuild } from './support.js';

/** A fixed toolchain, as the cc discovery reports one for an Apple target (no Mac needed). */
const APPLE_TOOLCHAIN = `(ctx) => Promise.resolve({
  target: ctx.target,
  cc: { program: '/usr/bin/clang', args: [], path: '/usr/bin/clang' },
  cxx: { program: '/usr/bin/clang++', args: [], path: '/usr/bin/clang++' },
  ar: { program: '/usr/bin/ar', args: [], path: '/usr/bin/ar' },
  ranlib: undefined,
  ccInfo: { family: 'apple-clang', version: '15.0.0' },
  cxxInfo: { family: 'apple-clang', version: '15.0.0' },
  targetFlags: ['-arch', 'x86_64', '-arch', 'arm64', '-mmacosx-version-min=10.13', '--target=x86_64-apple-macos10.13'],
  cflags: ['-DFROM_CFLAGS'],
  cxxflags: [],
  ldflags: [],
  sysroot: undefined,
})`;

describe('cmake plugin: Apple targets (recording fake cmake on PATH)', () => {
  let fake: FakeCmake;
  const savedPath = process.env.PATH;
  beforeEach(() => {
    fake = installFakeCmake();
    process.env.PATH = `${fake.binDir}${path.delimiter}${savedPath}`;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it.each([
    ['x86_64-apple-darwin', undefined, 'x86_64', '10.13'],
    ['aarch64-apple-darwin', undefined, 'arm64', '11.0'],
    ['universal-apple-darwin', undefined, 'x86_64;arm64', '10.13'],
    ['x86_64-apple-darwin', '12.3', 'x86_64', '12.3'],
    ['universal-apple-darwin', '11.0', 'x86_64;arm64', '11.0'],
  ])(
    '%s (MACOSX_DEPLOYMENT_TARGET=%s) → CMAKE_OSX_ARCHITECTURES=%s, CMAKE_OSX_DEPLOYMENT_TARGET=%s',
    async (target, envVersion, arches, version) => {
      const root = cmakePackage(
        ['kit'],
        cmakeConfig(
          `cmakeWith({ source: 'vendor/kit' }, { resolveToolchain: ${APPLE_TOOLCHAIN} })`,
        ),
      );
      const env = { ...process.env, MACOSX_DEPLOYMENT_TARGET: envVersion };
      const { project } = await runBuild(root, { target, env });
      const configure = fake.calls().find((a) => a[0] === '-S')!;
      expect(configure).toContain(`-DCMAKE_OSX_ARCHITECTURES=${arches}`);
      expect(configure).toContain(`-DCMAKE_OSX_DEPLOYMENT_TARGET=${version}`);
      expect(fake.calls().map((a) => a[0])).toEqual(['-E', '-S', '--build', '--install']);
      // CMake derives -arch and -mmacosx-version-min from those variables: the flags handed over
      // in the toolchain file must not repeat (or contradict) them.
      const tcArg = configure.find((a) => a.startsWith('-DCMAKE_TOOLCHAIN_FILE='))!;
      const toolchain = readFileSync(tcArg.slice('-DCMAKE_TOOLCHAIN_FILE='.length), 'utf8');
      expect(toolchain).not.toMatch(/-arch|-mmacosx-version-min/);
      expect(toolchain).toContain('-DFROM_CFLAGS');
      if (target.startsWith('universal')) expect(toolchain).not.toContain('--target=');
      expect(project.libs).toEqual([
        {
          name: 'applelib',
          kind: 'static',
          path: path.join(project.installDir, 'lib', 'libapplelib.a'),
        },
      ]);
    },
  );
});
