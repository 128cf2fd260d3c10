import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { itWith } from '../../support/tools.js';
import { cmakeConfig, cmakePackage, compileProgram, elfMachine, runBuild } from './support.js';

const EM_AARCH64 = 183;

describe('cmake plugin: cross builds through the generated toolchain file', () => {
  itWith(
    'cmake',
    'ninja',
    'aarch64-linux-gnu-gcc',
    'qemu-aarch64',
  )('builds aarch64 libraries that a test program links and runs under qemu', async () => {
    const root = cmakePackage(['kit'], cmakeConfig(`cmake({ source: 'vendor/kit' })`));
    const { project, result, cmake } = await runBuild(root, {
      target: 'aarch64-unknown-linux-gnu',
    });
    const configure = cmake.find((a) => a[0] === '-S')!;
    const toolchainArg = configure.find((a) => a.startsWith('-DCMAKE_TOOLCHAIN_FILE='))!;
    const toolchain = readFileSync(toolchainArg.slice('-DCMAKE_TOOLCHAIN_FILE='.length), 'utf8');
    expect(toolchain).toContain('set(CMAKE_SYSTEM_NAME "Linux")');
    expect(toolchain).toContain('set(CMAKE_SYSTEM_PROCESSOR "aarch64")');
    expect(toolchain).toMatch(/set\(CMAKE_C_COMPILER ".*aarch64-linux-gnu-gcc"\)/);
    expect(toolchain).toContain('set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)');
    expect(toolchain).toContain('set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)');
    expect(toolchain).toContain('set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)');
    expect(toolchain).toContain('set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)');
    expect(configure).toContain('-DCMAKE_BUILD_TYPE=Release');

    const core = project.targets.find((t) => t.name === 'kit_core')!;
    expect(elfMachine(core.path)).toBe(EM_AARCH64);
    const exe = path.join(root, 'kit-test-aarch64');
    await compileProgram(
      'aarch64-linux-gnu-gcc',
      path.join(root, 'vendor', 'kit', 'test', 'main.c'),
      exe,
      result.manifest,
    );
    expect(elfMachine(exe)).toBe(EM_AARCH64);
    const run = await execa('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', exe]);
    expect(run.stdout).toBe('hello sum=6 hypot=5.0');
  });
});
