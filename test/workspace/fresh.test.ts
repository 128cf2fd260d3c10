import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { KILN_BIN, kiln, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';
import { workspace } from './support.js';

const RECORDER = path.join(REPO_ROOT, 'test', 'support', 'record-imports.mjs');

/** A workspace of cc packages: c ← b ← a (a needs b, b needs c), plus an unrelated d. */
function chain(): string {
  const pkg = (name: string, deps: string[]) => ({
    [`packages/${name}/package.json`]: JSON.stringify({
      name,
      version: '1.0.0',
      type: 'module',
      dependencies: Object.fromEntries(deps.map((d) => [d, '*'])),
    }),
    [`packages/${name}/build.config.ts`]: `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: '${name}', sources: ['src/*.c'] })] });
`,
    [`packages/${name}/src/${name}.c`]: `int ${name}_value(void) { return 1; }\n`,
  });
  return workspace({ ...pkg('a', ['b']), ...pkg('b', ['c']), ...pkg('c', []), ...pkg('d', []) });
}

const events = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; package?: string; manifest?: string });

describe('kiln build --workspaces, everything fresh', () => {
  itWith('gcc')(
    'reports every package Fresh, dependencies first, without loading zod, jiti, yargs or execa',
    async () => {
      const root = chain();
      const first = await kiln(root, ['build', '--workspaces']);
      expect(first.exitCode, first.all).toBe(0);
      expect(first.stdout).toContain('Workspace: 4 built');

      const again = await kiln(root, ['build', '--workspaces']);
      expect(again.exitCode, again.all).toBe(0);
      expect(again.stdout.trim().split('\n')).toEqual([
        'c Fresh',
        'b Fresh',
        'a Fresh',
        'd Fresh',
        'Workspace: 4 fresh',
      ]);

      const json = await kiln(root, ['build', '--workspaces', '--json']);
      expect(json.exitCode, json.all).toBe(0);
      const done = events(json.stdout).filter((e) => e.type === 'done');
      expect(done.map((e) => e.package)).toEqual(['c', 'b', 'a', 'd']);
      for (const e of done) {
        const manifest = JSON.parse(readFileSync(e.manifest!, 'utf8')) as {
          package: { name: string };
        };
        expect(manifest.package.name).toBe(e.package);
      }

      const record = path.join(root, 'resolved.txt');
      const r = await execa(
        process.execPath,
        ['--import', RECORDER, KILN_BIN, 'build', '--workspaces'],
        {
          cwd: root,
          env: { NO_COLOR: '1', KILN_RECORD_IMPORTS: record },
          reject: false,
        },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      const heavy = readFileSync(record, 'utf8')
        .split('\n')
        .flatMap((u) => /\/node_modules\/(yargs|zod|jiti|execa)\//.exec(u)?.[1] ?? []);
      expect([...new Set(heavy)]).toEqual([]);
    },
  );

  itWith('gcc')(
    'leaves anything not fresh to the full build: a changed source, a lost fingerprint, --force',
    async () => {
      const root = chain();
      expect((await kiln(root, ['build', '--workspaces'])).exitCode).toBe(0);

      writeFileSync(path.join(root, 'packages/c/src/c.c'), 'int c_value(void) { return 2; }\n');
      const changed = await kiln(root, ['build', '--workspaces']);
      expect(changed.exitCode, changed.all).toBe(0);
      expect(changed.stdout).toMatch(/^c Dirty: src\/c.c changed$/m);
      // b and a list c's archive and manifest among their inputs.
      expect(changed.stdout).toContain('Workspace: 3 built, 1 fresh');

      const out = path.join(root, 'packages/d/build/kiln');
      const [triple] = readdirSync(out).filter((n) => !n.startsWith('.'));
      rmSync(path.join(out, triple!, 'release/.kiln/fingerprint.json'));
      const lost = await kiln(root, ['build', '--workspaces']);
      expect(lost.exitCode, lost.all).toBe(0);
      expect(lost.stdout).toMatch(/^d Dirty: no previous build$/m);
      expect(lost.stdout).toContain('Workspace: 1 built, 3 fresh');

      const forced = await kiln(root, ['build', '--workspaces', '--force']);
      expect(forced.exitCode, forced.all).toBe(0);
      expect(forced.stdout).toContain('Workspace: 4 built');
    },
  );

  itWith('gcc')(
    'a workspace summary stands for the fingerprints only while nothing they or discovery read changed',
    async () => {
      const root = chain();
      expect((await kiln(root, ['build', '--workspaces'])).exitCode).toBe(0);
      const cache = path.join(root, 'node_modules/.cache/kiln');
      expect(readdirSync(cache).filter((n) => n.startsWith('workspace-'))).toHaveLength(1);
      const fresh = await kiln(root, ['build', '--workspaces']);
      expect(fresh.stdout).toContain('Workspace: 4 fresh');

      // A new package folder: discovery's listing changed, so it is found and built.
      const e = path.join(root, 'packages/e');
      mkdirSync(path.join(e, 'src'), { recursive: true });
      writeFileSync(path.join(e, 'package.json'), JSON.stringify({ name: 'e', version: '1.0.0' }));
      writeFileSync(
        path.join(e, 'build.config.ts'),
        "import { cc, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [cc({ name: 'e', sources: ['src/*.c'] })] });\n",
      );
      writeFileSync(path.join(e, 'src/e.c'), 'int e_value(void) { return 5; }\n');
      const added = await kiln(root, ['build', '--workspaces']);
      expect(added.exitCode, added.all).toBe(0);
      expect(added.stdout).toContain('Workspace: 1 built, 4 fresh');

      // A recorded variable changed: every package says so, as without a summary.
      const env = await kiln(root, ['build', '--workspaces'], { env: { CFLAGS: '-O1' } });
      expect(env.stdout).toMatch(/^a Dirty: env CFLAGS changed$/m);
      expect((await kiln(root, ['build', '--workspaces'])).stdout).toContain('Workspace: 5 built');

      // A package rebuilt on its own rewrites its fingerprint and library: the summary no
      // longer vouches, and its dependents see the new library.
      writeFileSync(path.join(root, 'packages/c/src/c.c'), 'int c_value(void) { return 3; }\n');
      const alone = await kiln(path.join(root, 'packages/c'), ['build']);
      expect(alone.exitCode, alone.all).toBe(0);
      const after = await kiln(root, ['build', '--workspaces']);
      expect(after.exitCode, after.all).toBe(0);
      expect(after.stdout).toMatch(/^b Dirty: .*libc\.a changed$/m);
      expect(after.stdout).toContain('Workspace: 2 built, 3 fresh');
      expect((await kiln(root, ['build', '--workspaces'])).stdout).toContain('Workspace: 5 fresh');
    },
  );
});
