import { appendFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { itWith } from '../../support/tools.js';
import { cmakeConfig, cmakePackage, compileProgram, runBuild, setConfig } from './support.js';

const kitConfig = (extra = '') => cmakeConfig(`cmake({ source: 'vendor/kit'${extra} })`);
const isConfigure = (argv: string[]) => argv[0] === '-S';
const subcommands = (calls: string[][]) => calls.map((a) => (isConfigure(a) ? 'configure' : a[0]));

describe('cmake plugin: reconfigure and rebuild only when needed', () => {
  itWith(
    'cmake',
    'ninja',
    'gcc',
  )(
    'skips cmake when nothing changed, builds only on a source change, reconfigures on a define or CMakeLists change, and starts a new tree on a generator change',
    async () => {
      const root = cmakePackage(['kit'], kitConfig());
      const kit = path.join(root, 'vendor', 'kit');
      const first = await runBuild(root);
      expect(subcommands(first.cmake)).toEqual(['-E', 'configure', '--build', '--install']);

      // Nothing changed: the runner reports the package fresh and runs nothing.
      const fresh = await runBuild(root);
      expect(fresh.result.fresh).toBe(true);
      expect(fresh.cmake).toEqual([]);

      // The config reruns with nothing of the project changed (as when another step's input
      // changed): the plugin proves configure and build would do nothing and spawns no cmake.
      appendFileSync(path.join(root, 'build.config.ts'), '\n// another step changed\n');
      const rerun = await runBuild(root);
      expect(rerun.result.fresh).toBe(false);
      expect(rerun.cmake).toEqual([]);
      expect(rerun.project.configured).toBe(false);
      expect(rerun.project.built).toBe(false);
      expect(rerun.result.manifest.libs.map((l) => l.name)).toEqual(['kit_util', 'kit_core', 'm']);

      // --force: the build tool runs again (and decides), without a needless configure.
      const forced = await runBuild(root, { force: true });
      expect(subcommands(forced.cmake)).toEqual(['--build', '--install']);
      expect(forced.project.built).toBe(true);

      // A source edit: the runner notices (sources are tracked) and the plugin builds without configuring.
      appendFileSync(path.join(kit, 'src', 'kit_core.c'), '\n/* edited */\n');
      const touched = await runBuild(root);
      expect(touched.result.reason).toMatch(/kit_core\.c/);
      expect(subcommands(touched.cmake)).toEqual(['--build', '--install']);

      // A deleted installed library: rebuilt and reinstalled, no configure.
      rmSync(path.join(touched.project.installDir, 'lib', 'libkit_util.a'));
      const deleted = await runBuild(root);
      expect(subcommands(deleted.cmake)).toEqual(['--build', '--install']);
      expect(existsSync(path.join(touched.project.installDir, 'lib', 'libkit_util.a'))).toBe(true);

      // A header only the depfiles know about is tracked too.
      appendFileSync(path.join(kit, 'src', 'internal.h'), '\n/* edited */\n');
      const header = await runBuild(root);
      expect(header.result.reason).toMatch(/internal\.h/);
      expect(subcommands(header.cmake)).toEqual(['--build', '--install']);

      // A changed define: re-configure on the same tree, then build; the new value is compiled in.
      setConfig(root, kitConfig(`, defines: { KIT_GREETING: 'bonjour' }`));
      const redefined = await runBuild(root);
      expect(subcommands(redefined.cmake)).toEqual(['configure', '--build', '--install']);
      expect(redefined.cmake.find(isConfigure)).toContain('-DKIT_GREETING=bonjour');
      const exe = path.join(root, 'kit-test');
      await compileProgram('gcc', path.join(kit, 'test', 'main.c'), exe, redefined.result.manifest);
      expect((await execa(exe)).stdout).toBe('bonjour sum=6 hypot=5.0');

      // Dropping the define removes it from the cache (-U) instead of leaving the old value behind.
      setConfig(root, kitConfig());
      const dropped = await runBuild(root);
      expect(dropped.cmake.find(isConfigure)).toEqual(
        expect.arrayContaining(['-U', 'KIT_GREETING']),
      );
      await compileProgram('gcc', path.join(kit, 'test', 'main.c'), exe, dropped.result.manifest);
      expect((await execa(exe)).stdout).toBe('hello sum=6 hypot=5.0');

      // A CMakeLists.txt edit is a configure input change.
      appendFileSync(path.join(kit, 'CMakeLists.txt'), '\n# edited\n');
      const relisted = await runBuild(root, { force: true });
      expect(subcommands(relisted.cmake)).toEqual(['configure', '--build', '--install']);
      const logs = relisted.events.filter((e) => e.type === 'log').map((e) => e.message);
      expect(logs.some((m) => m.includes('CMakeLists.txt changed'))).toBe(true);

      // Another generator: CMake would refuse the old tree ("Does not match the generator used
      // previously"), so the plugin starts a new one and the build succeeds.
      setConfig(root, kitConfig(`, generator: 'Unix Makefiles'`));
      const regenerated = await runBuild(root);
      expect(subcommands(regenerated.cmake)).toEqual(['configure', '--build', '--install']);
      expect(regenerated.cmake.find(isConfigure)).toEqual(
        expect.arrayContaining(['-G', 'Unix Makefiles']),
      );
      const buildDir = regenerated.project.buildDir;
      expect(existsSync(path.join(buildDir, 'Makefile'))).toBe(true);
      expect(existsSync(path.join(buildDir, 'build.ninja'))).toBe(false);
      await compileProgram(
        'gcc',
        path.join(kit, 'test', 'main.c'),
        exe,
        regenerated.result.manifest,
      );
      expect((await execa(exe)).stdout).toBe('hello sum=6 hypot=5.0');

      // And with Makefiles a rerun with nothing of the project changed spawns nothing either.
      appendFileSync(path.join(root, 'build.config.ts'), '\n// rerun\n');
      const rerunMake = await runBuild(root);
      expect(rerunMake.cmake).toEqual([]);
    },
  );
});
