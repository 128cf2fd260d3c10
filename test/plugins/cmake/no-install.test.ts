import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { itWith } from '../../support/tools.js';
import { cmakeConfig, cmakePackage, compileProgram, runBuild } from './support.js';

describe('cmake plugin: a C++ project without install rules', () => {
  itWith(
    'cmake',
    'ninja',
    'g++',
    'gcc',
  )(
    'reports the build-tree archive, its interface include dir and define, and the C++ runtime',
    async () => {
      const root = cmakePackage(
        ['cxx-noinstall'],
        cmakeConfig(`cmake({ source: 'vendor/cxx-noinstall' })`),
      );
      const { project, result } = await runBuild(root);
      const source = path.join(root, 'vendor', 'cxx-noinstall');
      expect(project.targets).toMatchObject([
        {
          name: 'shapes',
          kind: 'static',
          installed: false,
          path: path.join(project.buildDir, 'libshapes.a'),
        },
      ]);
      expect(project.libs[0]).toEqual({
        name: 'shapes',
        kind: 'static',
        path: path.join(project.buildDir, 'libshapes.a'),
      });
      expect(project.libs.map((l) => l.name)).toContain('stdc++');
      expect(project.includes).toEqual([path.join(source, 'include')]);
      expect(project.defines).toEqual([{ name: 'SHAPES_API', value: '1' }]);
      // A C program links it with the C driver, thanks to the runtime libs in the link info.
      const exe = path.join(root, 'shapes-test');
      await compileProgram('gcc', path.join(source, 'test', 'main.c'), exe, result.manifest);
      expect((await execa(exe)).stdout).toBe('square with 4 sides');
    },
  );
});
