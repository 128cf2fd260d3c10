import { describe, expect, it } from 'vitest';
import { KilnError } from '../../src/errors.js';
import {
  abiTag,
  fromNode,
  type NodeTarget,
  napiTag,
  parseTriple,
  prebuildFileName,
  prebuildName,
  prebuildPath,
  toNode,
} from '../../src/target/index.js';

/**
 * Every platform/arch Node has shipped official or widely used builds for, with the triple Kiln
 * builds for it and the prebuild folder node-gyp-build looks in.
 */
const table: [triple: string, node: NodeTarget, prebuild: string][] = [
  ['x86_64-unknown-linux-gnu', { platform: 'linux', arch: 'x64', libc: 'glibc' }, 'linux-x64'],
  ['x86_64-unknown-linux-musl', { platform: 'linux', arch: 'x64', libc: 'musl' }, 'linux-x64'],
  [
    'aarch64-unknown-linux-gnu',
    { platform: 'linux', arch: 'arm64', libc: 'glibc', armv: '8' },
    'linux-arm64',
  ],
  [
    'aarch64-unknown-linux-musl',
    { platform: 'linux', arch: 'arm64', libc: 'musl', armv: '8' },
    'linux-arm64',
  ],
  [
    'armv7-unknown-linux-gnueabihf',
    { platform: 'linux', arch: 'arm', libc: 'glibc', armv: '7' },
    'linux-arm',
  ],
  [
    'armv7-unknown-linux-musleabihf',
    { platform: 'linux', arch: 'arm', libc: 'musl', armv: '7' },
    'linux-arm',
  ],
  ['i686-unknown-linux-gnu', { platform: 'linux', arch: 'ia32', libc: 'glibc' }, 'linux-ia32'],
  [
    'powerpc64le-unknown-linux-gnu',
    { platform: 'linux', arch: 'ppc64', libc: 'glibc' },
    'linux-ppc64',
  ],
  ['s390x-unknown-linux-gnu', { platform: 'linux', arch: 's390x', libc: 'glibc' }, 'linux-s390x'],
  [
    'riscv64gc-unknown-linux-gnu',
    { platform: 'linux', arch: 'riscv64', libc: 'glibc' },
    'linux-riscv64',
  ],
  [
    'loongarch64-unknown-linux-gnu',
    { platform: 'linux', arch: 'loong64', libc: 'glibc' },
    'linux-loong64',
  ],
  ['x86_64-apple-darwin', { platform: 'darwin', arch: 'x64' }, 'darwin-x64'],
  ['aarch64-apple-darwin', { platform: 'darwin', arch: 'arm64', armv: '8' }, 'darwin-arm64'],
  ['x86_64-pc-windows-msvc', { platform: 'win32', arch: 'x64' }, 'win32-x64'],
  ['i686-pc-windows-msvc', { platform: 'win32', arch: 'ia32' }, 'win32-ia32'],
  ['aarch64-pc-windows-msvc', { platform: 'win32', arch: 'arm64', armv: '8' }, 'win32-arm64'],
  ['x86_64-unknown-freebsd', { platform: 'freebsd', arch: 'x64' }, 'freebsd-x64'],
  ['aarch64-unknown-freebsd', { platform: 'freebsd', arch: 'arm64', armv: '8' }, 'freebsd-arm64'],
  ['x86_64-unknown-openbsd', { platform: 'openbsd', arch: 'x64' }, 'openbsd-x64'],
  ['powerpc64-ibm-aix', { platform: 'aix', arch: 'ppc64' }, 'aix-ppc64'],
  ['x86_64-pc-solaris', { platform: 'sunos', arch: 'x64' }, 'sunos-x64'],
  [
    'aarch64-unknown-linux-android',
    { platform: 'android', arch: 'arm64', armv: '8' },
    'android-arm64',
  ],
];

