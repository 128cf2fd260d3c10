import { mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { makePackage, REPO_ROOT } from '../support/package.js';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * Type-checks a user's build.config.ts against the published types (dist/*.d.ts) as an install
 * sees them: kilnjs in node_modules and nothing else of Kiln's dependencies (preserveSymlinks,
 * so the repo's own node_modules, which has zod, is not searched).
 */
async function typecheck(config: string) {
  const root = makePackage({
    'build.config.ts': config,
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        preserveSymlinks: true,
        types: ['node'],
      },
      files: ['build.config.ts'],
    }),
  });
  mkdirSync(path.join(root, 'node_modules', '@types'));
  for (const dep of ['@types/node', 'undici-types']) {
    symlinkSync(path.join(REPO_ROOT, 'node_modules', dep), path.join(root, 'node_modules', dep));
  }
  const r = await execa(process.execPath, [TSC, '-p', 'tsconfig.json'], {
    cwd: root,
    reject: false,
  });
  return { exitCode: r.exitCode, out: r.stdout };
}

describe('published types', () => {
  it('check a config, with no package outside the install (no zod)', async () => {
    const r = await typecheck(`import { addon, cc, cmake, defineConfig, pkgConfig } from 'kilnjs';
import { zlib } from 'kilnjs/recipes';

const core = cc({ name: 'core', sources: ['csrc/*.c'], defines: { N: 1 }, warnings: 'error' });
export default defineConfig({
  plugins: [core, pkgConfig('zlib', { version: '>=1.2' }), cmake({ source: 'vendor/x' }), zlib()],
  async build(ctx) {
    await ctx.use(addon({ name: 'm', sources: 'a.cc', link: [core] }));
  },
});
`);
    expect(r.out).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('reject an option key with a typo, naming it', async () => {
    const r = await typecheck(`import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'core', sources: 'a.c', warnigns: 'off' })] });
`);
    expect(r.exitCode).not.toBe(0);
    expect(r.out).toContain("'warnigns' does not exist in type 'CcOptions'");
  });
});
