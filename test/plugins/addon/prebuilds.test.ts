import { describe, expect, it } from 'vitest';
import {
  choosePrebuildFile,
  choosePrebuildFiles,
  choosePrebuildFolder,
  currentHost,
  type PrebuildHost,
  parsePrebuildFile,
} from '../../../src/plugins/addon/prebuilds.js';

const linux: PrebuildHost = {
  platform: 'linux',
  arch: 'x64',
  runtime: 'node',
  abi: '127',
  uv: '1',
  armv: '',
  libc: 'glibc',
};
const musl: PrebuildHost = { ...linux, libc: 'musl' };
const electron: PrebuildHost = { ...linux, runtime: 'electron', abi: '128' };
const armv7: PrebuildHost = { ...linux, arch: 'arm', armv: '7' };
const arm64: PrebuildHost = { ...linux, arch: 'arm64', armv: '8' };
const mac: PrebuildHost = { ...linux, platform: 'darwin', arch: 'arm64', armv: '8' };

// Each row: the files of one prebuild folder, the process, and the file node-gyp-build 4.x
// loads (undefined: none, it throws "No native build was found").
const files: Array<[string, string[], PrebuildHost, string | undefined]> = [
  ['prebuildify default', ['node.napi.node'], linux, 'node.napi.node'],
  ['kiln addon name and libc', ['x.napi.glibc.node'], linux, 'x.napi.glibc.node'],
  [
    'libc tag chosen by the host libc',
    ['x.napi.glibc.node', 'x.napi.musl.node'],
    musl,
    'x.napi.musl.node',
  ],
  ['a glibc build never loads on musl', ['x.napi.glibc.node'], musl, undefined],
  ['an untagged build loads on musl', ['x.napi.node', 'x.napi.glibc.node'], musl, 'x.napi.node'],
  ['more tags win', ['node.napi.node', 'node.napi.glibc.node'], linux, 'node.napi.glibc.node'],
  ['abi over napi', ['node.napi.node', 'node.abi127.node'], linux, 'node.abi127.node'],
  ['another abi does not load', ['node.abi115.node'], linux, undefined],
  ['napi beside another abi', ['node.abi115.node', 'node.napi.node'], linux, 'node.napi.node'],
  [
    'an abi file that is also napi matches any abi',
    ['node.abi115.napi.node'],
    linux,
    'node.abi115.napi.node',
  ],
  [
    'the host runtime beats an untagged one',
    ['binding.napi.node', 'node.napi.node'],
    linux,
    'node.napi.node',
  ],
  [
    'electron prefers its own runtime',
    ['node.napi.node', 'electron.napi.node'],
    electron,
    'electron.napi.node',
  ],
  ['node.napi loads in electron', ['node.napi.node'], electron, 'node.napi.node'],
  ['a node abi build does not load in electron', ['node.abi128.node'], electron, undefined],
  ['an electron build does not load in node', ['electron.napi.node'], linux, undefined],
  ['uv tag must match', ['node.napi.uv2.node'], linux, undefined],
  ['uv tag that matches', ['node.napi.uv1.node', 'node.napi.node'], linux, 'node.napi.uv1.node'],
  [
    'armv tag picks the ARM version',
    ['node.napi.armv6.node', 'node.napi.armv7.node'],
    armv7,
    'node.napi.armv7.node',
  ],
  ['arm64 is armv8', ['node.napi.armv8.node'], arm64, 'node.napi.armv8.node'],
  ['an armv tag on x64 does not match', ['node.napi.armv7.node'], linux, undefined],
  ['not a .node file', ['README.md', 'node.napi.node.sig'], linux, undefined],
  [
    'all tags in prebuildify order',
    ['x.napi.uv1.armv7.glibc.node', 'x.napi.node'],
    armv7,
    'x.napi.uv1.armv7.glibc.node',
  ],
];

