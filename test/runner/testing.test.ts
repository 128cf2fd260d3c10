import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineOptions,
  isKilnError,
  type LinkInfo,
  linkableSchema,
  type Plugin,
  resolveLinkable,
} from '../../src/index.js';
import { emptyLinkInfo } from '../../src/manifest/schema.js';
import { createTestBuild } from '../../src/testing.js';
import { makePackage, REPO_ROOT } from '../support/package.js';

function library(name: string): LinkInfo {
  return { ...emptyLinkInfo(), libs: [{ name, kind: 'static' }] };
}

describe('kilnjs/testing', () => {
  it('runs a plugin once per build, as the runner does, and nested uses share its result', async () => {
    const t = createTestBuild();
    let runs = 0;
    const gen: Plugin<LinkInfo> = {
      name: 'gen',
      run: () => {
        runs += 1;
        return library('gen');
      },
    };
    const user: Plugin<LinkInfo | undefined> = { name: 'user', run: (ctx) => ctx.use(gen) };
    const first = await t.run(gen);
    expect(await t.run(user)).toBe(first);
    expect(await t.ctx.use(gen)).toBe(first);
    expect(runs).toBe(1);
    expect(t.events.filter((e) => e.type === 'plugin-start').map((e) => e.plugin)).toEqual([
      'gen',
      'user',
    ]);
  });

  it('gives the manifest the build would write, relative paths resolved in the package', async () => {
    const t = createTestBuild({ files: { 'inc/a.h': '#define A 1\n' }, packageName: 'demo' });
    await t.run({
      name: 'paths',
      run(ctx) {
        ctx.emitLink({ ...library('a'), includes: ['inc'] });
        ctx.trackFiles(['inc/a.h']);
        ctx.getEnv('DEMO_OPT');
        ctx.log.info('hello');
      },
    });
    const manifest = t.manifest();
    expect(manifest.package).toMatchObject({ name: 'demo', root: t.root });
    expect(manifest.includes).toEqual([path.join(t.root, 'inc')]);
    expect(manifest.libs).toEqual([{ name: 'a', kind: 'static' }]);
    expect(manifest.inputs).toEqual({ files: ['inc/a.h'], env: ['DEMO_OPT'] });
    expect(t.inputs().env).toHaveProperty('DEMO_OPT');
    expect(t.logs()).toEqual(['info: hello']);
  });

  it('a failing plugin: PLUGIN_FAILED naming it, and plugin-end with ok: false', async () => {
    const t = createTestBuild();
    const error = await t
      .run({
        name: 'broken',
        run() {
          throw new Error('no schema');
        },
      })
      .catch((e: unknown) => e);
    expect(isKilnError(error) && error.code).toBe('PLUGIN_FAILED');
    expect(isKilnError(error) && error.plugin).toBe('broken');
    expect(t.events).toContainEqual(
      expect.objectContaining({ type: 'plugin-end', plugin: 'broken', ok: false }),
    );
  });

  it('is the package export kilnjs/testing, with types', async () => {
    expect(existsSync(path.join(REPO_ROOT, 'dist/testing.js'))).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, 'dist/testing.d.ts'))).toBe(true);
    const root = makePackage({
      'check.mjs': `import { createTestBuild } from 'kilnjs/testing';
const t = createTestBuild();
const r = await t.run({ name: 'p', run: (ctx) => ({ root: ctx.packageRoot }) });
console.log(JSON.stringify({ same: r.root === t.root, name: t.manifest().package.name }));
`,
    });
    const r = await execa(process.execPath, ['check.mjs'], { cwd: root });
    expect(JSON.parse(r.stdout)).toEqual({ same: true, name: 'test-package' });
  });
});

describe('Linkable: one schema and one resolver', () => {
  // A third-party plugin's options, declared as Kiln's own plugins declare theirs.
  const parser = defineOptions('mine', z.strictObject({ link: z.array(linkableSchema) }));

  it('accepts a library result, a plugin and a manifest; refuses anything else by name', () => {
    const t = createTestBuild();
    const plugin: Plugin<LinkInfo> = { name: 'x', run: () => library('x') };
    expect(parser.parse({ link: [library('a'), plugin, t.manifest()] }).link).toHaveLength(3);
    expect(() => parser.parse({ link: ['zlib'] })).toThrow(
      /mine\(options\)\.link\[0\]: expected a library result \(LinkInfo\), a plugin returning one, or a manifest/,
    );
  });

  it('resolves a plugin through ctx.use (once), a manifest to its link info, a result as it is', async () => {
    const t = createTestBuild();
    let runs = 0;
    const plugin: Plugin<LinkInfo> = {
      name: 'x',
      run: () => {
        runs += 1;
        return library('x');
      },
    };
    const a = await resolveLinkable(t.ctx, plugin);
    expect(await resolveLinkable(t.ctx, plugin)).toBe(a);
    expect(runs).toBe(1);
    const lib = library('y');
    expect(await resolveLinkable(t.ctx, lib)).toBe(lib);
    const fromManifest = await resolveLinkable(t.ctx, { ...t.manifest(), libs: lib.libs });
    expect(fromManifest).toEqual(lib);
    const optional: Plugin<LinkInfo | undefined> = { name: 'none', run: () => undefined };
    expect(await resolveLinkable(t.ctx, optional)).toBeUndefined();
  });
});
