import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BuildEvent, build, readManifest } from '../../src/index.js';
import { makePackage } from '../support/package.js';

/**
 * A third-party-style plugin published in its own module: a factory with options that returns
 * `{ name, run }` and a typed result, used by an imperative build(ctx) that reads the result.
 */
const THIRD_PARTY = `import { definePlugin } from 'kilnjs';

export interface Codegen { header: string; symbols: number }

export function codegen(options: { symbols: string[] }) {
  return definePlugin<Codegen>({
    name: 'codegen',
    async run(ctx) {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      const path = await import('node:path');
      const dir = path.join(ctx.outDir, 'gen');
      mkdirSync(dir, { recursive: true });
      const header = path.join(dir, 'symbols.h');
      writeFileSync(header, options.symbols.map((s, i) => '#define ' + s + ' ' + i).join('\\n') + '\\n');
      ctx.addArtifact({ kind: 'file', path: header });
      ctx.emit({ type: 'include', path: dir });
      return { header, symbols: options.symbols.length };
    },
  });
}
`;

describe('programmatic API', () => {
  it('runs plugins in order, memoises ctx.use, and hands typed results to build(ctx)', async () => {
    const root = makePackage({
      'codegen-plugin.ts': THIRD_PARTY,
      'build.config.ts': `import { defineConfig } from 'kilnjs';
import { codegen } from './codegen-plugin.ts';

const gen = codegen({ symbols: ['RED', 'GREEN', 'BLUE'] });
export default defineConfig({
  plugins: [gen],
  async build(ctx) {
    const result = await ctx.use(gen);
    const again = await ctx.use(gen);
    ctx.emit({ type: 'metadata', key: 'symbols', value: String(result.symbols) });
    ctx.emit({ type: 'metadata', key: 'same', value: String(result === again) });
  },
});
`,
    });
    const events: BuildEvent[] = [];
    const result = await build({ cwd: root, onEvent: (e) => events.push(e), jobs: 2 });
    expect(result.fresh).toBe(false);
    expect(result.manifest.metadata).toEqual({ symbols: '3', same: 'true' });
    expect(result.manifest.includes).toEqual([path.join(result.outDir, 'gen')]);
    expect(readFileSync(path.join(result.outDir, 'gen/symbols.h'), 'utf8')).toContain(
      '#define BLUE 2',
    );
    expect(
      events.filter((e) => e.type === 'plugin-start').map((e) => (e as { plugin: string }).plugin),
    ).toEqual(['codegen']);
    // The plugin module the config imports is an input like the config itself.
    expect(result.manifest.inputs.files).toContain('codegen-plugin.ts');

    const again = await build({ cwd: root });
    expect(again.fresh).toBe(true);
    expect(await readManifest({ cwd: root })).toEqual(result.manifest);
  });

  it('passes the environment given to build() to programs and tracks what was read', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    const r = await ctx.exec(process.execPath, ['-e', 'console.log("kiln:metadata=seen=" + process.env.ONLY_HERE)']);
    ctx.emit({ type: 'metadata', key: 'tracked', value: ctx.env.ONLY_HERE ?? 'unset' });
  },
});
`,
    });
    const env = { ...process.env, ONLY_HERE: 'yes' };
    const first = await build({ cwd: root, env });
    expect(first.manifest.metadata).toEqual({ seen: 'yes', tracked: 'yes' });
    expect((await build({ cwd: root, env })).fresh).toBe(true);
    const changed = await build({ cwd: root, env: { ...env, ONLY_HERE: 'no' } });
    expect(changed.reason).toBe('env ONLY_HERE changed');
  });

  it('ctx.emitLink resolves relative paths against the package root, whatever the cwd', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
export default defineConfig({
  build(ctx) {
    ctx.emitLink({
      libs: [{ name: 'gen', kind: 'static' }],
      searchPaths: [{ kind: 'native', path: 'lib' }],
      includes: ['inc'],
      defines: [], cflags: [], ldflags: [], rpaths: [],
    });
    ctx.emit({ type: 'include', path: 'inc2' });
  },
});
`,
    });
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'kiln-elsewhere-'));
    const cwd = process.cwd();
    process.chdir(elsewhere);
    try {
      const result = await build({ cwd: root });
      expect(result.manifest.includes).toEqual([path.join(root, 'inc'), path.join(root, 'inc2')]);
      expect(result.manifest.searchPaths).toEqual([
        { kind: 'native', path: path.join(root, 'lib') },
      ]);
    } finally {
      process.chdir(cwd);
    }
  });
});
