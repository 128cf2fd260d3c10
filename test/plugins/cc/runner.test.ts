import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { isKilnError } from '../../../src/errors.js';
import { build } from '../../../src/runner/build.js';
import type { BuildEvent } from '../../../src/runner/events.js';
import { REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { copyFixture } from './fixtures.js';

const test = itWith('gcc', 'ar');
const src = (rel: string) => JSON.stringify(path.join(REPO_ROOT, 'src', rel));

/**
 * The clib fixture as a package whose build.config.ts builds a static core and a shared library
 * linked against it, through the real runner (config loading, fingerprint, manifest).
 */
function packageWithConfig(): string {
  const root = copyFixture('clib');
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'clib-pkg', version: '1.0.0', type: 'module' }),
  );
  writeFileSync(
    path.join(root, 'build.config.ts'),
    `import { defineConfig } from ${src('index.ts')};
import { cc } from ${src('plugins/cc/index.ts')};

export default defineConfig({
  async build(ctx) {
    const core = await ctx.use(cc({ name: 'core', sources: ['src/add.c', 'src/util/*.c'], includes: ['include'] }));
    await ctx.use(cc({
      name: 'clib',
      kind: 'shared',
      sources: ['src/mul.c', 'src/other/*.c'],
      includes: ['include'],
      link: [core],
      ldFlags: ['-Wl,--whole-archive', core.artifact!, '-Wl,--no-whole-archive'],
    }));
  },
});
`,
  );
  return root;
}

async function run(root: string) {
  const events: BuildEvent[] = [];
  const env = { ...process.env, CC: 'gcc', CXX: 'g++', CFLAGS: '', LDFLAGS: '' };
  const result = await build({ cwd: root, env, jobs: 2, onEvent: (e) => events.push(e) });
  const steps = events.flatMap((e) => (e.type === 'progress' ? [`${e.step} ${e.what}`] : []));
  return { result, steps, events };
}

describe('cc plugin through the real runner', () => {
  test('builds, is Fresh on the second run, and rebuilds one object when a header changes', async () => {
    const root = packageWithConfig();
    const first = await run(root);
    expect(first.result.fresh).toBe(false);
    expect(first.steps.filter((s) => s.startsWith('CC '))).toHaveLength(4);
    const m = first.result.manifest;
    expect(m.libs.map((l) => `${l.name}:${l.kind}`)).toEqual(['core:static', 'clib:dylib']);
    expect(m.inputs.files.some((f) => f.endsWith('include/config.h'))).toBe(true);
    const so = m.artifacts.find((a) => a.kind === 'shared-lib')!.path;
    expect(existsSync(so)).toBe(true);
    expect(existsSync(path.join(root, 'build', 'compile_commands.json'))).toBe(true);
    const db = JSON.parse(
      readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'),
    ) as {
      file: string;
    }[];
    expect(db.map((e) => path.relative(root, e.file)).sort()).toEqual([
      'src/add.c',
      'src/mul.c',
      'src/other/strs.c',
      'src/util/strs.c',
    ]);

    // The shared library works: a C program linked against it runs.
    const exe = path.join(root, 'prog');
    const dir = path.dirname(so);
    await execa(
      'gcc',
      ['test/main.c', '-Iinclude', `-L${dir}`, '-lclib', `-Wl,-rpath,${dir}`, '-o', exe],
      { cwd: root },
    );
    expect((await execa(exe)).stdout).toBe('add=5 mul=20 len=4 count=3 greeting=hello');

    const second = await run(root);
    expect(second.result.fresh).toBe(true);
    expect(second.steps).toEqual([]);

    appendFileSync(path.join(root, 'include', 'config.h'), '/* edited */\n');
    const third = await run(root);
    expect(third.result.fresh).toBe(false);
    expect(third.result.reason).toContain('config.h');
    // add.c is in core: one compile, the archive, and the shared library that embeds it relinks.
    expect(third.steps.filter((s) => s.startsWith('CC '))).toEqual(['CC src/add.c']);
    expect(third.steps.some((s) => s.startsWith('AR '))).toBe(true);
    expect(third.steps.some((s) => s.startsWith('LINK '))).toBe(true);
  });

  test('a compile error fails the build with COMPILE_FAILED and leaves the previous library', async () => {
    const root = packageWithConfig();
    const first = await run(root);
    const so = first.result.manifest.artifacts.find((a) => a.kind === 'shared-lib')!.path;
    const before = readFileSync(so);
    writeFileSync(
      path.join(root, 'src', 'mul.c'),
      'int clib_mul(int a, int b) { return a +* ; }\n',
    );
    const error = await run(root).then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!isKilnError(error)) throw error ?? new Error('the build should have failed');
    expect(error.code).toBe('COMPILE_FAILED');
    expect(error.message).toContain('src/mul.c');
    expect(error.details).toContain('error:');
    expect(readFileSync(so).equals(before)).toBe(true);
    // Not marked fresh: the next run tries again.
    const again = await run(root).catch((err: unknown) => err);
    expect(isKilnError(again) && again.code).toBe('COMPILE_FAILED');
  });
});
