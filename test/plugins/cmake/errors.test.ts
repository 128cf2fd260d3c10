import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cmake } from '../../../src/plugins/cmake/index.js';
import { itWith } from '../../support/tools.js';
import { buildError, cmakeConfig, cmakePackage, runBuild } from './support.js';

describe('cmake plugin: bad input', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it.each([
    [{ source: 'vendor/kit', bogus: 1 }, /unknown option "bogus"/],
    [{ source: 'vendor/kit', defines: { FOO: {} } }, /cmake\(options\)\.defines\.FOO:/],
    [{ source: 'vendor/kit', targets: [] }, /cmake\(options\)\.targets:/],
    [{ source: 'vendor/kit', buildArgs: '-v' }, /cmake\(options\)\.buildArgs:/],
    [{}, /cmake\(options\)\.source:/],
  ])('rejects invalid options %j with CONFIG_INVALID naming the key', (options, message) => {
    expect(() => cmake(options as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(message) }),
    );
  });

  itWith('cmake')(
    'names the directory it looked for when the source folder is missing',
    async () => {
      const root = cmakePackage([], cmakeConfig(`cmake({ source: 'vendor/nowhere' })`));
      const err = await buildError(root);
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toContain(path.join(root, 'vendor', 'nowhere'));
      expect(err.hint).toMatch(/CMakeLists\.txt/);
    },
  );

  itWith(
    'cmake',
    'ninja',
    'gcc',
  )(
    'reports a configure failure with the CMake error lines and the command to reproduce',
    async () => {
      const root = cmakePackage(
        ['configure-error'],
        cmakeConfig(`cmake({ source: 'vendor/configure-error' })`),
      );
      const err = await buildError(root);
      expect(err.code).toBe('CMAKE_CONFIGURE_FAILED');
      expect(err.message).toContain('CMake Error at CMakeLists.txt:6 (message)');
      expect(err.message).toContain('NEEDS_OPTION_BACKEND is not set');
      expect(err.details).toContain('pass -DNEEDS_OPTION_BACKEND=<name>');
      expect(err.details).not.toContain('-- Detecting C compiler');
      expect(err.command).toMatch(/cmake .*-S .*configure-error.* -B /);
      expect(err.hint).toMatch(/CMakeLists\.txt:6/);
      // The next run configures again instead of trusting the failed tree.
      const again = await buildError(root, { force: true });
      expect(again.code).toBe('CMAKE_CONFIGURE_FAILED');
    },
  );

  itWith(
    'cmake',
    'ninja',
    'gcc',
  )('names a package find_package could not find and how to provide it', async () => {
    const root = cmakePackage(
      ['missing-package'],
      cmakeConfig(`cmake({ source: 'vendor/missing-package' })`),
    );
    const err = await buildError(root);
    expect(err.code).toBe('CMAKE_CONFIGURE_FAILED');
    expect(err.message).toContain('CMakeLists.txt:5 (find_package)');
    expect(err.details).toContain('KilnNoSuchLibConfig.cmake');
    expect(err.hint).toContain('The project needs KilnNoSuchLib (CMakeLists.txt:5 (find_package))');
    expect(err.hint).toContain('deps: { KilnNoSuchLib:');
  });

  itWith(
    'cmake',
    'ninja',
    'gcc',
  )(
    'reports a compile failure with the compiler diagnostics, the compile command and the build command',
    async () => {
      const root = cmakePackage(
        ['compile-error'],
        cmakeConfig(`cmake({ source: 'vendor/compile-error' })`),
      );
      const err = await buildError(root);
      expect(err.code).toBe('CMAKE_BUILD_FAILED');
      expect(err.message).toMatch(/broken\.c:2:\d+: error: .*undeclared_identifier/);
      expect(err.details).toMatch(/FAILED: .*broken\.c\.o/);
      expect(err.details).toMatch(/-c .*broken\.c/);
      expect(err.command).toMatch(/cmake --build .* --parallel 2/);
      expect(err.hint).toMatch(/broken\.c/);
    },
  );

  itWith(
    'cmake',
    'make',
    'gcc',
  )('shows the diagnostics and the compile line with Makefiles too', async () => {
    const root = cmakePackage(
      ['compile-error'],
      cmakeConfig(`cmake({ source: 'vendor/compile-error', generator: 'Unix Makefiles' })`),
    );
    const err = await buildError(root);
    expect(err.code).toBe('CMAKE_BUILD_FAILED');
    expect(err.message).toMatch(/broken\.c:2:\d+: error: .*undeclared_identifier/);
    expect(err.details).toMatch(/Compile command:\n.*-c .*broken\.c/);
    expect(err.details).not.toMatch(/make\[\d\]: \*\*\*/);
  });

  it('says how to install cmake when it is not on PATH', async () => {
    const root = cmakePackage(['kit'], cmakeConfig(`cmake({ source: 'vendor/kit' })`));
    process.env.PATH = path.join(root, 'no-tools-here');
    const err = await buildError(root);
    expect(err.code).toBe('CMAKE_NOT_FOUND');
    expect(err.message).toBe('cmake was not found on PATH');
    expect(err.hint).toMatch(/apt-get install cmake/);
    expect(err.hint).toMatch(/brew install cmake/);
  });

  it('says so when CMAKE names something that is not there', async () => {
    const root = cmakePackage(['kit'], cmakeConfig(`cmake({ source: 'vendor/kit' })`));
    const err = await buildError(root, { env: { ...process.env, CMAKE: '/opt/none/bin/cmake' } });
    expect(err.code).toBe('CMAKE_NOT_FOUND');
    expect(err.message).toContain('/opt/none/bin/cmake');
  });

  itWith(
    'cmake',
    'ninja',
    'gcc',
  )('lists the library targets when a selected target does not exist', async () => {
    const root = cmakePackage(
      ['kit'],
      cmakeConfig(`cmake({ source: 'vendor/kit', targets: ['kit_nope'] })`),
    );
    const err = await buildError(root);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('"kit_nope"');
    expect(err.hint).toContain('kit_core, kit_util');
  });

  itWith(
    'cmake',
    'ninja',
    'gcc',
  )('reports only the selected target and what it links', async () => {
    const root = cmakePackage(
      ['kit'],
      cmakeConfig(`cmake({ source: 'vendor/kit', targets: ['kit_core'] })`),
    );
    const { project } = await runBuild(root);
    expect(project.targets.map((t) => t.name)).toEqual(['kit_core']);
    expect(project.libs.map((l) => l.name)).toEqual(['kit_core']);
  });
});
