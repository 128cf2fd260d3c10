import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { itWith } from '../../support/tools.js';
import { cmakeConfig, cmakePackage, compileProgram, progressSteps, runBuild } from './support.js';

describe.each([
  ['Ninja', 'ninja'],
  ['Unix Makefiles', 'make'],
])('cmake plugin end to end (%s)', (generator, tool) => {
  itWith(
    'cmake',
    tool,
    'gcc',
  )(
    'builds, installs and discovers a static lib that links a shared lib, and a program links against it',
    async () => {
      const root = cmakePackage(
        ['kit'],
        cmakeConfig(`cmake({ source: 'vendor/kit', generator: ${JSON.stringify(generator)} })`),
      );
      const run = await runBuild(root);
      const { project, result } = run;
      const install = project.installDir;
      expect(project.configured).toBe(true);
      expect(project.built).toBe(true);
      // Dependents before dependencies: kit_util (static) needs kit_core (shared) and libm.
      expect(project.libs).toEqual([
        { name: 'kit_util', kind: 'static', path: path.join(install, 'lib', 'libkit_util.a') },
        { name: 'kit_core', kind: 'dylib', path: path.join(install, 'lib', 'libkit_core.so') },
        { name: 'm', kind: 'dylib' },
      ]);
      expect(project.includes).toEqual([path.join(install, 'include')]);
      expect(project.rpaths).toEqual([path.join(install, 'lib')]);
      expect(project.targets.map((t) => [t.name, t.kind, t.dependencies])).toEqual([
        ['kit_util', 'static', ['kit_core']],
        ['kit_core', 'dylib', []],
      ]);
      // The executable target is not a library; the probes are not reported.
      expect(project.targets.map((t) => t.name)).not.toContain('kit_demo');
      // The manifest carries the same link info.
      expect(result.manifest.libs.map((l) => l.name)).toEqual(['kit_util', 'kit_core', 'm']);
      expect(result.manifest.artifacts.map((a) => path.basename(a.path)).sort()).toEqual([
        'libkit_core.so',
        'libkit_util.a',
      ]);
      // Sources, the headers the depfiles name and the CMakeLists are inputs of the build.
      expect(result.manifest.inputs.files).toEqual(
        expect.arrayContaining([
          'vendor/kit/CMakeLists.txt',
          'vendor/kit/src/kit_core.c',
          'vendor/kit/src/internal.h',
          'vendor/kit/include/kit.h',
        ]),
      );
      expect(result.manifest.inputs.files.some((f) => f.startsWith('/usr/include'))).toBe(false);
      // Configure, build and install are one counted step each.
      const steps = progressSteps(run.events);
      expect(steps.some((s) => s.startsWith('CMAKE configure kit'))).toBe(true);
      expect(steps.filter((s) => s.startsWith('CMAKE ')).slice(1)).toEqual([
        'CMAKE build kit',
        'CMAKE install kit',
      ]);
      expect(run.cmake.some((a) => a.includes('--parallel') && a.includes('2'))).toBe(true);
      expect(run.cmake.find((a) => a[0] === '-S')).toEqual(
        expect.arrayContaining([
          '-G',
          generator,
          '-DCMAKE_EXPORT_COMPILE_COMMANDS=ON',
          '-DCMAKE_BUILD_TYPE=Release',
        ]),
      );

      const exe = path.join(root, 'kit-test');
      await compileProgram(
        'gcc',
        path.join(root, 'vendor', 'kit', 'test', 'main.c'),
        exe,
        result.manifest,
      );
      const out = await execa(exe);
      expect(out.stdout).toBe('hello sum=6 hypot=5.0');
      expect(readFileSync(path.join(install, 'include', 'kit.h'), 'utf8')).toContain('kit_hypot');
    },
  );
});
