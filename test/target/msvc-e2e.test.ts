import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { kiln, makePackage } from '../support/package.js';
import { itWith } from '../support/tools.js';
import { llvmTool } from './support.js';

/**
 * Real Windows binaries built off Windows by `kiln build` through the cc plugin: clang in cl
 * mode, llvm-lib and lld-link, freestanding code (no SDK here), checked with llvm-readobj and
 * llvm-lib /list.
 */
const readobj = llvmTool('llvm-readobj');
const llvmLib = llvmTool('llvm-lib');
const it = itWith('clang', 'lld-link', llvmLib, readobj);

/** No host compiler settings and no SDK: the target decides the tools. */
const ENV: Record<string, string | undefined> = {
  CC: undefined,
  CXX: undefined,
  AR: undefined,
  LD: undefined,
  CFLAGS: undefined,
  CXXFLAGS: undefined,
  LDFLAGS: undefined,
  INCLUDE: undefined,
  LIB: undefined,
};

const SOURCES = {
  'inc/add.h': '#pragma once\n#define BIAS 3\nint add(int a, int b);\n',
  'csrc/add.c': '#include "add.h"\nint add(int a, int b) { return a + b + BIAS; }\n',
  'dll/api.c':
    '#include "add.h"\n__declspec(dllexport) int api_add(int a, int b) { return add(a, b); }\n',
  'main.c': '#include "add.h"\nint main(void) { return add(1, 2); }\n',
};

/** A static library, a DLL linking it and a program linking it, all freestanding. */
const CONFIG = `import { cc, defineConfig } from 'kilnjs';

export default defineConfig({
  async build(ctx) {
    const add = await ctx.use(cc({ name: 'add', sources: ['csrc/*.c'], includes: ['inc'] }));
    if (ctx.target.arch !== 'x86_64') return;
    await ctx.use(
      cc({
        name: 'api',
        kind: 'shared',
        sources: ['dll/*.c'],
        includes: ['inc'],
        link: [add],
        ldFlags: ['/NODEFAULTLIB', '/NOENTRY'],
      }),
    );
    await ctx.use(
      cc({
        name: 'prog',
        kind: 'executable',
        sources: ['main.c'],
        includes: ['inc'],
        link: [add],
        ldFlags: ['/NODEFAULTLIB', '/ENTRY:main', '/SUBSYSTEM:CONSOLE'],
      }),
    );
  },
});
`;

const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });

