import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../../src/runner/build.js';
import { makePackage, REPO_ROOT } from '../../support/package.js';

const BASIC = path.join(REPO_ROOT, 'native-fixtures/pkgconfig/basic');
const PLUGIN = path.join(REPO_ROOT, 'src/plugins/pkg-config/index.ts');

describe('pkgConfig through the runner', () => {
  it('puts the library in the manifest, tracks the .pc files and env, and reruns when a .pc changes', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
import { pkgConfig } from ${JSON.stringify(PLUGIN)};

export default defineConfig({
  async build(ctx) {
    const app = await ctx.use(pkgConfig('app', { version: '>= 1.0' }));
    const none = await ctx.use(pkgConfig('nothere', { optional: true }));
    ctx.emit({ type: 'metadata', key: 'app_version', value: app.version });
    ctx.emit({ type: 'metadata', key: 'nothere', value: String(none) });
  },
});
`,
    });
    // A private copy of the fixtures, so the test can edit one.
    const pcdir = path.join(root, 'pc');
    cpSync(BASIC, pcdir, { recursive: true });
    const env = { ...process.env, PKG_CONFIG_LIBDIR: pcdir };
    const first = await build({ cwd: root, env });
    const m = first.manifest;
    expect(m.metadata).toEqual({ app_version: '1.0', nothere: 'undefined' });
    expect(m.libs.map((l) => l.name)).toEqual(['app', 'a', 'b', 'm', 'c']);
    expect(m.includes).toContain('/app/include');
    expect(m.searchPaths).toContainEqual({ kind: 'native', path: '/app/lib' });
    expect(m.inputs.env).toEqual(
      expect.arrayContaining(['PKG_CONFIG_LIBDIR', 'APP_NO_PKG_CONFIG', 'APP_STATIC']),
    );
    const files = m.inputs.files.join('\n');
    expect(files).toContain('app.pc');
    expect(files).toContain('c.pc');

    expect((await build({ cwd: root, env })).fresh).toBe(true);
    writeFileSync(
      path.join(pcdir, 'c.pc'),
      'Name: C\nDescription: d\nVersion: 1.3\nLibs: -lc_renamed\n',
    );
    const third = await build({ cwd: root, env });
    expect(third.fresh).toBe(false);
    expect(third.manifest.libs.map((l) => l.name)).toContain('c_renamed');
  });
});
