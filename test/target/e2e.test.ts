import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { build } from '../../src/runner/build.js';
import { elfMachine, machoArchs, qemuFor } from '../../src/target/index.js';
import { makePackage, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';
import { FIXTURES, llvmTool } from './support.js';

/**
 * Whole builds for another target through the runner and the cc plugin: the target helpers
 * drive real cross and Apple toolchains end to end.
 */

/** The build's environment without the host's compiler settings, so the target decides the tools. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of [
    'CC',
    'CXX',
    'AR',
    'CFLAGS',
    'CXXFLAGS',
    'LDFLAGS',
    'LIPO',
    'MACOSX_DEPLOYMENT_TARGET',
  ]) {
    delete env[k];
  }
  return env;
}

function fixture(rel: string): string {
  return readFileSync(path.join(FIXTURES, rel), 'utf8');
}

/** A config importing Kiln from this checkout's sources, so the test runs the code under test. */
function config(ccOptions: string): string {
  const src = (p: string) => JSON.stringify(path.join(REPO_ROOT, 'src', p));
  return `import { defineConfig } from ${src('index.ts')};
import { cc } from ${src('plugins/cc/index.ts')};

export default defineConfig({
  plugins: [cc(${ccOptions})],
});
`;
}

describe('builds for other targets through build() and cc()', () => {
  itWith('aarch64-linux-gnu-gcc', 'qemu-aarch64')(
    'aarch64-unknown-linux-gnu: a static library that a cross-linked program runs under qemu',
    async () => {
      const root = makePackage({
        'csrc/greet.c': fixture('cross/greet.c'),
        'include/greet.h': fixture('cross/greet.h'),
        'main.c': fixture('cross/main.c'),
        'build.config.ts': config(
          `{ name: 'greet', kind: 'static', sources: ['csrc/*.c'], includes: ['include'] }`,
        ),
      });
      const target = 'aarch64-unknown-linux-gnu';
      const result = await build({ cwd: root, target, env: cleanEnv(), jobs: 2 });
      expect(result.manifest.target).toBe(target);
      const lib = result.manifest.artifacts.find((a) => a.kind === 'static-lib');
      expect(lib && path.basename(lib.path)).toBe('libgreet.a');

      const exe = path.join(root, 'hello');
      await execa('aarch64-linux-gnu-gcc', [
        path.join(root, 'main.c'),
        `-I${path.join(root, 'include')}`,
        lib!.path,
        '-o',
        exe,
      ]);
      expect((await elfMachine(exe)).arch).toBe('aarch64');
      const qemu = qemuFor(target)!;
      const { stdout } = await execa(qemu.program, [...qemu.args, exe]);
      expect(stdout).toBe('hello from aarch64; 2+3=5');
    },
  );

  const LIPO = llvmTool('llvm-lipo');
  itWith(
    'clang',
    'llvm-ar',
    LIPO,
  )('universal-apple-darwin: a static library holding x86_64 and arm64', async () => {
    const root = makePackage({
      'csrc/add.c': fixture('apple/add.c'),
      'csrc/mul.c': fixture('apple/mul.c'),
      'build.config.ts': config(`{ name: 'kadd', kind: 'static', sources: ['csrc/*.c'] }`),
    });
    const result = await build({
      cwd: root,
      target: 'universal-apple-darwin',
      env: cleanEnv(),
      jobs: 2,
    });
    const lib = result.manifest.artifacts.find((a) => a.kind === 'static-lib');
    expect(lib && path.basename(lib.path)).toBe('libkadd.a');
    expect(await machoArchs(lib!.path)).toEqual(['x86_64', 'arm64']);
    const { stdout } = await execa(LIPO, ['-info', lib!.path]);
    expect(stdout).toMatch(/are: x86_64 arm64/);
  });
});
