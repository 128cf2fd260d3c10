import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { nodeIncludeDir } from '../../../src/plugins/addon/headers.js';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { WinePrefix, wine64Path, winPath } from '../../support/wine.js';
import { cmakeConfig } from '../cmake/support.js';

const FIXTURES = path.join(REPO_ROOT, 'native-fixtures', 'windows');
const TARGET = 'x86_64-pc-windows-gnu';
const test = itWith('x86_64-w64-mingw32-gcc', 'x86_64-w64-mingw32-dlltool', wine64Path());

/** The addon over a DLL built by a cc step, in a folder whose name has a space and non-ASCII. */
function mingwAddonPackage(): string {
  const root = makePackage(
    {
      'build.config.ts': `import { addon, cc, defineConfig } from 'kilnjs';
const kit = cc({ name: 'kit', sources: ['native/scale.c'], includes: ['native'], kind: 'shared', defines: ['BUILDING_KIT'] });
export default defineConfig({
  plugins: [addon({ name: 'binding', sources: ['native/binding.c'], includes: ['native'], link: [kit], warnings: 'error' })],
});
`,
    },
    { name: 'win-addon', dirName: 'win addon ü' },
  );
  for (const f of ['binding.c', 'scale.c', 'scale.h']) {
    cpSync(path.join(FIXTURES, f), path.join(root, 'native', f));
  }
  return root;
}

describe('addon() for x86_64-pc-windows-gnu (MinGW-w64)', () => {
  const wine = new WinePrefix();
  beforeAll(async () => {
    if (existsSync(wine.wine) || wine.wine === 'wine64') await wine.boot().catch(() => {});
  }, 180_000);
  afterAll(() => wine.dispose());

  test('links <name>.node with a delay-loaded node.exe that binds to a host not named node.exe', async () => {
    const root = mingwAddonPackage();
    const r = await kiln(root, ['build', '--target', TARGET]);
    expect(r.exitCode, r.all).toBe(0);
    const release = path.join(root, 'build', 'Release');
    const addon = path.join(release, 'binding.node');
    // Windows has no rpath: the DLL the addon links sits beside it.
    expect(existsSync(path.join(release, 'kit.dll'))).toBe(true);
    const exports = await execa('llvm-readobj', ['--coff-exports', addon]);
    expect(exports.stdout).toContain('Name: napi_register_module_v1');
    const imports = await execa('x86_64-w64-mingw32-objdump', ['-p', addon]);
    expect(imports.stdout).toContain('DLL Name: kit.dll');
    // Delay-loaded: node.exe is not in the import table the loader resolves at load time.
    expect(imports.stdout).not.toMatch(/DLL Name: node\.exe/i);

    // A host named electron.exe exports Node-API: the hook binds the addon's calls to it.
    const host = path.join(root, 'electron.exe');
    await execa('x86_64-w64-mingw32-gcc', [
      '-Wall',
      '-Werror',
      '-I',
      nodeIncludeDir(),
      path.join(FIXTURES, 'host.c'),
      '-o',
      host,
    ]);
    // Node loads an addon by its absolute path, which lets Windows find the DLLs beside it.
    const run = await wine.run(host, [winPath(addon)], { cwd: root });
    expect(run.stdout, run.stderr).toBe('exports: hello \ncall: world scaled 42');
    expect(run.exitCode).toBe(0);

    // A second build is fresh: node.lib and the hook are not made again.
    const again = await kiln(root, ['build', '--target', TARGET]);
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).not.toMatch(/LINK|CC /);
  }, 240_000);

  itWith(
    'cmake',
    'ninja',
    'x86_64-w64-mingw32-gcc',
    'x86_64-w64-mingw32-dlltool',
    wine64Path(),
  )(
    'a cmake-js project links CMAKE_JS_LIB and CMAKE_JS_SRC (the same node library and hook)',
    async () => {
      const root = makePackage(
        { 'build.config.ts': cmakeConfig(`cmake({ source: '.' })`) },
        { dirName: 'cmake-js win ü' },
      );
      cpSync(path.join(REPO_ROOT, 'native-fixtures', 'cmake-js'), root, { recursive: true });
      writeFileSync(
        path.join(root, 'package.json'),
        JSON.stringify({ name: 'cjs-win', version: '1.0.0', type: 'module', 'cmake-js': {} }),
      );
      const r = await kiln(root, ['build', '--target', TARGET]);
      expect(r.exitCode, r.all).toBe(0);
      const release = path.join(root, 'build', 'Release');
      const addon = path.join(release, 'cjs_addon.node');
      expect(readdirSync(release)).toEqual(
        expect.arrayContaining(['cjs_addon.node', 'libgreet.dll']),
      );
      const host = path.join(root, 'electron.exe');
      await execa('x86_64-w64-mingw32-gcc', [
        '-I',
        nodeIncludeDir(),
        path.join(FIXTURES, 'host.c'),
        '-o',
        host,
      ]);
      const run = await wine.run(host, [winPath(addon)], { cwd: root });
      expect(run.stdout, run.stderr).toBe('exports: greet napiVersion \ncall: hello from greet');
    },
    240_000,
  );
});
