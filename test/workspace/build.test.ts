import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { hostOut } from '../support/host.js';
import { kiln, REPO_ROOT, writeFile } from '../support/package.js';
import { itWith } from '../support/tools.js';
import { workspace } from './support.js';

const ccPackage = (name: string, deps: string[], source: string) => ({
  [`packages/${name}/package.json`]: JSON.stringify({
    name,
    version: '1.0.0',
    type: 'module',
    dependencies: Object.fromEntries(deps.map((d) => [d, '*'])),
  }),
  [`packages/${name}/build.config.ts`]: `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: ${JSON.stringify(name.replace(/\W/g, '_'))}, sources: ['csrc/*.c'] })] });
`,
  ...Object.fromEntries(
    [1, 2, 3].map((i) => [
      `packages/${name}/csrc/part${i}.c`,
      `int ${name.replace(/\W/g, '_')}_${i}(void) { ${source} }\n`,
    ]),
  ),
});

describe('kiln build --workspaces', () => {
  itWith('gcc')('holds the global job limit across packages (-j2, three packages)', async () => {
    const root = workspace({
      ...ccPackage('a', [], 'return 1;'),
      ...ccPackage('b', [], 'return 2;'),
      ...ccPackage('c', [], 'return 3;'),
    });
    const log = path.join(root, 'timing.jsonl');
    const r = await kiln(root, ['build', '--workspaces', '-j2'], {
      env: {
        CC: path.join(REPO_ROOT, 'test/support/timing-cc.mjs'),
        TIMING_LOG: log,
        TIMING_SLEEP_MS: '300',
      },
    });
    expect(r.exitCode, r.all).toBe(0);
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ev: string; t: number; cwd: string });
    expect(events.filter((e) => e.ev === 'start')).toHaveLength(9);
    let running = 0;
    let peak = 0;
    for (const e of [...events].sort((x, y) => x.t - y.t || (x.ev === 'end' ? -1 : 1))) {
      running += e.ev === 'start' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(peak).toBe(2);
    // Progress lines carry the package name.
    expect(r.stdout).toMatch(/^a \[\d+\/\d+\] CC/m);
  });

  itWith('gcc')(
    'skips the dependents of a failed package and finishes unrelated ones',
    async () => {
      const root = workspace({
        ...ccPackage('broken', [], 'return missing_symbol_here;'),
        ...ccPackage('needs-broken', ['broken'], 'return 0;'),
        ...ccPackage('unrelated', [], 'return 0;'),
      });
      const r = await kiln(root, ['build', '--workspaces', '-j2']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('missing_symbol_here');
      expect(r.stderr).toMatch(/Skipped needs-broken: broken failed/);
      expect(r.stdout).toMatch(/Workspace: 1 built, 1 failed, 1 skipped/);
      expect(existsSync(path.join(root, `packages/unrelated/${hostOut()}/manifest.json`))).toBe(
        true,
      );
      expect(existsSync(path.join(root, 'packages/needs-broken/build/kiln'))).toBe(false);
    },
  );

  it('refuses a cycle between packages with build configs, naming it', async () => {
    const root = workspace({
      ...ccPackage('x', ['y'], 'return 0;'),
      ...ccPackage('y', ['x'], 'return 0;'),
    });
    const r = await kiln(root, ['build', '--workspaces']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Dependency cycle between packages with build configs: x → y → x');
  });

  itWith('gcc')('--filter builds the named package and what it needs, nothing else', async () => {
    const root = workspace({
      ...ccPackage('base', [], 'return 1;'),
      ...ccPackage('mid', ['base'], 'return 2;'),
      ...ccPackage('top', ['mid'], 'return 3;'),
      ...ccPackage('aside', [], 'return 4;'),
    });
    const r = await kiln(root, ['build', '--workspaces', '--filter', 'mid']);
    expect(r.exitCode, r.all).toBe(0);
    const built = (n: string) =>
      existsSync(path.join(root, `packages/${n}/${hostOut()}/manifest.json`));
    expect(['base', 'mid', 'top', 'aside'].map(built)).toEqual([true, true, false, false]);
    const list = await kiln(root, ['print', '--workspaces']);
    expect(list.stdout).toMatch(/^mid\s+fresh\s+packages\/mid\s+needs base$/m);
    expect(list.stdout).toMatch(/^top\s+not built/m);
  });
});

/** Copies a fixture monorepo to a temp dir and links kilnjs at its root. */
function copyFixture(name: string): string {
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'kiln-ws-fixture-')), name);
  cpSync(path.join(REPO_ROOT, 'native-fixtures/workspace', name), root, { recursive: true });
  writeFile(root, 'node_modules/.keep', '');
  symlinkSync(REPO_ROOT, path.join(root, 'node_modules', 'kilnjs'), 'dir');
  return root;
}

async function load(addon: string, call: string): Promise<string> {
  const r = await execa(process.execPath, [
    '-e',
    `const m = require(${JSON.stringify(addon)}); console.log(${call})`,
  ]);
  return r.stdout;
}

describe('fixture monorepos', () => {
  itWith('gcc')(
    'npm workspaces: builds all, loads the addons, is fresh, rebuilds exactly the dependents',
    async () => {
      const root = copyFixture('npm');
      const first = await kiln(root, ['build', '--workspaces']);
      expect(first.exitCode, first.all).toBe(0);
      expect(first.stdout).toContain('Workspace: 4 built');
      const crc = path.join(root, 'packages/addon-crc/build/Release/crc.node');
      const greet = path.join(root, 'packages/addon-greet/build/Release/greet.node');
      // zlib's crc32("hello") is 0x3610a686.
      expect(await load(crc, "m.crc('hello').toString(16)")).toBe('3610a686');
      expect(await load(greet, 'm.greet()')).toMatch(/^hello from meta \(crc [0-9a-f]{8}\)$/);

      const second = await kiln(root, ['build', '--workspaces']);
      expect(second.exitCode).toBe(0);
      expect(second.stdout).toContain('Workspace: 4 fresh');

      writeFile(
        root,
        'packages/mini-sys/csrc/tag.c',
        '#include "minicrc.h"\n\nuint32_t minicrc_tag(void) { return 2u; }\n',
      );
      const third = await kiln(root, ['build', '--workspaces']);
      expect(third.exitCode, third.all).toBe(0);
      expect(third.stdout).toContain('Workspace: 3 built, 1 fresh');
      expect(third.stdout).toMatch(/^@ws\/meta Fresh$/m);
      expect(third.stdout).toMatch(/^@ws\/mini-sys Dirty: csrc\/tag.c changed$/m);
      expect(await load(crc, 'm.tag()')).toBe('2');
    },
  );

  itWith('gcc')(
    'pnpm workspace: builds in order and the addon loads after the folder moves',
    async () => {
      const root = copyFixture('pnpm');
      const r = await kiln(root, ['build', '--workspaces']);
      expect(r.exitCode, r.all).toBe(0);
      const moved = `${root}-moved`;
      renameSync(root, moved);
      expect(
        await load(path.join(moved, 'apps/hello-addon/build/Release/hello.node'), 'm.answer()'),
      ).toBe('42');
    },
  );
});
