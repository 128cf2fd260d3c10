import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { addonNameFor } from '../../src/cli/init-starter.js';
import { kiln, makePackage } from '../support/package.js';
import { itWith } from '../support/tools.js';

describe('kiln init in a package with no config', () => {
  itWith('cc')(
    'writes an addon starter that builds into a .node Node loads and calls',
    async () => {
      const root = makePackage({}, { name: '@acme/fast-json', dirName: "my pkg 'ü'" });
      const init = await kiln(root, ['init']);
      expect(init.exitCode, init.all).toBe(0);
      expect(init.stdout).toContain('Wrote build.config.ts and src/addon.c');
      expect(readFileSync(path.join(root, 'build.config.ts'), 'utf8')).toContain(
        "addon({ name: 'fast_json', sources: ['src/addon.c'] })",
      );
      const build = await kiln(root, ['build']);
      expect(build.exitCode, build.all).toBe(0);
      expect(build.stderr).not.toContain('warning');
      const addon = path.join(root, 'build', 'Release', 'fast_json.node');
      const run = await execa(process.execPath, [
        '-e',
        'process.stdout.write(require(process.argv[1]).hello())',
        addon,
      ]);
      expect(run.stdout).toBe('hello from fast_json');
    },
  );

  it('never overwrites an existing src/addon.c, even with --force', async () => {
    const mine = '// my own addon\n';
    const root = makePackage({ 'src/addon.c': mine });
    const r = await kiln(root, ['init']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain('kept the existing src/addon.c');
    expect(readFileSync(path.join(root, 'src/addon.c'), 'utf8')).toBe(mine);
    writeFileSync(path.join(root, 'build.config.ts'), '// hand-written\n');
    expect((await kiln(root, ['init'])).exitCode).toBe(2);
    expect(readFileSync(path.join(root, 'build.config.ts'), 'utf8')).toBe('// hand-written\n');
    expect((await kiln(root, ['init', '--force'])).exitCode).toBe(0);
    expect(readFileSync(path.join(root, 'src/addon.c'), 'utf8')).toBe(mine);
    expect(existsSync(path.join(root, 'build.config.ts'))).toBe(true);
  });

  it('makes the package name a C identifier for the addon name', () => {
    expect(addonNameFor('@acme/fast-json', '/x')).toBe('fast_json');
    expect(addonNameFor('3d.tools', '/x')).toBe('_3d_tools');
    expect(addonNameFor(undefined, '/tmp/my pkg')).toBe('my_pkg');
    expect(addonNameFor('---', '/x')).toBe('addon');
  });
});
