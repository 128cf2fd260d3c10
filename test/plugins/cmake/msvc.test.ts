import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveProfile } from '../../../src/location/profile.js';
import { cmake } from '../../../src/plugins/cmake/index.js';
import { createBuildContext } from '../../../src/runner/context.js';
import { JobPool } from '../../../src/runner/jobs.js';
import { parseTriple } from '../../../src/target/triple.js';
import { installFakeMsvc } from '../../support/fake-msvc/index.js';
import { kiln } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { llvmTool } from '../../target/support.js';
import { installFakeCmake } from './fake-cmake.js';
import { cmakeConfig, cmakePackage, runBuild } from './support.js';

/**
 * The cmake plugin for MSVC targets: Ninja with clang-cl / cl.exe, llvm-lib / lib.exe,
 * lld-link / link.exe (and llvm-mt off Windows), CMAKE_SYSTEM_NAME=Windows when cross; the
 * Visual Studio generator with -A on a Windows host without Ninja.
 */
const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

function toolchainFileOf(configure: string[]): string {
  const arg = configure.find((a) => a.startsWith('-DCMAKE_TOOLCHAIN_FILE='))!;
  return readFileSync(arg.slice('-DCMAKE_TOOLCHAIN_FILE='.length), 'utf8');
}

/** Fake MSVC-style tools plus a `ninja` that only needs to be found. */
function fakeTools(names: string[]) {
  const tools = installFakeMsvc(names);
  const ninja = path.join(tools.dir, 'ninja');
  writeFileSync(ninja, '#!/bin/sh\nexit 0\n');
  chmodSync(ninja, 0o755);
  return tools;
}

describe('cmake plugin for x86_64-pc-windows-msvc off Windows (recording fake cmake)', () => {
  it('configures Ninja with a clang-cl name for clang, llvm-lib, lld-link, llvm-mt and CMAKE_SYSTEM_NAME=Windows', async () => {
    const fake = installFakeCmake();
    const tools = fakeTools(['clang', 'llvm-lib', 'lld-link', 'llvm-mt']);
    process.env.PATH = `${fake.binDir}${path.delimiter}${tools.dir}`;
    const root = cmakePackage(['kit'], cmakeConfig(`cmake({ source: 'vendor/kit' })`));
    const env = { PATH: process.env.PATH, CFLAGS: '/DFROM_CFLAGS', LDFLAGS: '/OPT:REF' };
    await runBuild(root, { target: 'x86_64-pc-windows-msvc', env });
    const configure = fake.calls().find((a) => a[0] === '-S')!;
    expect(configure.slice(4, 6)).toEqual(['-G', 'Ninja']);
    expect(configure).not.toContain('-A');
    const text = toolchainFileOf(configure);
    const shim = /set\(CMAKE_C_COMPILER "([^"]+)"\)/.exec(text)![1]!;
    expect(path.basename(shim)).toBe('clang-cl');
    expect(readlinkSync(shim)).toBe(path.join(tools.dir, 'clang'));
    for (const line of [
      'set(CMAKE_SYSTEM_NAME "Windows")',
      'set(CMAKE_SYSTEM_PROCESSOR "AMD64")',
      `set(CMAKE_CXX_COMPILER "${shim}")`,
      `set(CMAKE_AR "${path.join(tools.dir, 'llvm-lib')}" CACHE FILEPATH "Archiver (from Kiln)")`,
      `set(CMAKE_LINKER "${path.join(tools.dir, 'lld-link')}" CACHE FILEPATH "Linker (from Kiln)")`,
      `set(CMAKE_MT "${path.join(tools.dir, 'llvm-mt')}" CACHE FILEPATH "Manifest tool (from Kiln)")`,
      // No CRT or SDK libraries to link CMake's test programs against.
      'set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)',
      'string(APPEND CMAKE_C_FLAGS_INIT " --target=x86_64-pc-windows-msvc /DFROM_CFLAGS")',
      'string(APPEND CMAKE_SHARED_LINKER_FLAGS_INIT " /OPT:REF")',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).not.toContain('--driver-mode=cl');
    expect(text).not.toContain('CMAKE_SYSROOT');
  });

  it('names clang-cl itself, and with LIB set lets CMake link its test programs', async () => {
    const fake = installFakeCmake();
    const tools = fakeTools(['clang-cl', 'llvm-lib', 'lld-link', 'llvm-mt']);
    process.env.PATH = `${fake.binDir}${path.delimiter}${tools.dir}`;
    const root = cmakePackage(['kit'], cmakeConfig(`cmake({ source: 'vendor/kit' })`));
    const env = { PATH: process.env.PATH, LIB: '/sdk/lib', KILN_SYSROOT: '/opt/win sdk' };
    await runBuild(root, { target: 'aarch64-pc-windows-msvc', env });
    const text = toolchainFileOf(fake.calls().find((a) => a[0] === '-S')!);
    expect(text).toContain(`set(CMAKE_C_COMPILER "${path.join(tools.dir, 'clang-cl')}")`);
    expect(text).toContain('set(CMAKE_SYSTEM_PROCESSOR "ARM64")');
    expect(text).not.toContain('CMAKE_TRY_COMPILE_TARGET_TYPE');
    expect(text).toContain(
      `string(APPEND CMAKE_C_FLAGS_INIT " --target=aarch64-pc-windows-msvc '/winsysroot:/opt/win sdk'")`,
    );
    expect(text).toContain(
      `string(APPEND CMAKE_EXE_LINKER_FLAGS_INIT " '/winsysroot:/opt/win sdk'")`,
    );
  });
});

