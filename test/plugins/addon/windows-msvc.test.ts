import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { llvmTool } from '../../target/support.js';

/**
 * Node-API addons for MSVC targets built off Windows: clang in cl mode, lld-link, node.lib made
 * by llvm-dlltool. There is no SDK here, so the libraries a real MSVC environment has on LIB are
 * stand-ins: delayimp.lib (the delay-load helper, from a tiny C file with llvm-lib) and
 * kernel32.lib (an import library from a .def).
 */
const FIXTURES = path.join(REPO_ROOT, 'native-fixtures', 'windows');
const readobj = llvmTool('llvm-readobj');
const llvmLib = llvmTool('llvm-lib');
const dlltool = llvmTool('llvm-dlltool');
const test = itWith('clang', 'lld-link', llvmLib, readobj, dlltool);
const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });

const MACHINES: Record<string, string> = {
  'x86_64-pc-windows-msvc': 'i386:x86-64',
  'aarch64-pc-windows-msvc': 'arm64',
};

/** A LIB folder with the stand-in delayimp.lib and kernel32.lib for `target`. */
function standInLibs(root: string, target: string): string {
  const dir = path.join(root, 'sdk lib', target);
  mkdirSync(dir, { recursive: true });
  const obj = path.join(dir, 'delayimp.obj');
  run('clang', [`--target=${target}`, '-c', path.join(FIXTURES, 'delayimp-standin.c'), '-o', obj]);
  run(llvmLib, ['/nologo', `/out:${path.join(dir, 'delayimp.lib')}`, obj]);
  const def = path.join(dir, 'kernel32.def');
  writeFileSync(def, 'LIBRARY kernel32.dll\nEXPORTS\nGetModuleHandleA\n');
  run(dlltool, ['-m', MACHINES[target]!, '-d', def, '-l', path.join(dir, 'kernel32.lib')]);
  return dir;
}

const CONFIG = `import { addon, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [
    addon({
      name: 'binding',
      sources: ['native/binding.c'],
      warnings: 'error',
      // No C runtime here: the addon has no CRT calls, no stack cookies and no DllMain.
      flags: ['/GS-'],
      ldFlags: ['/NODEFAULTLIB', '/NOENTRY'],
    }),
  ],
});
`;

describe('addon() for MSVC targets (clang-cl, lld-link, node.lib from node-api-headers)', () => {
  for (const target of Object.keys(MACHINES)) {
    test(`${target}: <name>.node delay-loads the napi_* functions from node.exe`, async () => {
      const root = makePackage({ 'build.config.ts': CONFIG }, { dirName: 'msvc addon ü' });
      cpSync(path.join(FIXTURES, 'napi-binding.c'), path.join(root, 'native', 'binding.c'));
      const env = {
        CC: undefined,
        CXX: undefined,
        CFLAGS: undefined,
        LDFLAGS: undefined,
        INCLUDE: undefined,
        LIB: standInLibs(root, target),
      };
      const r = await kiln(root, ['build', '--target', target], { env });
      expect(r.exitCode, r.all).toBe(0);
      const addon = path.join(root, 'build', 'Release', 'binding.node');
      expect(readdirSync(path.dirname(addon))).toEqual(['binding.node']);

      const headers = run(readobj, ['--file-headers', addon]);
      expect(headers).toContain('IMAGE_FILE_DLL');
      expect(headers).toContain(
        target.startsWith('x86_64') ? 'IMAGE_FILE_MACHINE_AMD64' : 'IMAGE_FILE_MACHINE_ARM64',
      );
      expect(run(readobj, ['--coff-exports', addon])).toContain('Name: napi_register_module_v1');
      const imports = run(readobj, ['--coff-imports', addon]);
      // node.exe is a delay import (bound by the hook at first call), never a load-time import.
      const delayed = /DelayImport \{\s*Name: node\.exe[\s\S]*?\n\}/i.exec(imports)?.[0] ?? '';
      for (const fn of [
        'napi_create_function',
        'napi_create_string_utf8',
        'napi_set_named_property',
      ])
        expect(delayed).toContain(`Symbol: ${fn}`);
      expect(imports).not.toMatch(/^Import \{\s*Name: node\.exe/im);
      // The hook's GetModuleHandleA is a normal import.
      expect(imports).toMatch(/Import \{\s*Name: kernel32\.dll[\s\S]*?Symbol: GetModuleHandleA/i);

      const again = await kiln(root, ['build', '--target', target], { env });
      expect(again.all).toMatch(/^Fresh /m);
    });
  }

  test('x86_64-pc-windows-msvc: a DLL the addon links is copied beside it (Windows has no rpath)', async () => {
    const target = 'x86_64-pc-windows-msvc';
    const root = makePackage(
      {
        'native/kit.c': '__declspec(dllexport) int kit_answer(void) { return 42; }\n',
        'build.config.ts': `import { addon, cc, defineConfig } from 'kilnjs';
const freestanding = { flags: ['/GS-'], ldFlags: ['/NODEFAULTLIB', '/NOENTRY'] };
const kit = cc({ name: 'kit', kind: 'shared', sources: ['native/kit.c'], ...freestanding });
export default defineConfig({
  plugins: [addon({ name: 'binding', sources: ['native/binding.c'], link: [kit], ...freestanding })],
});
`,
      },
      { dirName: 'msvc kit ü' },
    );
    cpSync(path.join(FIXTURES, 'napi-kit-binding.c'), path.join(root, 'native', 'binding.c'));
    const env = { CC: undefined, CFLAGS: undefined, LDFLAGS: undefined, INCLUDE: undefined };
    const r = await kiln(root, ['build', '--target', target], {
      env: { ...env, LIB: standInLibs(root, target) },
    });
    expect(r.exitCode, r.all).toBe(0);
    const release = path.join(root, 'build', 'Release');
    expect(readdirSync(release).sort()).toEqual(['binding.node', 'kit.dll']);
    const imports = run(readobj, ['--coff-imports', path.join(release, 'binding.node')]);
    expect(imports).toMatch(/^Import \{\s*Name: kit\.dll[\s\S]*?Symbol: kit_answer/m);
    expect(imports).toMatch(/DelayImport \{\s*Name: node\.exe[\s\S]*?Symbol: napi_create_int32/i);
  });
});
