import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it as unit } from 'vitest';
import { crossToolNames, elfMachine, qemuFor, type ToolCandidate } from '../../src/target/index.js';
import { hasTool, itWith } from '../support/tools.js';
import { FIXTURES, tempDir } from './support.js';

const it = itWith('aarch64-linux-gnu-gcc', 'qemu-aarch64', 'clang');

/** The first candidate that is on PATH, the way toolchain discovery walks the list. */
function pick(candidates: ToolCandidate[]): ToolCandidate {
  const found = candidates.find((c) => hasTool(c.program));
  if (!found) throw new Error(`none of ${candidates.map((c) => c.program).join(', ')} on PATH`);
  return found;
}

const SRC = path.join(FIXTURES, 'cross');

describe('cross tool names', () => {
  unit(
    'lists GNU cross tools first (Debian prefix, then full triple), then clang with --target',
    () => {
      const names = crossToolNames('aarch64-unknown-linux-gnu');
      expect(names.cc.map((c) => [c.program, ...c.args].join(' '))).toEqual([
        'aarch64-linux-gnu-gcc',
        'aarch64-linux-gnu-cc',
        'aarch64-unknown-linux-gnu-gcc',
        'aarch64-unknown-linux-gnu-cc',
        'clang --target=aarch64-unknown-linux-gnu',
      ]);
      expect(names.cxx.map((c) => c.program)).toEqual([
        'aarch64-linux-gnu-g++',
        'aarch64-linux-gnu-c++',
        'aarch64-unknown-linux-gnu-g++',
        'aarch64-unknown-linux-gnu-c++',
        'clang++',
      ]);
      expect(names.ar.map((c) => c.program)).toEqual([
        'aarch64-linux-gnu-ar',
        'aarch64-linux-gnu-gcc-ar',
        'aarch64-unknown-linux-gnu-ar',
        'aarch64-unknown-linux-gnu-gcc-ar',
        'llvm-ar',
      ]);
      expect(names.ranlib.map((c) => c.program)).toEqual([
        'aarch64-linux-gnu-ranlib',
        'aarch64-linux-gnu-gcc-ranlib',
        'aarch64-unknown-linux-gnu-ranlib',
        'aarch64-unknown-linux-gnu-gcc-ranlib',
        'llvm-ranlib',
      ]);
    },
  );

  unit('with a CROSS_COMPILE-style prefix, tries only that prefix before clang', () => {
    const names = crossToolNames('aarch64-unknown-linux-gnu', {
      prefix: 'aarch64-none-linux-gnu-',
    });
    expect(names.cc.map((c) => c.program)).toEqual([
      'aarch64-none-linux-gnu-gcc',
      'aarch64-none-linux-gnu-cc',
      'clang',
    ]);
  });

  unit.each([
    [
      'armv7-unknown-linux-gnueabihf',
      'arm-linux-gnueabihf-gcc',
      '--target=armv7-unknown-linux-gnueabihf',
    ],
    ['riscv64gc-unknown-linux-gnu', 'riscv64-linux-gnu-gcc', '--target=riscv64-unknown-linux-gnu'],
    [
      'powerpc64le-unknown-linux-gnu',
      'powerpc64le-linux-gnu-gcc',
      '--target=powerpc64le-unknown-linux-gnu',
    ],
    ['x86_64-unknown-linux-musl', 'x86_64-linux-musl-gcc', '--target=x86_64-unknown-linux-musl'],
    ['x86_64-pc-windows-gnu', 'x86_64-w64-mingw32-gcc', '--target=x86_64-pc-windows-gnu'],
  ])('%s → %s, clang %s', (triple, gcc, clangFlag) => {
    const names = crossToolNames(triple);
    expect(names.cc[0]!.program).toBe(gcc);
    expect(names.cc.at(-1)).toEqual({ program: 'clang', args: [clangFlag] });
  });

  unit('offers musl-gcc for x86_64 musl and clang-cl for MSVC', () => {
    expect(crossToolNames('x86_64-unknown-linux-musl').cc.map((c) => c.program)).toContain(
      'musl-gcc',
    );
    expect(crossToolNames('x86_64-pc-windows-msvc').cc.map((c) => c.program)).toEqual([
      'cl',
      'clang-cl',
      'clang',
    ]);
  });

  unit('never puts host flags (-m64) on a cross tool', () => {
    for (const t of [
      'aarch64-unknown-linux-gnu',
      'armv7-unknown-linux-gnueabihf',
      's390x-unknown-linux-gnu',
    ]) {
      const all = Object.values(crossToolNames(t)).flat();
      expect(
        all.flatMap((c: ToolCandidate) => c.args).filter((a: string) => /^-m(32|64)$/.test(a)),
      ).toEqual([]);
    }
  });

  unit.each([
    ['aarch64-unknown-linux-gnu', 'qemu-aarch64', '/usr/aarch64-linux-gnu'],
    ['armv7-unknown-linux-gnueabihf', 'qemu-arm', '/usr/arm-linux-gnueabihf'],
    ['riscv64gc-unknown-linux-gnu', 'qemu-riscv64', '/usr/riscv64-linux-gnu'],
    ['powerpc64le-unknown-linux-gnu', 'qemu-ppc64le', '/usr/powerpc64le-linux-gnu'],
    ['s390x-unknown-linux-gnu', 'qemu-s390x', '/usr/s390x-linux-gnu'],
    ['i686-unknown-linux-gnu', 'qemu-i386', '/usr/i686-linux-gnu'],
  ])('qemuFor(%s) = %s -L %s', (triple, program, sysroot) => {
    expect(qemuFor(triple)).toEqual({ program, args: ['-L', sysroot], sysroot });
  });

  unit('has no qemu runner for non-Linux targets', () => {
    expect(qemuFor('aarch64-apple-darwin')).toBeUndefined();
    expect(qemuFor('x86_64-pc-windows-msvc')).toBeUndefined();
  });
});