describe('cmake plugin for MSVC targets on a Windows host (recording fake cmake)', () => {
  /** The plugin run in a context whose build machine is Windows, tools from the fakes. */
  async function runOnWindows(target: string, env: NodeJS.ProcessEnv) {
    const root = cmakePackage(['kit'], '');
    const { ctx } = createBuildContext({
      packageRoot: root,
      packageName: 'win',
      target: parseTriple(target),
      host: parseTriple('x86_64-pc-windows-msvc'),
      profile: resolveProfile('release'),
      outDir: path.join(root, 'build', 'kiln'),
      pool: new JobPool(2),
      env,
      verbose: false,
      signal: new AbortController().signal,
      onEvent: () => {},
      kilnVersion: '0.0.0-test',
    });
    return ctx.use(cmake({ source: 'vendor/kit' }));
  }

  it('uses the newest Visual Studio generator with -A when Ninja is not installed', async () => {
    const fake = installFakeCmake();
    const tools = installFakeMsvc(['cl.exe', 'lib.exe', 'link.exe']);
    process.env.PATH = `${fake.binDir}${path.delimiter}${tools.dir}`;
    const env = {
      PATH: process.env.PATH,
      FAKE_CMAKE_GENERATORS:
        'Visual Studio 16 2019,Visual Studio 17 2022,NMake Makefiles,Unix Makefiles',
    };
    await runOnWindows('aarch64-pc-windows-msvc', env);
    const configure = fake.calls().find((a) => a[0] === '-S')!;
    expect(configure.slice(4, 8)).toEqual(['-G', 'Visual Studio 17 2022', '-A', 'ARM64']);
    // Visual Studio picks its own cl.exe, lib.exe and link.exe; a multi-config build.
    const text = toolchainFileOf(configure);
    expect(text).not.toMatch(/CMAKE_C_COMPILER|CMAKE_AR|CMAKE_LINKER|CMAKE_MT/);
    expect(text).toContain('set(CMAKE_SYSTEM_NAME "Windows")');
    const buildCall = fake.calls().find((a) => a[0] === '--build')!;
    expect(buildCall).toEqual(expect.arrayContaining(['--config', 'Release']));
  });

  it('x64 and Win32 platforms; cl.exe with Ninja when Ninja is there', async () => {
    const fake = installFakeCmake();
    const tools = installFakeMsvc(['cl.exe', 'lib.exe', 'link.exe']);
    process.env.PATH = `${fake.binDir}${path.delimiter}${tools.dir}`;
    const env = { PATH: process.env.PATH, FAKE_CMAKE_GENERATORS: 'Visual Studio 17 2022,Ninja' };
    await runOnWindows('x86_64-pc-windows-msvc', env);
    await runOnWindows('i686-pc-windows-msvc', env);
    const platforms = fake
      .calls()
      .filter((a) => a[0] === '-S')
      .map((a) => a[a.indexOf('-A') + 1]);
    expect(platforms).toEqual(['x64', 'Win32']);

    const ninja = path.join(tools.dir, 'ninja');
    writeFileSync(ninja, '#!/bin/sh\nexit 0\n');
    chmodSync(ninja, 0o755);
    await runOnWindows('x86_64-pc-windows-msvc', env);
    const configure = fake.calls().filter((a) => a[0] === '-S')[2]!;
    expect(configure.slice(4, 6)).toEqual(['-G', 'Ninja']);
    const text = toolchainFileOf(configure);
    expect(text).toContain(`set(CMAKE_C_COMPILER "${path.join(tools.dir, 'cl.exe')}")`);
    expect(text).toContain(`set(CMAKE_LINKER "${path.join(tools.dir, 'link.exe')}"`);
    // A native build: no system name, and cl.exe's own libraries (no try-compile workaround).
    expect(text).not.toMatch(/CMAKE_SYSTEM_NAME|CMAKE_TRY_COMPILE_TARGET_TYPE|CMAKE_MT/);
  });
});

