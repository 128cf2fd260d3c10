import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { KILN_BIN, kiln, makePackage, REPO_ROOT, writeFile } from '../support/package.js';

const RECORDER = path.join(REPO_ROOT, 'test', 'support', 'record-imports.mjs');

const CONFIG = `import { defineConfig } from 'kilnjs';
import { value } from './lib/helper.js';

export default defineConfig({
  build(ctx) {
    if (process.env.CONFIG_BOOM) throw new Error('boom from the config');
    ctx.emit({ type: 'metadata', key: 'from', value: \`config:\${value}\` });
  },
});
`;

/** `kiln build --force` with the import recorder: whether jiti and zod were loaded, and the run. */
async function build(root: string, env: Record<string, string> = {}, args: string[] = []) {
  const record = path.join(root, 'resolved.txt');
  rmSync(record, { force: true });
  const argv = ['--import', RECORDER, KILN_BIN, 'build', '--force', ...args];
  const r = await execa(process.execPath, argv, {
    cwd: root,
    env: { NO_COLOR: '1', KILN_RECORD_IMPORTS: record, ...env },
    reject: false,
  });
  const urls = readFileSync(record, 'utf8').split('\n');
  return {
    ...r,
    jiti: urls.some((u) => u.includes('/node_modules/jiti/')),
    zod: urls.some((u) => u.includes('/dist/vendor/zod.cjs') || u.includes('/node_modules/zod/')),
  };
}

async function metadata(root: string): Promise<string | undefined> {
  const r = await kiln(root, ['print']);
  expect(r.exitCode, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { metadata: Record<string, string> }).metadata.from;
}

describe('the config cache', () => {
  it('loads an unchanged config without jiti, and reads an edited config or helper again', async () => {
    const root = makePackage(
      { 'build.config.ts': CONFIG, 'lib/helper.ts': `export const value: string = 'one';\n` },
      { dirName: "a dir with spaces, 'quotes' and ü" },
    );
    const first = await build(root);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.jiti).toBe(true);
    expect(await metadata(root)).toBe('config:one');

    const second = await build(root);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.jiti).toBe(false);
    expect(await metadata(root)).toBe('config:one');

    // An edited helper (imported by the config) is read again, through jiti, then cached.
    writeFile(root, 'lib/helper.ts', `export const value: string = 'two';\n`);
    const helperEdited = await build(root);
    expect(helperEdited.exitCode, helperEdited.stderr).toBe(0);
    expect(helperEdited.jiti).toBe(true);
    expect(await metadata(root)).toBe('config:two');
    expect((await build(root)).jiti).toBe(false);

    writeFile(root, 'build.config.ts', CONFIG.replace('config:', 'edited:'));
    const configEdited = await build(root);
    expect(configEdited.exitCode, configEdited.stderr).toBe(0);
    expect(configEdited.jiti).toBe(true);
    expect(await metadata(root)).toBe('edited:two');
  });

  it('is shared by every profile and survives a removed outDir: neither compiles the config again', async () => {
    const root = makePackage({
      'build.config.ts': CONFIG,
      'lib/helper.ts': `export const value: string = 'one';\n`,
    });
    expect((await build(root)).jiti).toBe(true);
    rmSync(path.join(root, 'build'), { recursive: true, force: true });
    const afterClean = await build(root);
    expect(afterClean.exitCode, afterClean.stderr).toBe(0);
    expect(afterClean.jiti).toBe(false);
    const debug = await build(root, {}, ['--debug']);
    expect(debug.exitCode, debug.stderr).toBe(0);
    expect(debug.jiti).toBe(false);
    expect(await metadata(root)).toBe('config:one');
  });

  it('plugin options accepted by the last build are not checked again (no zod), other options are', async () => {
    const config = (name: string) => `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: '${name}', sources: ['csrc/*.c'], defines: { N: 1 } })] });
`;
    const root = makePackage({
      'build.config.ts': config('one'),
      'csrc/a.c': 'int a(void) { return N; }\n',
    });
    const first = await build(root);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.zod).toBe(true);
    const second = await build(root);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.zod).toBe(false);
    // New options are checked (and a wrong one still is an error naming the key).
    writeFile(root, 'build.config.ts', config('two'));
    const edited = await build(root);
    expect(edited.exitCode, edited.stderr).toBe(0);
    expect(edited.zod).toBe(true);
    writeFile(root, 'build.config.ts', config('two').replace('defines', 'defnies'));
    const wrong = await build(root);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('unknown option "defnies" (did you mean "defines"?)');
  });

  it('an error thrown by a cached config names the config file and line, as without the cache', async () => {
    const root = makePackage({
      'build.config.ts': CONFIG,
      'lib/helper.ts': `export const value = 'one';\n`,
    });
    expect((await build(root)).exitCode).toBe(0);
    const failed = await build(root, { CONFIG_BOOM: '1' });
    expect(failed.jiti).toBe(false);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('build.config.ts:6:');
    expect(failed.stderr).toContain('boom from the config');
    expect(failed.stderr).not.toContain('.mjs');
  });
});
