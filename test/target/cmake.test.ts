import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it as unit } from 'vitest';
import { renderToolchainFile } from '../../src/plugins/cmake/toolchain-file.js';
import {
  cmakeOsxArchitectures,
  cmakeSystemName,
  cmakeSystemProcessor,
  hostTriple,
  parseTriple,
} from '../../src/target/index.js';
import { itWith } from '../support/tools.js';

describe('CMake system name and processor follow what CMake reports natively', () => {
  unit.each([
    // Linux: `uname -m`.
    ['x86_64-unknown-linux-gnu', 'Linux', 'x86_64'],
    ['aarch64-unknown-linux-gnu', 'Linux', 'aarch64'],
    ['armv7-unknown-linux-gnueabihf', 'Linux', 'armv7l'],
    ['powerpc64le-unknown-linux-gnu', 'Linux', 'ppc64le'],
    ['s390x-unknown-linux-gnu', 'Linux', 's390x'],
    ['riscv64gc-unknown-linux-gnu', 'Linux', 'riscv64'],
    ['i686-unknown-linux-gnu', 'Linux', 'i686'],
    ['aarch64-unknown-linux-musl', 'Linux', 'aarch64'],
    // FreeBSD: `uname -p`.
    ['x86_64-unknown-freebsd', 'FreeBSD', 'amd64'],
    ['i686-unknown-freebsd', 'FreeBSD', 'i386'],
    ['aarch64-unknown-freebsd', 'FreeBSD', 'aarch64'],
    // Windows: PROCESSOR_ARCHITECTURE, whichever env.
    ['x86_64-pc-windows-msvc', 'Windows', 'AMD64'],
    ['aarch64-pc-windows-msvc', 'Windows', 'ARM64'],
    ['i686-pc-windows-msvc', 'Windows', 'X86'],
    ['x86_64-pc-windows-gnu', 'Windows', 'AMD64'],
    // Darwin and iOS: Apple's `uname -m`.
    ['x86_64-apple-darwin', 'Darwin', 'x86_64'],
    ['aarch64-apple-darwin', 'Darwin', 'arm64'],
    ['aarch64-apple-ios', 'iOS', 'arm64'],
    // Android: a Linux kernel, its own CMake system.
    ['aarch64-linux-android', 'Android', 'aarch64'],
    ['armv7-linux-androideabi', 'Android', 'armv7l'],
    ['powerpc64-ibm-aix', 'AIX', 'ppc64'],
  ])('%s → %s / %s', (triple, name, processor) => {
    expect(cmakeSystemName(triple)).toBe(name);
    expect(cmakeSystemProcessor(triple)).toBe(processor);
  });

  unit('uses CMAKE_OSX_ARCHITECTURES instead of a processor for universal', () => {
    expect(() => cmakeSystemProcessor('universal-apple-darwin')).toThrow(
      expect.objectContaining({
        code: 'TARGET_UNSUPPORTED',
        hint: expect.stringContaining('CMAKE_OSX_ARCHITECTURES'),
      }),
    );
    expect(() => cmakeOsxArchitectures('x86_64-unknown-linux-gnu')).toThrow(/Apple targets/);
  });

  unit('names the Apple architectures for CMAKE_OSX_ARCHITECTURES', () => {
    expect(cmakeOsxArchitectures('x86_64-apple-darwin')).toBe('x86_64');
    expect(cmakeOsxArchitectures('aarch64-apple-darwin')).toBe('arm64');
    expect(cmakeOsxArchitectures('universal-apple-darwin')).toBe('x86_64;arm64');
  });
});

describe('generated toolchain file for a cross target', () => {
  const host = parseTriple('x86_64-unknown-linux-gnu');
  const render = (triple: string) =>
    renderToolchainFile({
      target: parseTriple(triple),
      host,
      toolchain: undefined,
      userToolchain: undefined,
    });

  unit.each([
    ['armv7-unknown-linux-gnueabihf', 'Linux', 'armv7l'],
    ['powerpc64le-unknown-linux-gnu', 'Linux', 'ppc64le'],
    ['x86_64-unknown-freebsd', 'FreeBSD', 'amd64'],
    ['riscv64gc-unknown-linux-gnu', 'Linux', 'riscv64'],
    ['aarch64-pc-windows-msvc', 'Windows', 'ARM64'],
    ['aarch64-apple-darwin', 'Darwin', 'arm64'],
  ])('%s: CMAKE_SYSTEM_NAME %s, CMAKE_SYSTEM_PROCESSOR %s', (triple, name, processor) => {
    const text = render(triple);
    expect(text).toContain(`set(CMAKE_SYSTEM_NAME "${name}")`);
    expect(text).toContain(`set(CMAKE_SYSTEM_PROCESSOR "${processor}")`);
  });

  unit('sets no processor for a universal Apple target built elsewhere', () => {
    const text = render('universal-apple-darwin');
    expect(text).toContain('set(CMAKE_SYSTEM_NAME "Darwin")');
    expect(text).not.toContain('CMAKE_SYSTEM_PROCESSOR');
  });
});

describe('real cmake', () => {
  const it = itWith('cmake');
  // `\${...}` is CMake's variable syntax, written literally.
  const REPORT = `cmake_minimum_required(VERSION 3.10)\nproject(probe NONE)\nmessage(STATUS "kiln-probe:\${CMAKE_SYSTEM_NAME}|\${CMAKE_SYSTEM_PROCESSOR}")\n`;

  async function configure(toolchain?: string): Promise<{ name: string; processor: string }> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln cmake système '));
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'CMakeLists.txt'), REPORT);
    const args = ['-S', path.join(dir, 'src'), '-B', path.join(dir, 'build')];
    if (toolchain !== undefined) {
      writeFileSync(path.join(dir, 'tc.cmake'), toolchain);
      args.push(`-DCMAKE_TOOLCHAIN_FILE=${path.join(dir, 'tc.cmake')}`);
    }
    const r = await execa('cmake', args);
    const m = /kiln-probe:([^|\n]*)\|([^\n]*)/.exec(r.stdout);
    if (!m) throw new Error(`no probe line in:\n${r.stdout}`);
    return { name: m[1]!, processor: m[2]!.trim() };
  }

  it('reports for this machine what cmakeSystemName/Processor say for the host triple', async () => {
    const host = hostTriple();
    expect(await configure()).toEqual({
      name: cmakeSystemName(host),
      processor: cmakeSystemProcessor(host),
    });
  });

  it('takes the generated toolchain file for armv7: Linux / armv7l', async () => {
    const text = renderToolchainFile({
      target: parseTriple('armv7-unknown-linux-gnueabihf'),
      host: parseTriple(hostTriple()),
      toolchain: undefined,
      userToolchain: undefined,
    });
    expect(await configure(text)).toEqual({ name: 'Linux', processor: 'armv7l' });
  });
});