describe('Node mapping', () => {
  it.each(table)('toNode(%s)', (triple, node) => {
    expect(toNode(triple)).toEqual(node);
    expect(toNode(parseTriple(triple))).toEqual(node);
  });

  it.each(table)('fromNode maps the Node names of %s back to it', (triple, node) => {
    expect(fromNode(node.platform, node.arch, node.libc).triple).toBe(triple);
  });

  it.each(table)('prebuildName(%s) is %s', (triple, _node, prebuild) => {
    expect(prebuildName(triple)).toBe(prebuild);
  });

  it('names the universal prebuild folder as node-gyp-build does', () => {
    expect(prebuildName('universal-apple-darwin')).toBe('darwin-x64+arm64');
  });

  it('defaults a Linux libc to glibc', () => {
    expect(fromNode('linux', 'x64').triple).toBe('x86_64-unknown-linux-gnu');
    expect(fromNode('linux', 'arm').triple).toBe('armv7-unknown-linux-gnueabihf');
  });

  it('refuses universal in toNode, pointing at its parts', () => {
    expect(() => toNode('universal-apple-darwin')).toThrow(/no single Node arch/);
  });

  it('maps illumos to sunos, as Node names it', () => {
    expect(toNode('x86_64-unknown-illumos')).toEqual({ platform: 'sunos', arch: 'x64' });
  });

  it.each(['wasm32-unknown-wasi', 'mips64el-unknown-linux-gnuabi64', 'aarch64-apple-ios'])(
    'says Node does not run on %s',
    (triple) => {
      let error: unknown;
      try {
        toNode(triple);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KilnError);
      expect((error as KilnError).code).toBe('TARGET_UNSUPPORTED');
      expect((error as KilnError).message).toContain(parseTriple(triple).triple);
    },
  );

  it.each([
    ['linux', 'sparc', /Unknown Node arch "sparc"/],
    ['plan9', 'x64', /Unknown Node platform "plan9"/],
  ])('rejects fromNode(%s, %s) listing the accepted values', (platform, arch, message) => {
    try {
      fromNode(platform, arch);
      expect.unreachable();
    } catch (e) {
      expect((e as KilnError).code).toBe('TARGET_INVALID');
      expect((e as KilnError).message).toMatch(message);
      expect((e as KilnError).hint).toMatch(/x64|linux/);
    }
  });

  it('round-trips this process', () => {
    const t = fromNode(process.platform, process.arch);
    const n = toNode(t);
    expect(n.platform).toBe(process.platform);
    expect(n.arch).toBe(process.arch);
  });
});

describe('prebuild file names (prebuildify / node-gyp-build tags)', () => {
  it.each([
    ['x86_64-unknown-linux-gnu', {}, 'node.napi.glibc.node'],
    ['x86_64-unknown-linux-musl', {}, 'node.napi.musl.node'],
    ['x86_64-unknown-linux-gnu', { tagLibc: false }, 'node.napi.node'],
    ['x86_64-unknown-linux-gnu', { libc: 'musl' as const }, 'node.napi.musl.node'],
    ['armv7-unknown-linux-gnueabihf', { tagArmv: true }, 'node.napi.armv7.glibc.node'],
    ['aarch64-apple-darwin', {}, 'node.napi.node'],
    ['universal-apple-darwin', {}, 'node.napi.node'],
    ['x86_64-pc-windows-msvc', { abi: 115 }, 'node.abi115.node'],
    [
      'x86_64-unknown-linux-gnu',
      { abi: '127', uv: 1, runtime: 'electron' as const },
      'electron.abi127.uv1.glibc.node',
    ],
  ])('%s %j → %s', (triple, options, name) => {
    expect(prebuildFileName(triple, options)).toBe(name);
  });

  it('joins folder and file under prebuilds/', () => {
    expect(prebuildPath('universal-apple-darwin')).toBe(
      'prebuilds/darwin-x64+arm64/node.napi.node',
    );
    expect(prebuildPath('aarch64-unknown-linux-musl')).toBe(
      'prebuilds/linux-arm64/node.napi.musl.node',
    );
  });

  it('uses the bare napi tag whatever the Node-API version', () => {
    expect(napiTag()).toBe('napi');
    expect(napiTag(8)).toBe('napi');
  });

  it('tags non-Node-API builds with the module version', () => {
    expect(abiTag(115)).toBe('abi115');
    expect(() => abiTag('v20')).toThrow(/NODE_MODULE_VERSION/);
  });

  /** node-gyp-build's parseTags, reduced to the rules that decide a match. */
  function parseTags(file: string): Record<string, string | boolean> {
    const tags: Record<string, string | boolean> = {};
    for (const tag of file.split('.').slice(0, -1)) {
      if (tag === 'node' || tag === 'electron') tags.runtime = tag;
      else if (tag === 'napi') tags.napi = true;
      else if (tag.startsWith('abi')) tags.abi = tag.slice(3);
      else if (tag.startsWith('uv')) tags.uv = tag.slice(2);
      else if (tag.startsWith('armv')) tags.armv = tag.slice(4);
      else if (tag === 'glibc' || tag === 'musl') tags.libc = tag;
    }
    return tags;
  }

  it('produces names whose tags node-gyp-build parses back', () => {
    expect(
      parseTags(prebuildFileName('armv7-unknown-linux-musleabihf', { tagArmv: true })),
    ).toEqual({
      runtime: 'node',
      napi: true,
      armv: '7',
      libc: 'musl',
    });
  });
});
