import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonDestinations } from '../../../src/plugins/addon/layout.js';
import { currentHost, findPrebuild } from '../../../src/plugins/addon/prebuilds.js';
import {
  DELAY_LOAD_HOOK,
  dlltoolMachine,
  mergeDefFiles,
} from '../../../src/plugins/addon/windows.js';
import { gnuToolPrefix } from '../../../src/target/cross.js';
import { parseTriple } from '../../../src/target/triple.js';

describe('Windows addon names and node.lib inputs', () => {
  it.each([
    ['x86_64-pc-windows-msvc', 'win32-x64'],
    ['aarch64-pc-windows-msvc', 'win32-arm64'],
    ['i686-pc-windows-msvc', 'win32-ia32'],
    ['x86_64-pc-windows-gnu', 'win32-x64'],
  ])(
    '%s writes build/Release/<name>.node and prebuilds/%s, where node-gyp-build looks on win32',
    (triple, folder) => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'kiln-win-names-'));
      const dest = addonDestinations(
        root,
        'binding',
        parseTriple(triple),
        { name: 'release' },
        true,
      );
      expect(dest).toEqual([
        { dir: path.join(root, 'build', 'Release'), file: 'binding.node' },
        { dir: path.join(root, 'prebuilds', folder), file: 'binding.napi.node' },
      ]);
      mkdirSync(dest[1]!.dir, { recursive: true });
      writeFileSync(path.join(dest[1]!.dir, dest[1]!.file), '');
      const [, arch] = folder.split('-');
      const host = currentHost({ npm_config_platform: 'win32', npm_config_arch: arch });
      expect(findPrebuild(root, host, 'binding').file).toBe(path.join(dest[1]!.dir, dest[1]!.file));
    },
  );

  it("merges node-api-headers' .def files (no trailing newline, repeated headers) into one NODE.EXE export list", () => {
    const def = mergeDefFiles([
      'NAME NODE.EXE\nEXPORTS\nnapi_b\nnapi_a',
      'NAME NODE.EXE\r\nEXPORTS\r\nnapi_c ; a comment\r\nnapi_a',
    ]);
    expect(def).toBe('NAME NODE.EXE\nEXPORTS\nnapi_a\nnapi_b\nnapi_c\n');
    const real = path.join(process.cwd(), 'node_modules', 'node-api-headers', 'def');
    const merged = mergeDefFiles(
      ['node_api.def', 'js_native_api.def'].map((f) => readFileSync(path.join(real, f), 'utf8')),
    );
    expect(merged).toMatch(/^napi_create_function$/m);
    expect(merged).toMatch(/^napi_module_register$/m);
  });

  it('names the import-library machine of each Windows arch', () => {
    expect(dlltoolMachine(parseTriple('x86_64-pc-windows-msvc'))).toEqual({
      dlltool: 'i386:x86-64',
      lib: 'x64',
    });
    expect(dlltoolMachine(parseTriple('aarch64-pc-windows-msvc')).dlltool).toBe('arm64');
    expect(dlltoolMachine(parseTriple('i686-pc-windows-msvc')).lib).toBe('x86');
  });

  it('the hook binds node.exe (any case) to the running executable and needs no SDK header', () => {
    expect(DELAY_LOAD_HOOK).not.toMatch(/#include/);
    expect(DELAY_LOAD_HOOK).toContain('GetModuleHandleA(0)');
    expect(DELAY_LOAD_HOOK).toContain('__pfnDliNotifyHook2 = kiln_load_exe_hook');
  });

  it("finds the MinGW dlltool by the archiver's prefix", () => {
    expect(gnuToolPrefix('/usr/bin/x86_64-w64-mingw32-ar')).toBe('x86_64-w64-mingw32-');
    expect(gnuToolPrefix('/usr/bin/x86_64-w64-mingw32-gcc-ar')).toBe('x86_64-w64-mingw32-');
    expect(gnuToolPrefix('/usr/bin/llvm-ar')).toBeUndefined();
    expect(gnuToolPrefix('/usr/bin/ar')).toBeUndefined();
  });
});
