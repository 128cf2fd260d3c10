import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { cc } from '../../../src/plugins/cc/index.js';
import { REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { testContext } from './context.js';
import { AWKWARD_DIR, copyFixture } from './fixtures.js';

const COMPILERS = [
  { family: 'gcc', cc: 'gcc', cxx: 'g++' },
  { family: 'clang', cc: 'clang', cxx: 'clang++' },
] as const;

describe.each(COMPILERS)('cc plugin with $family', (c) => {
  const test = itWith(c.cc, c.cxx, 'ar');
  const env = { ...process.env, CC: c.cc, CXX: c.cxx, CFLAGS: '', CXXFLAGS: '', LDFLAGS: '' };

  /** Links a program against what a step built, with the same compiler, and runs it. */
  async function linkAndRun(
    root: string,
    main: string,
    args: string[],
    cxx = false,
  ): Promise<string> {
    const exe = path.join(root, 'prog');
    await execa(cxx ? c.cxx : c.cc, [path.join(root, main), ...args, '-o', exe], { cwd: root });
    return (await execa(exe, [], { cwd: root })).stdout;
  }

  test('builds a C static library whose two strs.c files do not collide', async () => {
    const root = copyFixture('clib');
    const t = testContext({ root, env });
    const lib = await t.ctx.use(
      cc({ name: 'clib', sources: ['src/**/*.c'], includes: ['include'] }),
    );
    expect(lib.kind).toBe('static');
    expect(path.basename(lib.artifact!)).toBe('libclib.a');
    expect(lib.objects).toHaveLength(4);
    expect(new Set(lib.objects.map((o) => path.basename(o))).size).toBe(3); // two strs.c.o, distinct dirs
    expect(lib.libs[0]).toMatchObject({ name: 'clib', kind: 'static', path: lib.artifact });
    const out = await linkAndRun(root, 'test/main.c', ['-Iinclude', lib.artifact!]);
    expect(out).toBe('add=5 mul=20 len=4 count=3 greeting=hello');
    // Compiles start largest source first (see the scheduling test); the archive comes last.
    const steps = t.steps();
    expect(steps.slice(0, -1).sort()).toEqual([
      'CC src/add.c',
      'CC src/mul.c',
      'CC src/other/strs.c',
      'CC src/util/strs.c',
    ]);
    expect(steps.at(-1)).toBe(`AR ${path.relative(root, lib.artifact!)}`);
    expect(t.state.artifacts).toEqual([
      { kind: 'static-lib', path: lib.artifact, step: 'cc:clib' },
    ]);
    expect([...t.state.files]).toContain(path.join(root, 'include', 'config.h'));
    const db = JSON.parse(readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'));
    expect(db).toHaveLength(4);
    expect(db[0].arguments[0]).toMatch(new RegExp(`${c.cc}$`));
  });

  test('keeps objects of sources outside the package inside the output dir, without collisions', async () => {
    const root = copyFixture('clib');
    const outside = path.dirname(root);
    mkdirSync(path.join(outside, 'shared'), { recursive: true });
    mkdirSync(path.join(outside, 'other'), { recursive: true });
    writeFileSync(path.join(outside, 'shared', 'strs.c'), 'int shared_strs(void) { return 1; }\n');
    writeFileSync(path.join(outside, 'other', 'strs.c'), 'int other_strs(void) { return 2; }\n');
    const outDir = path.join(root, 'out');
    const t = testContext({ root, env, outDir });
    const lib = await t.ctx.use(
      cc({
        name: 'clib',
        sources: ['src/**/*.c', '../shared/strs.c', path.join(outside, 'other', 'strs.c')],
        includes: ['include'],
      }),
    );
    expect(lib.objects).toHaveLength(6);
    expect(new Set(lib.objects).size).toBe(6);
    for (const o of lib.objects) expect(path.relative(outDir, o).startsWith('..')).toBe(false);
    expect(t.steps()).toContain('CC ../shared/strs.c');
  });

  test('builds a C++ library and exports the C++ runtime for the final link', async () => {
    const root = copyFixture('cxxlib');
    const t = testContext({ root, env });
    const lib = await t.ctx.use(
      cc({
        name: 'shapes',
        sources: ['src/*.cpp', 'src/*.cc'],
        includes: ['include'],
        std: 'c++17',
      }),
    );
    expect(lib.libs.map((l) => l.name)).toEqual(['shapes', 'stdc++']);
    expect(t.steps().filter((s) => s.startsWith('CXX'))).toHaveLength(2);
    const out = await linkAndRun(root, 'main.c', ['-Iinclude', lib.artifact!, '-lstdc++']);
    expect(out).toBe('area=14');
  });

  test('assembles a preprocessed .S file next to C', async () => {
    const root = copyFixture('asmlib');
    const t = testContext({ root, env });
    const lib = await t.ctx.use(cc({ name: 'answer', sources: ['src/*.S', 'src/*.c'] }));
    expect(t.steps()).toContain('AS src/answer.S');
    const out = await linkAndRun(root, 'test/main.c', [lib.artifact!]);
    expect(out).toBe('answer=42 twice=84');
  });

  test('builds a shared library a linked program loads through the rpath', async () => {
    const root = copyFixture('clib');
    const t = testContext({ root, env });
    const lib = await t.ctx.use(
      cc({
        name: 'clib',
        kind: 'shared',
        sources: ['src/**/*.c'],
        includes: ['include'],
        defines: { CLIB_GREETING: '"shared"' },
      }),
    );
    expect(path.basename(lib.artifact!)).toBe('libclib.so');
    expect(lib.libs).toEqual([{ name: 'clib', kind: 'dylib', path: lib.artifact }]);
    expect(lib.rpaths).toEqual([path.dirname(lib.artifact!)]);
    const dir = path.dirname(lib.artifact!);
    const out = await linkAndRun(root, 'test/main.c', [
      '-Iinclude',
      `-L${dir}`,
      '-lclib',
      `-Wl,-rpath,${dir}`,
    ]);
    expect(out).toBe('add=5 mul=20 len=4 count=3 greeting=shared');
    const soname = await execa('readelf', ['-d', lib.artifact!]).then(
      (r) => r.stdout,
      () => '',
    );
    if (soname) expect(soname).toContain('Library soname: [libclib.so]');
  });

  test('builds a shared library Node loads as a Node-API addon', async () => {
    const root = copyFixture('napi');
    const headers = path.join(REPO_ROOT, 'node_modules', 'node-api-headers', 'include');
    const t = testContext({ root, env });
    const lib = await t.ctx.use(
      cc({
        name: 'addon',
        kind: 'shared',
        sources: ['addon.c'],
        includes: [headers],
        defines: { NODE_GYP_MODULE_NAME: 'addon' },
      }),
    );
    // Node-API symbols resolve against the running node when it loads the library.
    const mod = { exports: {} as { answer?: () => number } };
    process.dlopen(mod, lib.artifact!);
    expect(mod.exports.answer?.()).toBe(42);
  });

  test('works in a directory with spaces, quotes, $() and non-ASCII characters', async () => {
    const root = copyFixture('clib', AWKWARD_DIR);
    const t = testContext({ root, env, outDir: path.join(root, 'out dir ü') });
    const lib = await t.ctx.use(
      cc({ name: 'clib', sources: ['src/**/*.c'], includes: ['include'] }),
    );
    const out = await linkAndRun(root, 'test/main.c', ['-Iinclude', lib.artifact!]);
    expect(out).toBe('add=5 mul=20 len=4 count=3 greeting=hello');
    // The depfile parser read the awkward header path back: the header is a tracked input.
    expect([...t.state.files]).toContain(path.join(root, 'include', 'config.h'));
    // A second build in a new context finds everything fresh (paths round-trip through the state).
    const again = testContext({ root, env, outDir: path.join(root, 'out dir ü') });
    await again.ctx.use(cc({ name: 'clib', sources: ['src/**/*.c'], includes: ['include'] }));
    expect(again.steps()).toEqual([]);
  });
});
