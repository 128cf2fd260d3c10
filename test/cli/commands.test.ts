import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST } from '../support/host.js';
import { kiln, makePackage } from '../support/package.js';

describe('kiln init, clean, doctor, --help, --version', () => {
  it('init writes a starter config once, refuses to overwrite, and --force replaces it', async () => {
    const root = makePackage({});
    const first = await kiln(root, ['init']);
    expect(first.exitCode, first.all).toBe(0);
    const text = readFileSync(path.join(root, 'build.config.ts'), 'utf8');
    expect(text).toContain("import { addon, defineConfig } from 'kilnjs'");
    const again = await kiln(root, ['init']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('build.config.ts already exists');
    expect((await kiln(root, ['init', '--force'])).exitCode).toBe(0);
  });

  it('clean removes the outDir of one target and profile, and --all removes every one', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { defineConfig } from 'kilnjs';\nexport default defineConfig({});\n",
    });
    await kiln(root, ['build']);
    await kiln(root, ['build', '--debug']);
    const out = (p: string) => path.join(root, 'build/kiln', HOST, p);
    expect((await kiln(root, ['clean'])).exitCode).toBe(0);
    expect([existsSync(out('debug')), existsSync(out('release'))]).toEqual([true, false]);
    await kiln(root, ['build']);
    expect((await kiln(root, ['clean', '--debug'])).exitCode).toBe(0);
    expect([existsSync(out('debug')), existsSync(out('release'))]).toEqual([false, true]);
    expect((await kiln(root, ['clean', '--all'])).exitCode).toBe(0);
    expect(existsSync(path.join(root, 'build/kiln'))).toBe(false);
  });

  it('doctor lists the tools it found with a fix line for each one missing', async () => {
    const root = makePackage({});
    const r = await kiln(root, ['doctor'], { env: { PATH: `/nonexistent:${process.env.PATH}` } });
    expect(r.stdout).toMatch(/^ok\s+cc\s+/m);
    expect(r.stdout).toMatch(/^ok\s+node headers\s+/m);
    const json = await kiln(root, ['doctor', '--json'], {
      env: { CC: 'no-such-compiler-x', PATH: '/nonexistent' },
    });
    const report = JSON.parse(json.stdout);
    const cc = report.checks.find((c: { name: string }) => c.name === 'cc');
    expect(cc.found).toBe(false);
    // The build's own hint for a missing compiler: doctor reports what a build would say.
    expect(cc.fix).toContain('apt install build-essential');
    expect(json.exitCode).toBe(1);
  });

  it('prints help and version', async () => {
    const root = makePackage({});
    const help = await kiln(root, ['--help']);
    expect(help.stdout).toContain('kiln build');
    expect(help.stdout).toContain('kiln pkg-config');
    const version = await kiln(root, ['--version']);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    );
  });
});
