import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { HELP_TEXT } from '../../src/cli/help.js';
import { KILN_BIN, kiln, makePackage, REPO_ROOT } from '../support/package.js';

const RECORDER = path.join(REPO_ROOT, 'test', 'support', 'record-imports.mjs');
const HEAVY = ['yargs', 'zod', 'jiti', 'execa'];

/** Runs node with the import recorder; returns every module URL the program resolved. */
async function resolvedModules(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  { anyExit = false } = {},
): Promise<string[]> {
  const record = path.join(cwd, 'resolved.txt');
  rmSync(record, { force: true });
  const r = await execa(process.execPath, ['--import', RECORDER, ...args], {
    cwd,
    env: { NO_COLOR: '1', KILN_RECORD_IMPORTS: record, ...env },
    reject: false,
  });
  if (!anyExit) expect(r.exitCode, r.stderr).toBe(0);
  return readFileSync(record, 'utf8')
    .split('\n')
    .filter((u) => u && !u.endsWith('/record-imports-hooks.mjs'));
}

/**
 * The npm packages among module URLs: `yargs` for `.../node_modules/yargs/index.mjs`, and a
 * package bundled into Kiln's dist (`dist/vendor/zod.cjs`) by its name.
 */
function packagesIn(urls: readonly string[]): string[] {
  const names = urls.flatMap((u) => {
    const m =
      /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u) ?? /\/dist\/vendor\/([^/]+)\.c?js$/.exec(u);
    return m ? [m[1]!] : [];
  });
  return [...new Set(names)].sort();
}

