import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { hostOut } from '../../support/host.js';
import { kiln, makePackage } from '../../support/package.js';
import { itWith } from '../../support/tools.js';

const SOURCES = {
  'csrc/a.c': 'int a(void) { return 1; }\n',
  'csrc/b.c': 'int b(void) { return 2; }\n',
};

function config(extra = ''): Record<string, string> {
  return {
    ...SOURCES,
    'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'ab', sources: ['csrc/*.c']${extra} })] });
`,
  };
}

interface Entry {
  directory: string;
  file: string;
  output: string;
}

/** What `npm pack` would put in the tarball, as npm computes it. */
async function packed(root: string): Promise<string[]> {
  const r = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    env: { npm_config_cache: path.join(root, '.npm-cache'), npm_config_update_notifier: 'false' },
  });
  return (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}

describe('compile_commands.json', () => {
  itWith(
    'gcc',
    'ar',
    'npm',
  )(
    'is written to build/, replaces the one an older Kiln left at the root, and is not published',
    async () => {
      const root = makePackage(config(), { dirName: 'pkg ü' });
      // What an earlier Kiln wrote at the root: every output under build/kiln.
      const old = [
        {
          directory: root,
          file: path.join(root, 'csrc/a.c'),
          arguments: ['cc', '-c', 'csrc/a.c'],
          output: path.join(root, hostOut('debug'), 'cc/ab/a.o'),
        },
      ];
      writeFileSync(path.join(root, 'compile_commands.json'), JSON.stringify(old));
      const r = await kiln(root, ['build']);
      expect(r.exitCode, r.all).toBe(0);
      expect(existsSync(path.join(root, 'compile_commands.json'))).toBe(false);
      const db = JSON.parse(
        readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8'),
      ) as Entry[];
      expect(db.map((e) => e.file).sort()).toEqual([
        path.join(root, 'csrc/a.c'),
        path.join(root, 'csrc/b.c'),
      ]);
      for (const e of db)
        expect(path.isAbsolute(e.output) || path.isAbsolute(e.directory)).toBe(true);

      const files = await packed(root);
      // build/ is published (no "files", no ignore file), but not the database in it.
      expect(files.some((f) => f.startsWith('build/kiln/'))).toBe(true);
      expect(files).not.toContain('build/compile_commands.json');
      expect(files).not.toContain('compile_commands.json');

      // With a "files" field naming build/, it stays out too.
      const pkgFile = path.join(root, 'package.json');
      writeFileSync(
        pkgFile,
        JSON.stringify({ ...JSON.parse(readFileSync(pkgFile, 'utf8')), files: ['build/'] }),
      );
      expect(await packed(root)).not.toContain('build/compile_commands.json');
    },
  );

  itWith('gcc', 'ar')(
    'keeps a root database Kiln did not write, and honours compileCommands: <path>',
    async () => {
      const foreign = [{ directory: '/elsewhere', file: '/elsewhere/x.c', output: 'x.o' }];
      const root = makePackage({
        ...config(),
        'compile_commands.json': JSON.stringify(foreign),
      });
      expect((await kiln(root, ['build'])).exitCode).toBe(0);
      expect(JSON.parse(readFileSync(path.join(root, 'compile_commands.json'), 'utf8'))).toEqual(
        foreign,
      );

      // One step keeps its database at the root, another uses the default: neither removes the other's.
      const chosen = makePackage({
        ...SOURCES,
        'lib/c.c': 'int c(void) { return 3; }\n',
        'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [
  cc({ name: 'c', sources: ['lib/c.c'] }),
  cc({ name: 'ab', sources: ['csrc/*.c'], compileCommands: 'compile_commands.json' }),
] });
`,
      });
      const r = await kiln(chosen, ['build']);
      expect(r.exitCode, r.all).toBe(0);
      const db = JSON.parse(
        readFileSync(path.join(chosen, 'compile_commands.json'), 'utf8'),
      ) as Entry[];
      expect(db).toHaveLength(2);
      const other = JSON.parse(
        readFileSync(path.join(chosen, 'build', 'compile_commands.json'), 'utf8'),
      ) as Entry[];
      expect(other.map((e) => e.file)).toEqual([path.join(chosen, 'lib/c.c')]);
      // Later builds keep it: it is where the config asked for it.
      for (let i = 0; i < 2; i++) {
        expect((await kiln(chosen, ['build', '--force'])).exitCode).toBe(0);
        expect(existsSync(path.join(chosen, 'compile_commands.json'))).toBe(true);
      }
    },
  );
});