describe('prebuild file matching (node-gyp-build rules)', () => {
  it.each(files)('%s', (_label, names, host, expected) => {
    expect(choosePrebuildFile(names, host)).toBe(expected);
  });

  it('does not depend on the directory order', () => {
    for (const [, names, host, expected] of files) {
      expect(choosePrebuildFile([...names].reverse(), host)).toBe(expected);
    }
  });

  it('with a name, picks that addon and skips the others', () => {
    const names = ['a.napi.glibc.node', 'b.napi.node', 'b.napi.glibc.node', 'c.napi.musl.node'];
    expect(choosePrebuildFile(names, linux, 'b')).toBe('b.napi.glibc.node');
    expect(choosePrebuildFile(names, linux, 'c')).toBeUndefined();
    // prebuildify's unnamed file belongs to any addon name.
    expect(choosePrebuildFile(['node.napi.node'], linux, 'b')).toBe('node.napi.node');
  });

  it('for install, picks the best file of each addon', () => {
    const names = ['a.napi.node', 'a.napi.glibc.node', 'b.napi.glibc.node', 'b.napi.musl.node'];
    expect(choosePrebuildFiles(names, linux)).toEqual({
      chosen: ['a.napi.glibc.node', 'b.napi.glibc.node'],
      unmatched: [],
    });
    expect(choosePrebuildFiles(names, musl).chosen).toEqual(['a.napi.node', 'b.napi.musl.node']);
    // An addon with prebuilds, none for this host: the package cannot load from prebuilds.
    expect(choosePrebuildFiles(['a.napi.node', 'b.napi.musl.node', 'README'], linux)).toEqual({
      chosen: ['a.napi.node'],
      unmatched: ['b'],
    });
  });

  it('reads the tags and the addon name of a file name', () => {
    expect(parsePrebuildFile('binding.napi.armv7.musl.node')).toEqual({
      file: 'binding.napi.armv7.musl.node',
      name: 'binding',
      napi: true,
      armv: '7',
      libc: 'musl',
      specificity: 3,
    });
    expect(parsePrebuildFile('node.abi115.node')).toMatchObject({ runtime: 'node', abi: '115' });
    expect(parsePrebuildFile('node.abi115.node')?.name).toBeUndefined();
    expect(parsePrebuildFile('x.dll')).toBeUndefined();
  });
});

describe('prebuild folder matching', () => {
  const folders: Array<[string, string[], PrebuildHost, string | undefined]> = [
    ['single arch', ['linux-arm64', 'linux-x64', 'darwin-x64'], linux, 'linux-x64'],
    ['single-arch before multi-arch', ['linux-x64+arm64', 'linux-x64'], linux, 'linux-x64'],
    [
      'a multi-arch folder holding the arch',
      ['darwin-x64+arm64', 'linux-arm64'],
      mac,
      'darwin-x64+arm64',
    ],
    ['fewer arches first', ['darwin-x64+arm64+ia32', 'darwin-arm64+x64'], mac, 'darwin-arm64+x64'],
    ['another arch only', ['linux-arm64'], linux, undefined],
    ['libc is not part of the folder', ['linux-x64-musl'], musl, undefined],
    ['no folders', [], linux, undefined],
  ];
  it.each(folders)('%s', (_label, names, host, expected) => {
    expect(choosePrebuildFolder(names, host)).toBe(expected);
  });
});

describe('currentHost', () => {
  it('takes node-gyp-build overrides from the environment', () => {
    const host = currentHost({
      npm_config_arch: 'arm64',
      npm_config_platform: 'linux',
      LIBC: 'musl',
    });
    expect(host).toMatchObject({ platform: 'linux', arch: 'arm64', armv: '8', libc: 'musl' });
    expect(currentHost({ ARM_VERSION: '6', npm_config_arch: 'arm' }).armv).toBe('6');
  });

  it('describes the running Node', () => {
    const host = currentHost({});
    expect(host).toMatchObject({
      platform: process.platform,
      arch: process.arch,
      runtime: 'node',
      abi: process.versions.modules,
    });
    expect(host.uv).toBe(process.versions.uv?.split('.')[0]);
  });
});