describe('Linux cross on real tools', () => {
  const target = 'aarch64-unknown-linux-gnu';

  it('builds a library and program with the tools crossToolNames picks, and runs it under qemu', async () => {
    const dir = tempDir('kiln-cross-');
    const tools = crossToolNames(target);
    const cc = pick(tools.cc);
    const ar = pick(tools.ar);
    expect(cc.program).toBe('aarch64-linux-gnu-gcc');
    expect(ar.program).toBe('aarch64-linux-gnu-ar');

    const obj = path.join(dir, 'greet.o');
    await execa(cc.program, [
      ...cc.args,
      '-O2',
      '-fPIC',
      '-c',
      path.join(SRC, 'greet.c'),
      '-o',
      obj,
    ]);
    expect(await elfMachine(obj)).toEqual({
      machine: 183,
      arch: 'aarch64',
      bits: 64,
      endian: 'little',
    });
    const lib = path.join(dir, 'libgreet.a');
    await execa(ar.program, [...ar.args, 'rcsD', lib, obj]);
    const exe = path.join(dir, 'hello');
    await execa(cc.program, [
      ...cc.args,
      path.join(SRC, 'main.c'),
      `-I${SRC}`,
      `-L${dir}`,
      '-lgreet',
      '-o',
      exe,
    ]);
    expect((await elfMachine(exe)).arch).toBe('aarch64');

    const qemu = qemuFor(target)!;
    const run = await execa(qemu.program, [...qemu.args, exe]);
    expect(run.stdout).toBe('hello from aarch64; 2+3=5');
  });

  it('clang --target from crossToolNames compiles objects the GNU cross linker accepts', async () => {
    const dir = tempDir('kiln-cross-clang-');
    const tools = crossToolNames(target);
    const clang = tools.cc.find((c) => c.program === 'clang')!;
    const gcc = pick(tools.cc);
    const objs: string[] = [];
    for (const src of ['greet.c', 'main.c']) {
      const obj = path.join(dir, src.replace('.c', '.o'));
      await execa(clang.program, [...clang.args, '-c', path.join(SRC, src), '-o', obj]);
      expect((await elfMachine(obj)).arch).toBe('aarch64');
      objs.push(obj);
    }
    const exe = path.join(dir, 'hello');
    await execa(gcc.program, [...objs, '-o', exe]);
    const qemu = qemuFor(target)!;
    const { stdout } = await execa(qemu.program, [...qemu.args, exe]);
    expect(stdout).toBe('hello from aarch64; 2+3=5');
  });
});
