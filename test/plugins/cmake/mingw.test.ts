import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { itWith } from '../../support/tools.js';
import { WinePrefix, wine64Path } from '../../support/wine.js';
import { cmakeConfig, cmakePackage, compileProgram, runBuild } from './support.js';

describe('cmake plugin: MinGW-w64 cross builds through the generated toolchain file', () => {
  const wine = new WinePrefix();
  const test = itWith('cmake', 'ninja', 'x86_64-w64-mingw32-gcc', wine64Path());
  beforeAll(() => wine.boot().catch(() => {}), 180_000);
  afterAll(() => wine.dispose());

  test('builds a DLL and a static library that a test program links and runs under wine', async () => {
    const root = cmakePackage(['kit'], cmakeConfig(`cmake({ source: 'vendor/kit' })`));
    const { project, result, cmake } = await runBuild(root, { target: 'x86_64-pc-windows-gnu' });
    const configure = cmake.find((a) => a[0] === '-S')!;
    const toolchainArg = configure.find((a) => a.startsWith('-DCMAKE_TOOLCHAIN_FILE='))!;
    const toolchain = readFileSync(toolchainArg.slice('-DCMAKE_TOOLCHAIN_FILE='.length), 'utf8');
    expect(toolchain).toContain('set(CMAKE_SYSTEM_NAME "Windows")');
    expect(toolchain).toMatch(/set\(CMAKE_C_COMPILER ".*x86_64-w64-mingw32-gcc[^"]*"\)/);
    expect(toolchain).toMatch(/set\(CMAKE_RC_COMPILER ".*x86_64-w64-mingw32-windres"\)/);
    expect(toolchain).toContain('list(APPEND CMAKE_FIND_ROOT_PATH "/usr/x86_64-w64-mingw32")');
    expect(toolchain).toContain('set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)');

    const core = project.targets.find((t) => t.name === 'kit_core')!;
    expect(path.basename(core.path)).toMatch(/\.dll$/);
    const exe = path.join(root, 'kit-test.exe');
    await compileProgram(
      'x86_64-w64-mingw32-gcc',
      path.join(root, 'vendor', 'kit', 'test', 'main.c'),
      exe,
      result.manifest,
    );
    // Windows has no rpath: the program finds the DLL through PATH (wine's WINEPATH).
    const run = await wine.run(exe, [], { env: { WINEPATH: path.dirname(core.path) } });
    expect(run.stdout, run.stderr).toBe('hello sum=6 hypot=5.0');
    expect(run.exitCode).toBe(0);
  }, 240_000);
});
