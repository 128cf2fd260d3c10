import { describe, expect, it } from 'vitest';
import { parseTriple } from '../../src/target/triple.js';
import {
  libraryFile,
  msvcCompileArgs,
  msvcLinkArgs,
  msvcMachine,
  msvcOptFlag,
  msvcStdFlag,
  windowsQuote,
} from '../../src/toolchain/msvc/flags.js';
import { missingSdkHeader, missingSdkLibrary } from '../../src/toolchain/msvc/sdk.js';

describe('MSVC flag mapping', () => {
  it.each([
    ['0', '/Od'],
    ['1', '/O1'],
    ['s', '/O1'],
    ['z', '/O1'],
    ['2', '/O2'],
    ['3', '/O2'],
  ] as const)('optimisation level %s is %s (cc-rs)', (level, flag) => {
    expect(msvcOptFlag(level)).toBe(flag);
  });

  it.each([
    ['c11', 'c', '/std:c11'],
    ['gnu11', 'c', '/std:c11'],
    ['c17', 'c', '/std:c17'],
    ['c99', 'c', undefined],
    ['c23', 'c', '/std:clatest'],
    ['c++14', 'c++', '/std:c++14'],
    ['c++11', 'c++', '/std:c++14'],
    ['gnu++17', 'c++', '/std:c++17'],
    ['c++20', 'c++', '/std:c++20'],
    ['c++2a', 'c++', '/std:c++20'],
    ['c++23', 'c++', '/std:c++latest'],
    ['c++17', 'c', undefined],
    ['c11', 'c++', undefined],
  ] as const)('std %s for %s is %s', (std, language, flag) => {
    expect(msvcStdFlag(std, language)).toBe(flag);
  });

  it('keeps an absolute POSIX source path from being read as an option (/Tc, /Fo)', () => {
    const args = msvcCompileArgs({
      language: 'c',
      optLevel: '2',
      debugInfo: false,
      debugRuntime: false,
      targetFlags: [],
      std: undefined,
      warnings: 'on',
      includes: ['/usr/include/my lib'],
      flags: [],
      defines: ['-DX="a b"'],
      perFile: [],
      envFlags: [],
      source: '/home/u/src/a.c',
      object: '/home/u/out/a.obj',
    });
    expect(args).toEqual([
      '/nologo',
      '/O2',
      '/MD',
      '/utf-8',
      '/Brepro',
      '/W4',
      '/I/usr/include/my lib',
      '/DX="a b"',
      '/showIncludes',
      '/c',
      '/Fo/home/u/out/a.obj',
      '/Tc/home/u/src/a.c',
    ]);
  });

  it('names the machine of each architecture', () => {
    expect(msvcMachine(parseTriple('x86_64-pc-windows-msvc'))).toBe('X64');
    expect(msvcMachine(parseTriple('aarch64-pc-windows-msvc'))).toBe('ARM64');
    expect(msvcMachine(parseTriple('i686-pc-windows-msvc'))).toBe('X86');
  });

  it('links a DLL through its import library, refuses frameworks', () => {
    expect(libraryFile({ name: 'z', kind: 'dylib', path: 'C:\\l\\z.dll' })).toBe('C:\\l\\z.lib');
    expect(libraryFile({ name: 'ws2_32', kind: 'dylib' })).toBe('ws2_32.lib');
    expect(libraryFile({ name: 'a.lib', kind: 'static' })).toBe('a.lib');
    expect(() =>
      msvcLinkArgs({
        target: parseTriple('x86_64-pc-windows-msvc'),
        kind: 'shared',
        output: 'x.dll',
        debug: false,
        objects: [],
        searchPaths: [],
        libs: [{ name: 'Cocoa', kind: 'framework' }],
        flags: [],
      }),
    ).toThrow(/framework Cocoa/);
  });

  it('quotes response-file entries the way CommandLineToArgvW reads them', () => {
    expect(windowsQuote('a.obj')).toBe('a.obj');
    expect(windowsQuote('C:\\my dir\\a.obj')).toBe('"C:\\my dir\\a.obj"');
    expect(windowsQuote('C:\\dir\\')).toBe('C:\\dir\\');
    expect(windowsQuote('C:\\my dir\\')).toBe('"C:\\my dir\\\\"');
    expect(windowsQuote('say "hi"')).toBe('"say \\"hi\\""');
    expect(windowsQuote('')).toBe('""');
  });
});

describe('a missing Windows SDK is recognised', () => {
  it.each([
    ["w.c(1,10): fatal error: 'stdio.h' file not found", 'stdio.h'],
    ["a.cc(1,10): fatal error: 'iostream' file not found", 'iostream'],
    ["a.c(1,10): fatal error: 'windows.h' file not found", 'windows.h'],
    [
      "a.c(1): fatal error C1083: Cannot open include file: 'winsock2.h': No such file or directory",
      'winsock2.h',
    ],
    ['a.c(1): fatal error C1034: stdio.h: no include path set', 'stdio.h'],
    ["a.c(1,10): fatal error: 'mylib/config.h' file not found", undefined],
    ["a.c(1,10): fatal error: 'config.h' file not found", undefined],
  ])('%s → %s', (diagnostics, header) => {
    expect(missingSdkHeader(diagnostics)).toBe(header);
  });

  it.each([
    ["lld-link: error: could not open 'msvcrt.lib': No such file or directory", 'msvcrt.lib'],
    ["lld-link: error: could not open 'libcmt.lib': No such file or directory", 'libcmt.lib'],
    ["LINK : fatal error LNK1104: cannot open file 'kernel32.lib'", 'kernel32.lib'],
    ["lld-link: error: could not open 'mine.lib': No such file or directory", undefined],
  ])('%s → %s', (diagnostics, lib) => {
    expect(missingSdkLibrary(diagnostics)).toBe(lib);
  });
});