describe('kiln build for MSVC targets off Windows (clang-cl, llvm-lib, lld-link)', () => {
  it('x86_64-pc-windows-msvc: a static library, a DLL with its exports and import library, a program', async () => {
    const root = makePackage({ ...SOURCES, 'build.config.ts': CONFIG }, { dirName: 'win pkg ü' });
    const target = 'x86_64-pc-windows-msvc';
    const r = await kiln(root, ['build', '--target', target], { env: ENV });
    expect(r.exitCode, r.all).toBe(0);
    const out = (name: string, file: string) =>
      path.join(root, 'build', 'kiln', target, 'release', 'cc', name, file);

    expect(
      run(llvmLib, ['/list', out('add', 'add.lib')])
        .trim()
        .split('\n'),
    ).toEqual([expect.stringMatching(/add\.c\.obj$/)]);
    const libHeaders = run(readobj, ['--file-headers', out('add', 'add.lib')]);
    expect(libHeaders).toContain('Format: COFF-x86-64');
    expect(libHeaders).toContain('IMAGE_FILE_MACHINE_AMD64');

    const dll = run(readobj, ['--file-headers', '--coff-exports', out('api', 'api.dll')]);
    expect(dll).toContain('Format: COFF-x86-64');
    expect(dll).toContain('IMAGE_FILE_DLL');
    expect(dll).toMatch(/Export \{[^}]*Name: api_add/);
    expect(existsSync(out('api', 'api.lib'))).toBe(true);
    // The import library names the DLL by its real name, not the temporary one it was linked as.
    expect(run(llvmLib, ['/list', out('api', 'api.lib')])).toContain('api.dll');

    const exe = run(readobj, ['--file-headers', out('prog', 'prog.exe')]);
    expect(exe).toContain('Format: COFF-x86-64');
    expect(exe).toContain('IMAGE_FILE_EXECUTABLE_IMAGE');
    expect(exe).not.toContain('IMAGE_FILE_DLL');
    expect(exe).toContain('IMAGE_SUBSYSTEM_WINDOWS_CUI');

    const again = await kiln(root, ['build', '--target', target], { env: ENV });
    expect(again.all).toMatch(/^Fresh /m);
  });

  it('gives byte-identical libraries and programs from two checkouts', async () => {
    const target = 'x86_64-pc-windows-msvc';
    const files = (root: string) =>
      ['cc/add/add.lib', 'cc/prog/prog.exe', 'cc/api/api.dll'].map((f) =>
        readFileSync(path.join(root, 'build', 'kiln', target, 'release', f)),
      );
    const roots = [
      makePackage({ ...SOURCES, 'build.config.ts': CONFIG }),
      makePackage({ ...SOURCES, 'build.config.ts': CONFIG }, { dirName: 'deeper/other dir é' }),
    ];
    for (const root of roots) {
      const r = await kiln(root, ['build', '--target', target], { env: ENV });
      expect(r.exitCode, r.all).toBe(0);
    }
    const [a, b] = roots.map(files);
    for (const [i, file] of a!.entries()) expect(file.equals(b![i]!), `file ${i}`).toBe(true);
  });

  it('links through a response file when the command line is longer than Windows allows', async () => {
    const root = makePackage({
      'dll/api.c': '__declspec(dllexport) int api(void) { return 7; }\n',
      // 3000 harmless flags: about 39000 characters of command line.
      'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [
    cc({
      name: 'api',
      kind: 'shared',
      sources: ['dll/*.c'],
      ldFlags: ['/NODEFAULTLIB', '/NOENTRY', ...Array(3000).fill('/IGNORE:4099')],
    }),
  ],
});
`,
    });
    const target = 'x86_64-pc-windows-msvc';
    const r = await kiln(root, ['build', '--target', target, '--verbose'], { env: ENV });
    expect(r.exitCode, r.all).toBe(0);
    const link = r.all.split('\n').find((l) => l.includes('lld-link'))!;
    expect(link).toMatch(/@\S*link\.rsp'?$/);
    expect(link.length).toBeLessThan(1000);
    const dll = path.join(root, 'build', 'kiln', target, 'release', 'cc', 'api', 'api.dll');
    expect(run(readobj, ['--coff-exports', dll])).toMatch(/Name: api/);
  });

  it('aarch64-pc-windows-msvc: a static library of ARM64 objects', async () => {
    const root = makePackage({ ...SOURCES, 'build.config.ts': CONFIG });
    const target = 'aarch64-pc-windows-msvc';
    const r = await kiln(root, ['build', '--target', target], { env: ENV });
    expect(r.exitCode, r.all).toBe(0);
    const lib = path.join(root, 'build', 'kiln', target, 'release', 'cc', 'add', 'add.lib');
    expect(run(llvmLib, ['/list', lib])).toMatch(/add\.c\.obj/);
    const headers = run(readobj, ['--file-headers', lib]);
    expect(headers).toContain('Format: COFF-ARM64');
    expect(headers).toContain('IMAGE_FILE_MACHINE_ARM64');
  });

  it('says the Windows SDK is missing, and what to set, when a source includes a CRT header', async () => {
    const root = makePackage({
      'csrc/io.c': '#include <stdio.h>\nint hello(void) { return puts("hi"); }\n',
      'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'io', sources: ['csrc/*.c'] })] });
`,
    });
    const r = await kiln(root, ['build', '--target', 'x86_64-pc-windows-msvc'], { env: ENV });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      "failed to compile csrc/io.c — the Windows SDK headers are missing ('stdio.h' not found)",
    );
    expect(r.stderr).toMatch(/INCLUDE and LIB/);
    expect(r.stderr).toMatch(/KILN_SYSROOT/);
  });

  it('compiles against headers found through INCLUDE, which are inputs like any header', async () => {
    const root = makePackage({
      'sdk include/stdio.h': '#pragma once\nint puts(const char *s);\n',
      'csrc/io.c': '#include <stdio.h>\nint hello(void) { return puts("hi"); }\n',
      'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'io', sources: ['csrc/*.c'] })] });
`,
    });
    const target = 'x86_64-pc-windows-msvc';
    const env = { ...ENV, INCLUDE: path.join(root, 'sdk include') };
    const first = await kiln(root, ['build', '--target', target], { env });
    expect(first.exitCode, first.all).toBe(0);
    const fresh = await kiln(root, ['build', '--target', target], { env });
    expect(fresh.all).toMatch(/^Fresh /m);
    writeFileSync(
      path.join(root, 'sdk include', 'stdio.h'),
      '#pragma once\nint puts(const char *text);\n',
    );
    const edited = await kiln(root, ['build', '--target', target, '--verbose'], { env });
    expect(edited.exitCode, edited.all).toBe(0);
    expect(edited.all).toMatch(/stdio\.h changed/);
    const moved = await kiln(root, ['build', '--target', target], {
      env: { ...env, INCLUDE: `${env.INCLUDE};${path.join(root, 'csrc')}` },
    });
    expect(moved.all).toMatch(/INCLUDE/);
  });

  it('says the Windows SDK libraries are missing when a program links the CRT', async () => {
    const root = makePackage({
      'main.c': 'int main(void) { return 0; }\n',
      'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'prog', kind: 'executable', sources: ['main.c'] })] });
`,
    });
    const r = await kiln(root, ['build', '--target', 'x86_64-pc-windows-msvc'], { env: ENV });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /linking prog\.exe failed — the Windows SDK libraries are missing \('\w+\.lib' not found\)/,
    );
    expect(r.stderr).toMatch(/\/NODEFAULTLIB/);
  });
});
