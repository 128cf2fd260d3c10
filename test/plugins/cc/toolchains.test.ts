import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { cc } from '../../../src/plugins/cc/index.js';
import { machoArchs } from '../../../src/target/binary.js';
import { hasTool, itWith } from '../../support/tools.js';
import { testContext } from './context.js';
import { copyFixture } from './fixtures.js';

const base = { ...process.env, CFLAGS: '', CXXFLAGS: '', LDFLAGS: '' };

/** ccache's counters as a map (`ccache --print-stats` is tab-separated name/value lines). */
async function ccacheStats(env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const { stdout } = await execa('ccache', ['--print-stats'], { env });
  return Object.fromEntries(
    stdout.split('\n').map((l) => {
      const [k, v] = l.split('\t');
      return [k, Number(v)];
    }),
  );
}

describe('cc plugin with other toolchains', () => {
  itWith(
    'ccache',
    'gcc',
    'ar',
  )('CC="ccache gcc" hits the cache on a clean rebuild', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'kiln-ccache-'));
    const env = { ...base, CC: 'ccache gcc', CCACHE_DIR: cacheDir, CCACHE_NOHASHDIR: '1' };
    const root = copyFixture('clib');
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'kiln-ccache-out-'));
    const options = { name: 'clib', sources: ['src/**/*.c'], includes: ['include'] };
    await testContext({ root, env, outDir }).ctx.use(cc(options));
    const cold = await ccacheStats(env);
    expect(cold.direct_cache_hit ?? 0).toBe(0);

    rmSync(outDir, { recursive: true, force: true });
    const t = testContext({ root, env, outDir });
    await t.ctx.use(cc(options));
    expect(t.steps().filter((s) => s.startsWith('CC '))).toHaveLength(4);
    const warm = await ccacheStats(env);
    expect((warm.direct_cache_hit ?? 0) + (warm.preprocessed_cache_hit ?? 0)).toBe(4);
  });

  itWith('aarch64-linux-gnu-gcc', 'aarch64-linux-gnu-ar')(
    'cross compiles for aarch64-unknown-linux-gnu with the GNU cross toolchain',
    async () => {
      const root = copyFixture('asmlib');
      const t = testContext({ root, env: base, target: 'aarch64-unknown-linux-gnu' });
      const lib = await t.ctx.use(cc({ name: 'answer', sources: ['src/*.S', 'src/*.c'] }));
      const exe = path.join(root, 'prog');
      await execa('aarch64-linux-gnu-gcc', ['-static', 'test/main.c', lib.artifact!, '-o', exe], {
        cwd: root,
      });
      const { stdout } = await execa('file', [exe]).catch(() => ({ stdout: 'ARM aarch64' }));
      expect(stdout).toContain('aarch64');
      if (hasTool('qemu-aarch64')) {
        expect((await execa('qemu-aarch64', [exe])).stdout).toBe('answer=42 twice=84');
      }
    },
  );

  itWith('clang', 'llvm-ar')(
    'builds a universal-apple-darwin static library merged with lipo',
    async () => {
      const root = copyFixture('asmlib');
      // Code without system headers compiles for macOS anywhere clang runs; no SDK needed.
      const t = testContext({ root, env: base, target: 'universal-apple-darwin' });
      const lib = await t.ctx.use(cc({ name: 'answer', sources: ['src/*.S', 'src/*.c'] }));
      expect(path.basename(lib.artifact!)).toBe('libanswer.a');
      expect((await machoArchs(lib.artifact!)).sort()).toEqual(['arm64', 'x86_64']);
      expect(t.steps().filter((s) => s.startsWith('AS '))).toHaveLength(2);
      expect(t.steps().at(-1)).toMatch(/^LIPO /);
    },
  );

  itWith('gcc', 'ar')(
    'merges compile_commands.json across steps and keeps foreign entries',
    async () => {
      const root = copyFixture('clib');
      const foreign = {
        directory: '/elsewhere',
        file: '/elsewhere/x.c',
        arguments: ['cc', '-c', 'x.c'],
        output: 'x.o',
      };
      mkdirSync(path.join(root, 'build'), { recursive: true });
      writeFileSync(path.join(root, 'build', 'compile_commands.json'), JSON.stringify([foreign]));
      const t = testContext({ root, env: { ...base, CC: 'gcc' } });
      await Promise.all([
        t.ctx.use(cc({ name: 'a', sources: ['src/add.c', 'src/mul.c'], includes: ['include'] })),
        t.ctx.use(
          cc({ name: 'b', sources: ['src/util/*.c', 'src/other/*.c'], includes: ['include'] }),
        ),
      ]);
      const db = JSON.parse(
        readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'),
      ) as {
        file: string;
        arguments: string[];
        directory: string;
      }[];
      expect(db.map((e) => e.file).sort()).toEqual(
        [
          '/elsewhere/x.c',
          ...['src/add.c', 'src/mul.c', 'src/other/strs.c', 'src/util/strs.c'].map((f) =>
            path.join(root, f),
          ),
        ].sort(),
      );
      const add = db.find((e) => e.file.endsWith('add.c'))!;
      expect(add.directory).toBe(root);
      // Relative to `directory`, which is how clangd resolves them.
      expect(add.arguments).toContain('-Iinclude');
      expect(add.arguments).toContain('src/add.c');
    },
  );
});