const readobj = llvmTool('llvm-readobj');
const llvmLib = llvmTool('llvm-lib');

describe('cmake plugin: real x86_64-pc-windows-msvc libraries off Windows', () => {
  itWith(
    'cmake',
    'ninja',
    'clang',
    'lld-link',
    'llvm-mt',
    llvmLib,
    readobj,
  )(
    'kiln build configures, builds and installs a static library and a DLL with clang-cl',
    async () => {
      const root = cmakePackage(
        [],
        `import { cmake, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [cmake({ source: 'vendor/demo', defines: { CMAKE_C_STANDARD_LIBRARIES: '' } })],
});
`,
      );
      const demo = path.join(root, 'vendor', 'demo');
      execFileSync('mkdir', ['-p', demo]);
      writeFileSync(
        path.join(demo, 'CMakeLists.txt'),
        `cmake_minimum_required(VERSION 3.15)
project(demo C)
add_library(demo STATIC demo.c)
add_library(dshared SHARED demo.c)
target_link_options(dshared PRIVATE /NODEFAULTLIB /NOENTRY)
install(TARGETS demo dshared)
`,
      );
      writeFileSync(
        path.join(demo, 'demo.c'),
        '__declspec(dllexport) int demo(int a) { return a * 2; }\n',
      );
      const env = {
        CC: undefined,
        CXX: undefined,
        AR: undefined,
        LIB: undefined,
        INCLUDE: undefined,
      };
      const r = await kiln(root, ['build', '--target', 'x86_64-pc-windows-msvc'], { env });
      expect(r.exitCode, r.all).toBe(0);
      const install = path.join(
        root,
        'build',
        'kiln',
        'x86_64-pc-windows-msvc',
        'release',
        'cmake',
        'demo',
        'install',
      );
      const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });
      expect(run(llvmLib, ['/list', path.join(install, 'lib', 'demo.lib')])).toMatch(
        /demo\.c\.obj/,
      );
      const dll = run(readobj, [
        '--file-headers',
        '--coff-exports',
        path.join(install, 'bin', 'dshared.dll'),
      ]);
      expect(dll).toContain('Format: COFF-x86-64');
      expect(dll).toContain('IMAGE_FILE_DLL');
      expect(dll).toMatch(/Name: demo/);
      // The import library is what consumers link; the DLL is an artifact too.
      const manifest = JSON.parse(
        readFileSync(
          path.join(root, 'build', 'kiln', 'x86_64-pc-windows-msvc', 'release', 'manifest.json'),
          'utf8',
        ),
      ) as { libs: { name: string; path: string }[]; artifacts: { path: string }[] };
      expect(manifest.libs.find((l) => l.name === 'dshared')?.path).toBe(
        path.join(install, 'lib', 'dshared.lib'),
      );
      expect(manifest.artifacts.map((a) => a.path)).toContain(
        path.join(install, 'bin', 'dshared.dll'),
      );
      const again = await kiln(root, ['build', '--target', 'x86_64-pc-windows-msvc'], { env });
      expect(again.all).toMatch(/^Fresh /m);
    },
  );
});
