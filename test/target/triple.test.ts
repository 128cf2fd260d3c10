import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import {
  appleArchName,
  gnuCrossPrefix,
  hostTriple,
  isApple,
  isCross,
  isUniversal,
  parseTriple,
  universalParts,
} from '../../src/target/index.js';

type Row = [
  input: string,
  triple: string,
  arch: string,
  vendor: string,
  os: string,
  env: string | undefined,
  osVersion?: string,
];

const valid: Row[] = [
  ['x86_64-unknown-linux-gnu', 'x86_64-unknown-linux-gnu', 'x86_64', 'unknown', 'linux', 'gnu'],
  ['aarch64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'aarch64', 'unknown', 'linux', 'gnu'],
  ['aarch64-linux-gnu', 'aarch64-unknown-linux-gnu', 'aarch64', 'unknown', 'linux', 'gnu'],
  ['x86_64-linux-musl', 'x86_64-unknown-linux-musl', 'x86_64', 'unknown', 'linux', 'musl'],
  ['x86_64-pc-linux-gnu', 'x86_64-unknown-linux-gnu', 'x86_64', 'unknown', 'linux', 'gnu'],
  ['x86_64-alpine-linux-musl', 'x86_64-unknown-linux-musl', 'x86_64', 'unknown', 'linux', 'musl'],
  ['x86_64-unknown-linux', 'x86_64-unknown-linux-gnu', 'x86_64', 'unknown', 'linux', 'gnu'],
  ['x86_64-unknown-linux-musl', 'x86_64-unknown-linux-musl', 'x86_64', 'unknown', 'linux', 'musl'],
  [
    'aarch64-unknown-linux-musl',
    'aarch64-unknown-linux-musl',
    'aarch64',
    'unknown',
    'linux',
    'musl',
  ],
  [
    'armv7-unknown-linux-gnueabihf',
    'armv7-unknown-linux-gnueabihf',
    'armv7',
    'unknown',
    'linux',
    'gnueabihf',
  ],
  ['arm-linux-gnueabihf', 'arm-unknown-linux-gnueabihf', 'arm', 'unknown', 'linux', 'gnueabihf'],
  [
    'armv7-unknown-linux-musleabihf',
    'armv7-unknown-linux-musleabihf',
    'armv7',
    'unknown',
    'linux',
    'musleabihf',
  ],
  ['armv7l-linux', 'armv7-unknown-linux-gnueabihf', 'armv7', 'unknown', 'linux', 'gnueabihf'],
  ['i686-unknown-linux-gnu', 'i686-unknown-linux-gnu', 'i686', 'unknown', 'linux', 'gnu'],
  [
    'riscv64gc-unknown-linux-gnu',
    'riscv64gc-unknown-linux-gnu',
    'riscv64gc',
    'unknown',
    'linux',
    'gnu',
  ],
  ['riscv64-linux-gnu', 'riscv64gc-unknown-linux-gnu', 'riscv64gc', 'unknown', 'linux', 'gnu'],
  [
    'powerpc64le-unknown-linux-gnu',
    'powerpc64le-unknown-linux-gnu',
    'powerpc64le',
    'unknown',
    'linux',
    'gnu',
  ],
  ['ppc64le-linux-gnu', 'powerpc64le-unknown-linux-gnu', 'powerpc64le', 'unknown', 'linux', 'gnu'],
  ['s390x-unknown-linux-gnu', 's390x-unknown-linux-gnu', 's390x', 'unknown', 'linux', 'gnu'],
  [
    'loongarch64-unknown-linux-gnu',
    'loongarch64-unknown-linux-gnu',
    'loongarch64',
    'unknown',
    'linux',
    'gnu',
  ],
  [
    'aarch64-linux-android',
    'aarch64-unknown-linux-android',
    'aarch64',
    'unknown',
    'linux',
    'android',
  ],
  ['x86_64-apple-darwin', 'x86_64-apple-darwin', 'x86_64', 'apple', 'darwin', undefined],
  ['aarch64-apple-darwin', 'aarch64-apple-darwin', 'aarch64', 'apple', 'darwin', undefined],
  ['arm64-apple-darwin', 'aarch64-apple-darwin', 'aarch64', 'apple', 'darwin', undefined],
  ['arm64-apple-macos', 'aarch64-apple-darwin', 'aarch64', 'apple', 'darwin', undefined],
  ['aarch64-darwin', 'aarch64-apple-darwin', 'aarch64', 'apple', 'darwin', undefined],
  [
    'x86_64-apple-macosx11.0',
    'x86_64-apple-darwin',
    'x86_64',
    'apple',
    'darwin',
    undefined,
    '11.0',
  ],
  ['arm64-apple-macos12', 'aarch64-apple-darwin', 'aarch64', 'apple', 'darwin', undefined, '12.0'],
  [
    'x86_64-apple-macosx10.15.4',
    'x86_64-apple-darwin',
    'x86_64',
    'apple',
    'darwin',
    undefined,
    '10.15.4',
  ],
  [
    'x86_64-apple-darwin19.6.0',
    'x86_64-apple-darwin',
    'x86_64',
    'apple',
    'darwin',
    undefined,
    '10.15',
  ],
  ['arm64-apple-darwin20', 'aarch64-apple-darwin', 'aarch64', 'apple', 'darwin', undefined, '11.0'],
  [
    'arm64-apple-darwin23.1.0',
    'aarch64-apple-darwin',
    'aarch64',
    'apple',
    'darwin',
    undefined,
    '14.0',
  ],
  ['universal-apple-darwin', 'universal-apple-darwin', 'universal', 'apple', 'darwin', undefined],
  ['universal2-apple-darwin', 'universal-apple-darwin', 'universal', 'apple', 'darwin', undefined],
  ['x86_64-pc-windows-msvc', 'x86_64-pc-windows-msvc', 'x86_64', 'pc', 'windows', 'msvc'],
  ['i686-pc-windows-msvc', 'i686-pc-windows-msvc', 'i686', 'pc', 'windows', 'msvc'],
  ['aarch64-pc-windows-msvc', 'aarch64-pc-windows-msvc', 'aarch64', 'pc', 'windows', 'msvc'],
  ['x86_64-pc-windows-gnu', 'x86_64-pc-windows-gnu', 'x86_64', 'pc', 'windows', 'gnu'],
  ['x86_64-w64-mingw32', 'x86_64-pc-windows-gnu', 'x86_64', 'pc', 'windows', 'gnu'],
  ['x86_64-pc-windows', 'x86_64-pc-windows-msvc', 'x86_64', 'pc', 'windows', 'msvc'],
  ['x86_64-unknown-freebsd', 'x86_64-unknown-freebsd', 'x86_64', 'unknown', 'freebsd', undefined],
  [
    'x86_64-unknown-freebsd13.2',
    'x86_64-unknown-freebsd',
    'x86_64',
    'unknown',
    'freebsd',
    undefined,
    '13.2',
  ],
  [
    'aarch64-unknown-openbsd',
    'aarch64-unknown-openbsd',
    'aarch64',
    'unknown',
    'openbsd',
    undefined,
  ],
  ['powerpc64-ibm-aix', 'powerpc64-ibm-aix', 'powerpc64', 'ibm', 'aix', undefined],
  ['x86_64-pc-solaris', 'x86_64-pc-solaris', 'x86_64', 'pc', 'solaris', undefined],
  ['x86_64-unknown-illumos', 'x86_64-unknown-illumos', 'x86_64', 'unknown', 'illumos', undefined],
  ['wasm32-unknown-wasi', 'wasm32-unknown-wasi', 'wasm32', 'unknown', 'wasi', undefined],
  ['  AMD64-unknown-linux-gnu  ', 'x86_64-unknown-linux-gnu', 'x86_64', 'unknown', 'linux', 'gnu'],
];

describe('parseTriple', () => {
  it.each(valid)('parses %s', (input, triple, arch, vendor, os, env, osVersion) => {
    const t = parseTriple(input);
    expect(t).toEqual({ triple, arch, vendor, os, env, osVersion });
  });

  it('is idempotent: a normalised triple parses to itself', () => {
    for (const [input] of valid) {
      const once = parseTriple(input);
      expect(parseTriple(once.triple).triple).toBe(once.triple);
    }
  });

  const invalid: [input: string, mentions: string][] = [
    ['', 'expected arch-vendor-os'],
    ['   ', 'expected arch-vendor-os'],
    ['x86_64', 'expected arch-vendor-os'],
    ['linux-x64', 'unknown architecture "linux"'],
    ['x86-64-unknown-linux-gnu', 'expected arch-vendor-os'],
    ['sparc9-unknown-linux-gnu', 'unknown architecture "sparc9"'],
    ['x86_64-unknown-lunix-gnu', 'unknown operating system "lunix"'],
    ['x86_64-unknown-linux-gnuu', 'unknown environment "gnuu"'],
    ['aarch64-apple-darwin-gnu-extra', 'expected arch-vendor-os'],
    ['x86_64--linux-gnu', 'expected arch-vendor-os'],
    ['x86_64-unknown-linux-gnu; rm -rf /', 'expected arch-vendor-os'],
    ['universal-unknown-linux-gnu', 'only for Apple targets'],
    ['x86_64-9vendor-linux-gnu', 'unknown vendor'],
  ];

  it.each(invalid)('rejects %j with TARGET_INVALID naming the input', (input, mentions) => {
    let error: unknown;
    try {
      parseTriple(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KilnError);
    const k = error as KilnError;
    expect(k.code).toBe('TARGET_INVALID');
    expect(k.exitCode).toBe(2);
    expect(k.message).toContain(`"${input}"`);
    expect(k.message).toContain(mentions);
    expect(k.hint).toContain('x86_64-unknown-linux-gnu');
    expect(k.hint).toContain('aarch64-apple-darwin');
  });

  it('points a Node platform-arch pair to its triple', () => {
    expect(() => parseTriple('darwin-arm64')).toThrow(KilnError);
    try {
      parseTriple('linux-x64');
    } catch (e) {
      expect((e as KilnError).hint).toContain(
        "Node's platform-arch name; its triple is x86_64-unknown-linux-gnu",
      );
    }
  });
});

describe('triple helpers', () => {
  it('splits universal-apple-darwin into x86_64 then aarch64, keeping the OS version', () => {
    const parts = universalParts(parseTriple('universal-apple-macosx11.0'));
    expect(parts.map((p) => p.triple)).toEqual(['x86_64-apple-darwin', 'aarch64-apple-darwin']);
    expect(parts.every((p) => p.osVersion === '11.0')).toBe(true);
    expect(universalParts(parseTriple('aarch64-apple-darwin'))).toHaveLength(1);
  });

  it.each([
    ['aarch64-apple-darwin', 'arm64'],
    ['x86_64-apple-darwin', 'x86_64'],
    ['i686-apple-darwin', 'i386'],
  ])('names the Apple arch of %s %s', (triple, name) => {
    expect(appleArchName(parseTriple(triple))).toBe(name);
  });

  it.each([
    ['aarch64-unknown-linux-gnu', 'aarch64-linux-gnu-'],
    ['armv7-unknown-linux-gnueabihf', 'arm-linux-gnueabihf-'],
    ['riscv64gc-unknown-linux-gnu', 'riscv64-linux-gnu-'],
    ['powerpc64le-unknown-linux-gnu', 'powerpc64le-linux-gnu-'],
    ['s390x-unknown-linux-gnu', 's390x-linux-gnu-'],
    ['i686-unknown-linux-gnu', 'i686-linux-gnu-'],
    ['aarch64-unknown-linux-musl', 'aarch64-linux-musl-'],
    ['x86_64-pc-windows-gnu', 'x86_64-w64-mingw32-'],
  ])('gives %s the GNU cross prefix %s', (triple, prefix) => {
    expect(gnuCrossPrefix(parseTriple(triple))).toBe(prefix);
  });

  it('classifies Apple, universal and cross targets', () => {
    const host = parseTriple('x86_64-unknown-linux-gnu');
    expect(isApple(parseTriple('x86_64-apple-darwin'))).toBe(true);
    expect(isApple(host)).toBe(false);
    expect(isUniversal(parseTriple('universal-apple-darwin'))).toBe(true);
    expect(isCross(host, parseTriple('aarch64-linux-gnu'))).toBe(true);
    expect(isCross(host, parseTriple('x86_64-pc-linux-gnu'))).toBe(false);
  });

  it.each([
    ['linux', 'x64', /^x86_64-unknown-linux-(gnu|musl)$/],
    ['linux', 'arm', /^armv7-unknown-linux-(gnu|musl)eabihf$/],
    ['linux', 'ppc64', /^powerpc64le-unknown-linux-(gnu|musl)$/],
    ['darwin', 'arm64', /^aarch64-apple-darwin$/],
    ['win32', 'ia32', /^i686-pc-windows-msvc$/],
    ['aix', 'ppc64', /^powerpc64-ibm-aix$/],
    ['freebsd', 'x64', /^x86_64-unknown-freebsd$/],
  ])('hostTriple(%s, %s) is a triple that parses to itself', (platform, arch, pattern) => {
    const t = hostTriple(platform, arch);
    expect(t).toMatch(pattern);
    expect(parseTriple(t).triple).toBe(t);
  });

  it('hostTriple() describes this machine', () => {
    const t = parseTriple(hostTriple());
    expect(t.triple).toBe(hostTriple());
  });
});