describe('start-up', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('kiln --version, --help and a Fresh build load none of yargs, zod, jiti or execa', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';\nexport default defineConfig({});\n`,
    });
    const first = await kiln(root, ['build']);
    expect(first.exitCode, first.all).toBe(0);
    for (const args of [['--version'], ['--help'], ['-h'], ['build'], ['build', '--release']]) {
      const urls = await resolvedModules(root, [KILN_BIN, ...args]);
      expect(urls.length, `kiln ${args.join(' ')} recorded nothing`).toBeGreaterThan(0);
      const heavy = packagesIn(urls).filter((p) => HEAVY.includes(p));
      expect(heavy, `kiln ${args.join(' ')}`).toEqual([]);
    }
  });

  it('a Fresh build and a replayed one (a header edited) run from the CommonJS entry alone, and print, doctor and pkg-config from one code-cached bundle more: no ES module, no chunk, no config', async () => {
    const root = makePackage({
      'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'q', sources: ['csrc/*.c'], includes: ['include'] })] });
`,
      'include/q.h': '#define Q 1\n',
      'csrc/q.c': '#include "q.h"\nint q(void) { return Q; }\n',
    });
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const dist = pathToFileURL(path.join(REPO_ROOT, 'dist')).href;
    const ownModules = (urls: string[]) =>
      urls.filter((u) => u.startsWith(`${dist}/`)).map((u) => u.slice(dist.length + 1));
    const fresh = await resolvedModules(root, [KILN_BIN, 'build']);
    expect(ownModules(fresh)).toEqual(['cli/entry.cjs']);
    expect(fresh).not.toContain('node:child_process');
    // The replay is one CommonJS file more, compiled through V8's code cache (not a module).
    const cache = mkdtempSync(path.join(os.tmpdir(), 'kiln-startup-cache-'));
    writeFileSync(path.join(root, 'include/q.h'), '#define Q 2\n');
    const replayed = await resolvedModules(root, [KILN_BIN, 'build'], { KILN_CACHE_DIR: cache });
    expect(ownModules(replayed)).toEqual(['cli/entry.cjs']);
    expect(replayed).toContain('node:child_process');
    expect(readdirSync(path.join(cache, 'code'))).toEqual([
      expect.stringMatching(/^quick-replay-v[\d.]+-\w+-[\d-]+\.bin$/),
    ]);
    writeFileSync(path.join(root, 'include/q.h'), '#define Q 3\n');
    const fromCache = await resolvedModules(root, [KILN_BIN, 'build'], { KILN_CACHE_DIR: cache });
    expect(ownModules(fromCache)).toEqual(['cli/entry.cjs']);
    expect(replayed.some((u) => u.endsWith('build.config.ts') || u.includes('/.cache/kiln/'))).toBe(
      false,
    );
    expect((await kiln(root, ['build'])).stdout).toMatch(/^Fresh /);
    // print, doctor and pkg-config run from one CommonJS bundle each, through the code cache as
    // the replay (doctor exits 1 when a tool is missing: its answer, not a failure here).
    for (const [args, bundle] of [
      [['print'], 'quick-print'],
      [['doctor'], 'quick-doctor'],
      [['pkg-config', '--version'], 'quick-pkg-config'],
    ] as const) {
      const env = { KILN_CACHE_DIR: cache };
      const urls = await resolvedModules(root, [KILN_BIN, ...args], env, { anyExit: true });
      expect(ownModules(urls), args[0]).toEqual(['cli/entry.cjs']);
      expect(readdirSync(path.join(cache, 'code')), args[0]).toContainEqual(
        expect.stringMatching(new RegExp(`^${bundle}-v[\\d.]+-\\w+-[\\d-]+\\.bin$`)),
      );
    }
    // A build the config must run goes on to the ES module main.
    writeFileSync(
      path.join(root, 'build.config.ts'),
      `import { defineConfig } from 'kilnjs';\nexport default defineConfig({});\n`,
    );
    expect(ownModules(await resolvedModules(root, [KILN_BIN, 'build']))).toContain('cli/main.js');
  });

  it('kiln print, kiln doctor and kiln build --workspaces with plain flags do not load yargs; a bad flag still gets its message', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';\nexport default defineConfig({});\n`,
    });
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    for (const args of [
      ['print'],
      ['print', '-f', 'flags', '--release'],
      ['doctor', '--json'],
      ['build', '--workspaces'],
    ]) {
      const record = path.join(root, 'resolved.txt');
      rmSync(record, { force: true });
      await execa(process.execPath, ['--import', RECORDER, KILN_BIN, ...args], {
        cwd: root,
        env: { NO_COLOR: '1', KILN_RECORD_IMPORTS: record },
        reject: false,
      });
      const urls = readFileSync(record, 'utf8').split('\n');
      expect(packagesIn(urls), `kiln ${args.join(' ')}`).not.toContain('yargs');
    }
    const bad = await kiln(root, ['print', '--format', 'nope']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('Choices: "json", "flags"');
    const debug = await kiln(root, ['print', '--debug']);
    expect(debug.exitCode).toBe(1);
    expect(debug.stderr).toContain(path.join('debug', 'manifest.json'));
  });

  it("import('kilnjs'), kiln print and kiln doctor load none of zod, jiti, yargs or execa; calling a plugin factory loads zod", async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';\nexport default defineConfig({});\n`,
      'main.mjs': `import { cc, pkgConfig } from 'kilnjs';\ncc({ name: 'x', sources: 'a.c' });\npkgConfig('zlib');\n`,
    });
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const runs = [
      ['-e', "import('kilnjs')"],
      [KILN_BIN, 'print'],
      [KILN_BIN, 'print', '-f', 'flags'],
      [KILN_BIN, 'doctor', '--json'],
    ];
    for (const args of runs) {
      const record = path.join(root, 'resolved.txt');
      rmSync(record, { force: true });
      await execa(process.execPath, ['--import', RECORDER, ...args], {
        cwd: root,
        env: { NO_COLOR: '1', KILN_RECORD_IMPORTS: record },
        reject: false,
      });
      const urls = readFileSync(record, 'utf8').split('\n');
      expect(
        urls.some((u) => u.includes('/dist/')),
        args.join(' '),
      ).toBe(true);
      expect(
        packagesIn(urls).filter((p) => HEAVY.includes(p)),
        args.join(' '),
      ).toEqual([]);
    }
    // Calling a plugin factory validates its options, which loads the (bundled) schema library.
    const urls = await resolvedModules(root, ['main.mjs']);
    expect(packagesIn(urls)).toContain('zod');
    expect(packagesIn(urls)).not.toContain('jiti');
  });

  it("kilnjs/loader's module graph is Kiln's own files and node: built-ins only", async () => {
    const root = makePackage({ 'main.mjs': "import { loadAddon } from 'kilnjs/loader';\n" });
    const urls = await resolvedModules(root, ['main.mjs']);
    const dist = pathToFileURL(path.join(REPO_ROOT, 'dist')).href;
    const main = pathToFileURL(path.join(root, 'main.mjs')).href;
    const foreign = urls.filter(
      (u) => !u.startsWith('node:') && !u.startsWith(`${dist}/`) && u !== main,
    );
    expect(foreign).toEqual([]);
    expect(urls.some((u) => u.startsWith(`${dist}/loader.js`))).toBe(true);
  });

  it('kilnjs/loader exports loadAddon, the same function kilnjs exports', async () => {
    const root = makePackage({
      'main.mjs': `import * as loader from 'kilnjs/loader';
import { loadAddon } from 'kilnjs';
console.log(JSON.stringify({ keys: Object.keys(loader), same: loader.loadAddon === loadAddon }));
`,
    });
    const r = await execa(process.execPath, ['main.mjs'], { cwd: root });
    expect(JSON.parse(r.stdout)).toEqual({ keys: ['loadAddon'], same: true });
  });

  it('a KilnError thrown by kilnjs/loader (a bundle of its own) is instanceof the one kilnjs exports', async () => {
    const root = makePackage({
      'main.mjs': `import { loadAddon } from 'kilnjs/loader';
import { KilnError, isKilnError } from 'kilnjs';
try {
  loadAddon('nowhere', { root: import.meta.url });
} catch (e) {
  console.log(JSON.stringify({ instance: e instanceof KilnError, duck: isKilnError(e), code: e.code }));
}
console.log(JSON.stringify({ plain: new Error('x') instanceof KilnError }));
`,
    });
    const r = await execa(process.execPath, ['main.mjs'], { cwd: root });
    const [thrown, plain] = r.stdout.split('\n').map((l) => JSON.parse(l));
    expect(thrown).toEqual({ instance: true, duck: true, code: 'ADDON_NOT_FOUND' });
    expect(plain).toEqual({ plain: false });
  });

  it('the static --help text is what yargs prints for the full command line', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await runCli(['--help'])).toBe(0);
    const printed = log.mock.calls.map((call) => call.join(' ')).join('\n');
    expect(`${printed}\n`).toBe(HELP_TEXT);
    const root = makePackage({});
    const r = await kiln(root, ['--help']);
    expect(r.stdout).toBe(HELP_TEXT.trimEnd());
  });
});
