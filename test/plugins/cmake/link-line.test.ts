import { describe, expect, it } from 'vitest';
import {
  libFromFile,
  mergeOrder,
  parseLinkFragments,
} from '../../../src/plugins/cmake/link-line.js';

describe('libFromFile', () => {
  it.each([
    ['/x/libz.a', { name: 'z', kind: 'static', path: '/x/libz.a' }],
    [
      '/x/libkit_core.so.1.2.0',
      { name: 'kit_core', kind: 'dylib', path: '/x/libkit_core.so.1.2.0' },
    ],
    ['/x/libfoo.so', { name: 'foo', kind: 'dylib', path: '/x/libfoo.so' }],
    ['/x/libfoo.1.2.dylib', { name: 'foo', kind: 'dylib', path: '/x/libfoo.1.2.dylib' }],
    ['/x/foo.lib', { name: 'foo', kind: 'static', path: '/x/foo.lib' }],
    ['/S/CoreFoundation.framework/CoreFoundation', { name: 'CoreFoundation', kind: 'framework' }],
    ['/x/readme.txt', undefined],
  ])('%s', (file, lib) => {
    expect(libFromFile(file)).toEqual(lib);
  });
});

describe('parseLinkFragments', () => {
  const buildDir = '/b';
  const targets = new Map([
    ['/b/libkit_util.a', 'kit_util'],
    ['/b/libkit_core.so.1.2.0', 'kit_core'],
  ]);
  const targetOf = (f: string) => targets.get(f);

  it('maps build-tree files to targets, keeps external libs and flags, drops the build-tree rpath', () => {
    const parsed = parseLinkFragments(
      [
        { role: 'flags', fragment: '-O3 -DNDEBUG' },
        { role: 'libraries', fragment: '-Wl,-rpath,/b:/opt/ext/lib' },
        { role: 'libraries', fragment: 'libkit_util.a' },
        { role: 'libraries', fragment: 'libkit_core.so.1.2.0' },
        { role: 'libraries', fragment: '/usr/lib/x86_64-linux-gnu/libz.so' },
        { role: 'libraries', fragment: '-lm' },
        { role: 'libraries', fragment: '-pthread' },
        { role: 'libraryPath', fragment: '-L/opt/ext/lib' },
        { role: 'libraries', fragment: '-framework CoreFoundation' },
        { role: 'libraries', fragment: '"/opt/with space/libq.a"' },
      ],
      { buildDir, targetOf },
    );
    expect(parsed.items).toEqual([
      { type: 'target', name: 'kit_util' },
      { type: 'target', name: 'kit_core' },
      { type: 'lib', lib: { name: 'z', kind: 'dylib', path: '/usr/lib/x86_64-linux-gnu/libz.so' } },
      { type: 'lib', lib: { name: 'm', kind: 'dylib' } },
      { type: 'flag', flag: '-pthread' },
      { type: 'lib', lib: { name: 'CoreFoundation', kind: 'framework' } },
      { type: 'lib', lib: { name: 'q', kind: 'static', path: '/opt/with space/libq.a' } },
    ]);
    expect(parsed.rpaths).toEqual(['/opt/ext/lib']);
    expect(parsed.searchPaths).toEqual([{ kind: 'native', path: '/opt/ext/lib' }]);
  });
});

describe('mergeOrder', () => {
  const id = (s: string) => s;
  it.each([
    [
      'keeps each line in order, dependents first',
      [['util', 'core', 'm'], ['core']],
      ['util', 'core', 'm'],
    ],
    [
      'puts a shared dependency after every user of it',
      [
        ['a', 'c'],
        ['b', 'c'],
      ],
      ['a', 'b', 'c'],
    ],
    [
      'orders a later line before an item an earlier one needs',
      [['core'], ['util', 'core']],
      ['util', 'core'],
    ],
    [
      'falls back to last occurrences for a cycle',
      [
        ['a', 'b'],
        ['b', 'a'],
      ],
      ['b', 'a'],
    ],
    ['handles repeated static libs in one line', [['a', 'b', 'a', 'b']], ['a', 'b']],
  ])('%s', (_name, lines, expected) => {
    expect(mergeOrder(lines, id)).toEqual(expected);
  });
});
