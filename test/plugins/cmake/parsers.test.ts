import { describe, expect, it } from 'vitest';
import {
  buildDiagnostics,
  cmakeErrorBlocks,
  firstErrorLine,
  missingPackage,
  projectLocation,
} from '../../../src/plugins/cmake/errors.js';
import {
  filterDeps,
  parseDepfile,
  parseNinjaDeps,
} from '../../../src/plugins/cmake/header-deps.js';
import { checkVersion, parseCapabilities } from '../../../src/plugins/cmake/locate.js';

describe('depfiles', () => {
  it('parses make-syntax depfiles with continuations and escaped spaces', () => {
    const text =
      'CMakeFiles/a.dir/a.c.o: /src/a.c /src/dir\\ with\\ space/a.h \\\n  /usr/include/stdio.h\n';
    expect(parseDepfile(text)).toEqual([
      '/src/a.c',
      '/src/dir with space/a.h',
      '/usr/include/stdio.h',
    ]);
  });

  it('parses `ninja -t deps` output', () => {
    const text =
      'CMakeFiles/a.dir/a.c.o: #deps 2, deps mtime 1 (VALID)\n    /src/a.c\n    ../src/b.h\n\n';
    expect(parseNinjaDeps(text, '/build')).toEqual(['/src/a.c', '/src/b.h']);
  });

  it('drops build-tree files and the compiler’s implicit include dirs', () => {
    const deps = [
      '/src/a.h',
      '/build/gen.h',
      '/usr/include/stdio.h',
      '/usr/lib/gcc/x/12/include/stddef.h',
    ];
    expect(filterDeps(deps, '/build', ['/usr/include', '/usr/lib/gcc/x/12/include'])).toEqual([
      '/src/a.h',
    ]);
  });
});

describe('CMake error extraction', () => {
  it('keeps the CMake Error blocks and drops the configure chatter', () => {
    const out = [
      '-- The C compiler identification is GNU 12.2.0',
      '-- Detecting C compiler ABI info',
      'CMake Error at CMakeLists.txt:6 (message):',
      '  NEEDS is not set',
      '',
      '  second paragraph',
      '',
      '',
      '-- Configuring incomplete, errors occurred!',
      'CMake Error: The source directory "/x" does not appear to contain CMakeLists.txt.',
    ].join('\n');
    expect(cmakeErrorBlocks(out)).toEqual([
      'CMake Error at CMakeLists.txt:6 (message):',
      '  NEEDS is not set',
      '',
      '  second paragraph',
      'CMake Error: The source directory "/x" does not appear to contain CMakeLists.txt.',
    ]);
  });

  it('finds the project frame and the package of a failing Find module', () => {
    const blocks = cmakeErrorBlocks(
      [
        'CMake Error at /usr/share/cmake-3.25/Modules/FindPackageHandleStandardArgs.cmake:230 (message):',
        '  Could NOT find GIF (missing: GIF_LIBRARY GIF_INCLUDE_DIR)',
        'Call Stack (most recent call first):',
        '  /usr/share/cmake-3.25/Modules/FindPackageHandleStandardArgs.cmake:600 (_FPHSA_FAILURE_MESSAGE)',
        '  /usr/share/cmake-3.25/Modules/FindGIF.cmake:109 (FIND_PACKAGE_HANDLE_STANDARD_ARGS)',
        '  src/CMakeLists.txt:3 (find_package)',
        '',
        '',
        '-- Configuring incomplete, errors occurred!',
      ].join('\n'),
    );
    expect(blocks).toHaveLength(6);
    expect(projectLocation(blocks)).toBe('src/CMakeLists.txt:3 (find_package)');
    expect(missingPackage(blocks)).toBe('GIF');
  });

  it('takes the FAILED block from Ninja output', () => {
    const lines = [
      '[1/3] Building C object CMakeFiles/b.dir/ok.c.o',
      'FAILED: CMakeFiles/b.dir/bad.c.o ',
      '/usr/bin/cc -c /s/bad.c',
      '/s/bad.c:2:3: error: boom',
      'ninja: build stopped: subcommand failed.',
    ];
    expect(buildDiagnostics(lines)).toEqual(lines.slice(1, 4));
    expect(firstErrorLine(buildDiagnostics(lines))).toBe('/s/bad.c:2:3: error: boom');
  });

  it('drops make’s progress and recursion lines', () => {
    const lines = [
      '[ 50%] Building C object CMakeFiles/b.dir/bad.c.o',
      '/s/bad.c:2:3: error: boom',
      'gmake[2]: *** [CMakeFiles/b.dir/build.make:76: CMakeFiles/b.dir/bad.c.o] Error 1',
      'gmake: *** [Makefile:91: all] Error 2',
    ];
    expect(buildDiagnostics(lines)).toEqual(['/s/bad.c:2:3: error: boom']);
  });

  it.each([
    ['/s/a.c:1:2: error: x', true],
    ['/s/a.c:1:2: fatal error: zlib.h: No such file or directory', true],
    ['a.c(3): error C2065: x', true],
    ['/s/a.c:1:2: warning: x', false],
  ])('recognises %s as an error: %s', (line, isError) => {
    expect(firstErrorLine([line]) === line).toBe(isError);
  });
});

describe('cmake -E capabilities', () => {
  it('reads version and generators', () => {
    const json = JSON.stringify({
      version: { major: 3, minor: 25, patch: 1, string: '3.25.1' },
      generators: [{ name: 'Ninja' }, { name: 'Unix Makefiles' }],
    });
    const install = parseCapabilities(json, '/usr/bin/cmake', 'x');
    expect(install.version.string).toBe('3.25.1');
    expect(install.generators).toEqual(['Ninja', 'Unix Makefiles']);
    expect(() => checkVersion(install)).not.toThrow();
  });

  it('refuses a CMake without install-rule data in the File API (< 3.21)', () => {
    const json = JSON.stringify({ version: { major: 3, minor: 16, patch: 3, string: '3.16.3' } });
    expect(() => checkVersion(parseCapabilities(json, '/usr/bin/cmake', 'x'))).toThrow(
      expect.objectContaining({
        code: 'CMAKE_NOT_FOUND',
        message: expect.stringMatching(/3\.16\.3 .* too old/),
      }),
    );
  });
});
