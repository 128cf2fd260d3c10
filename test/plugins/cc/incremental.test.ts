import { createHash } from 'node:crypto';
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { isKilnError } from '../../../src/errors.js';
import { type CcOptions, cc } from '../../../src/plugins/cc/index.js';
import { itWith } from '../../support/tools.js';
import { testContext } from './context.js';
import { copyFixture } from './fixtures.js';

const test = itWith('gcc', 'ar');
const env = { ...process.env, CC: 'gcc', CXX: 'g++', CFLAGS: '', CXXFLAGS: '', LDFLAGS: '' };
const options: CcOptions = { name: 'clib', sources: ['src/**/*.c'], includes: ['include'] };

/** One package and one outDir; every `build()` is a new build with a new context, like `kiln build`. */
function project() {
  const root = copyFixture('clib');
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'kiln-cc-inc-'));
  const build = async (opts: CcOptions = options) => {
    const t = testContext({ root, env, outDir });
    const lib = await t.ctx.use(cc(opts));
    return { lib, steps: t.steps(), compiled: t.steps().filter((s) => s.startsWith('CC ')) };
  };
  return { root, outDir, build };
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('cc plugin: incremental builds', () => {
  test('recompiles nothing when nothing changed', async () => {
    const p = project();
    expect((await p.build()).compiled).toHaveLength(4);
    const second = await p.build();
    expect(second.steps).toEqual([]);
    expect(second.lib.compiled).toEqual([]);
  });

  test('recompiles only the source that includes the touched header, then re-archives', async () => {
    const p = project();
    const first = await p.build();
    appendFileSync(path.join(p.root, 'include', 'config.h'), '/* edited */\n');
    const second = await p.build();
    expect(second.compiled).toEqual(['CC src/add.c']);
    expect(second.steps).toEqual([
      'CC src/add.c',
      `AR ${path.relative(p.root, first.lib.artifact!)}`,
    ]);
  });

  test('does not recompile when a file is touched but its content is the same', async () => {
    const p = project();
    await p.build();
    const header = path.join(p.root, 'include', 'clib.h');
    const later = new Date(statSync(header).mtimeMs + 5000);
    utimesSync(header, later, later);
    expect((await p.build()).steps).toEqual([]);
  });

  test('recompiles everything when a define changes', async () => {
    const p = project();
    await p.build();
    const changed = await p.build({ ...options, defines: { CLIB_GREETING: '"hi"' } });
    expect(changed.compiled).toHaveLength(4);
    expect((await p.build({ ...options, defines: { CLIB_GREETING: '"hi"' } })).steps).toEqual([]);
  });

  test('re-archives when the library file was deleted, without recompiling', async () => {
    const p = project();
    const first = await p.build();
    const { rmSync } = await import('node:fs');
    rmSync(first.lib.artifact!);
    const second = await p.build();
    expect(second.steps).toEqual([`AR ${path.relative(p.root, first.lib.artifact!)}`]);
  });

  test('a failing compile names the file, shows the error and the command, and keeps the previous library', async () => {
    const p = project();
    const first = await p.build();
    const before = digest(first.lib.artifact!);
    writeFileSync(
      path.join(p.root, 'src', 'mul.c'),
      'int clib_mul(int a, int b) { return a * ; }\n',
    );
    let error: unknown;
    try {
      await p.build();
    } catch (err) {
      error = err;
    }
    if (!isKilnError(error)) throw error;
    expect(error.code).toBe('COMPILE_FAILED');
    expect(error.message).toContain('src/mul.c');
    expect(error.details).toMatch(/mul\.c:1:\d+: error: expected expression/);
    expect(error.command).toMatch(/gcc.* -c .*src\/mul\.c -o /);
    expect(digest(first.lib.artifact!)).toBe(before);

    // Fixing it recompiles only the file that failed.
    writeFileSync(
      path.join(p.root, 'src', 'mul.c'),
      readFileSync(path.join(copyFixture('clib'), 'src', 'mul.c')),
    );
    expect((await p.build()).compiled).toEqual(['CC src/mul.c']);
  });

  test('starts the largest sources first, ties in source order', async () => {
    const root = copyFixture('clib');
    // A unit started last that takes longest leaves the other cores idle until it ends.
    writeFileSync(
      path.join(root, 'src', 'big.c'),
      `int big(void) { return 1; }\n/* ${'padding '.repeat(500)} */\n`,
    );
    writeFileSync(path.join(root, 'src', 'tie1.c'), 'int tie1(void) { return 1; }\n');
    writeFileSync(path.join(root, 'src', 'tie2.c'), 'int tie2(void) { return 2; }\n');
    const t = testContext({ root, env, jobs: 1 });
    await t.ctx.use(cc({ ...options, sources: ['src/*.c'] }));
    const compiles = t.steps().filter((s) => s.startsWith('CC '));
    expect(compiles[0]).toBe('CC src/big.c');
    expect(compiles.indexOf('CC src/tie1.c')).toBe(compiles.indexOf('CC src/tie2.c') - 1);
  });

  test('stops the other compiles after the first failure', async () => {
    const root = copyFixture('clib');
    // Many sources that take a while, one broken: the broken one is first in the queue (the
    // largest source starts first).
    writeFileSync(
      path.join(root, 'src', '000-broken.c'),
      `#error "broken on purpose"\n/* ${'padding '.repeat(200)} */\n`,
    );
    for (let i = 0; i < 12; i++) {
      writeFileSync(path.join(root, 'src', `gen${i}.c`), `int gen${i}(void) { return ${i}; }\n`);
    }
    const t = testContext({ root, env, jobs: 1 });
    await expect(t.ctx.use(cc({ ...options, sources: ['src/*.c'] }))).rejects.toMatchObject({
      code: 'COMPILE_FAILED',
      message: expect.stringContaining('src/000-broken.c'),
    });
    // With one job slot, nothing queued behind the failure started.
    expect(t.steps()).toEqual(['CC src/000-broken.c']);
  });

  test('Ctrl-C stops the compiles, reports INTERRUPTED and writes no library', async () => {
    const root = copyFixture('clib');
    for (let i = 0; i < 8; i++) {
      writeFileSync(path.join(root, 'src', `gen${i}.c`), `int gen${i}(void) { return ${i}; }\n`);
    }
    const controller = new AbortController();
    const t = testContext({
      root,
      env,
      jobs: 1,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'progress') controller.abort(new Error('Ctrl-C'));
      },
    });
    await expect(t.ctx.use(cc({ ...options, sources: ['src/**/*.c'] }))).rejects.toMatchObject({
      code: 'INTERRUPTED',
    });
    expect(t.steps()).toHaveLength(1);
    expect(t.state.artifacts).toEqual([]);
  });
});
