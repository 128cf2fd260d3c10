import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { itWith } from '../../support/tools.js';
import { cmakeConfig, cmakePackage, compileProgram, FIXTURES, runBuild } from './support.js';

const PKG_CONFIG = JSON.stringify(
  path.resolve(import.meta.dirname, '../../../src/plugins/pkg-config/index.ts'),
);
const LIBZ_A = '/usr/lib/x86_64-linux-gnu/libz.a';

/**
 * zlib installed into a private prefix with its own zlib.pc (as a user's /opt or a Homebrew
 * keg would be), so the paths that reach CMake are ones the project could not find by itself.
 */
function zlibPrefix(root: string): string {
  const prefix = path.join(root, 'zlib prefix');
  mkdirSync(path.join(prefix, 'include'), { recursive: true });
  mkdirSync(path.join(prefix, 'lib', 'pkgconfig'), { recursive: true });
  for (const h of ['zlib.h', 'zconf.h'])
    copyFileSync(`/usr/include/${h}`, path.join(prefix, 'include', h));
  copyFileSync(LIBZ_A, path.join(prefix, 'lib', 'libz.a'));
  copyFileSync(
    path.join(FIXTURES, 'zlib-prefix', 'zlib.pc'),
    path.join(prefix, 'lib', 'pkgconfig', 'zlib.pc'),
  );
  return prefix;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('cmake plugin: a host library found by pkg-config, passed into CMake', () => {
  itWith(
    'cmake',
    'ninja',
    'gcc',
  )(
    'feeds ZLIB_INCLUDE_DIR / ZLIB_LIBRARY to find_package(ZLIB) and reports zlib in the link line',
    async () => {
      const root = cmakePackage(
        ['zlib-user'],
        cmakeConfig(
          `cmake({ source: 'vendor/zlib-user', deps: { ZLIB: pkgConfig('zlib') } })`,
          `import { pkgConfig } from ${PKG_CONFIG};`,
        ),
      );
      const prefix = zlibPrefix(root);
      const env = { ...process.env, PKG_CONFIG_PATH: path.join(prefix, 'lib', 'pkgconfig') };
      const { project, result, cmake } = await runBuild(root, { env });
      const configure = cmake.find((a) => a[0] === '-S')!;
      expect(configure).toContain(`-DZLIB_INCLUDE_DIR=${path.join(prefix, 'include')}`);
      expect(configure).toContain(`-DZLIB_LIBRARY=${path.join(prefix, 'lib', 'libz.a')}`);
      const cache = readFileSync(path.join(project.buildDir, 'CMakeCache.txt'), 'utf8');
      expect(cache).toMatch(
        new RegExp(`^ZLIB_INCLUDE_DIR:\\w+=${escapeRegex(path.join(prefix, 'include'))}$`, 'm'),
      );
      // CMake's own link line for a consumer of zwrap names the archive from the private prefix.
      expect(project.libs).toEqual([
        { name: 'zwrap', kind: 'static', path: path.join(project.installDir, 'lib', 'libzwrap.a') },
        { name: 'z', kind: 'static', path: path.join(prefix, 'lib', 'libz.a') },
      ]);
      const exe = path.join(root, 'zwrap-test');
      await compileProgram(
        'gcc',
        path.join(root, 'vendor', 'zlib-user', 'test', 'main.c'),
        exe,
        result.manifest,
      );
      expect((await execa(exe)).stdout).toBe('roundtrip=ok');
    },
  );
});
