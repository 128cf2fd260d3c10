import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { hostTriple } from '../../src/target/triple.js';
import { GATE_CC, makeGate } from '../support/gate.js';
import { KILN_BIN, kiln, makePackage, writeFile } from '../support/package.js';
import { itWith } from '../support/tools.js';

const TRIPLE = hostTriple();
const OUT = path.join('build', 'kiln', TRIPLE);

const ADDON_SOURCE = `#include <node_api.h>
static napi_value Init(napi_env env, napi_value exports) { return exports; }
NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
`;

const addonConfig = (extra = '') => `import { addon, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [addon({ name: 'tiny', sources: ['csrc/tiny.c'], headers: 'node'${extra} })],
});
`;

const EMPTY_CONFIG =
  "import { defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [] });\n";

/** A package in a folder of its own (so `..` is a throw-away temp folder, never /tmp itself). */
function tinyAddonPackage(extra = ''): string {
  return makePackage(
    { 'build.config.ts': addonConfig(extra), 'csrc/tiny.c': ADDON_SOURCE },
    { name: 'tiny-addon', dirName: 'clean pkg ñ' },
  );
}

/** Every file and folder under `dir` (not following symlinks), for "nothing was touched". */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.parentPath.includes(`${path.sep}node_modules`) && e.name !== 'node_modules')
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('kiln clean refuses folders Kiln did not create', () => {
  const cases: {
    name: string;
    args: (root: string, outside: string) => string[];
    env?: (outside: string) => Record<string, string>;
    path: (root: string, outside: string) => string;
    why: string;
  }[] = [
    {
      name: '--all --out-dir . (the package root)',
      args: () => ['clean', '--all', '--out-dir', '.'],
      path: (root) => root,
      why: 'it is the package root',
    },
    {
      name: '--out-dir . without --all',
      args: () => ['clean', '--out-dir', '.'],
      path: (root) => root,
      why: 'it is the package root',
    },
    {
      name: '--all --out-dir .. (holds the package)',
      args: () => ['clean', '--all', '--out-dir', '..'],
      path: (root) => path.dirname(root),
      why: 'it contains the package',
    },
    {
      name: 'an unrelated folder with files',
      args: () => ['clean', '--all', '--out-dir', 'docs'],
      path: () => 'docs',
      why: 'Kiln did not create it',
    },
    {
      name: 'an unmarked target/profile folder in an unrelated folder',
      args: () => ['clean', '--debug', '--out-dir', 'docs'],
      path: () => path.join('docs', TRIPLE, 'debug'),
      why: 'it has no Kiln marker',
    },
    {
      name: 'an empty --out-dir value',
      args: () => ['clean', '--all', '--out-dir', ''],
      path: () => '--out-dir',
      why: 'is empty',
    },
    {
      name: 'an empty --out-dir value without --all',
      args: () => ['clean', '--out-dir', ''],
      path: () => '--out-dir',
      why: 'is empty',
    },
    {
      name: '/',
      args: () => ['clean', '--all', '--out-dir', '/'],
      path: () => '/',
      why: 'it is the filesystem root',
    },
    {
      name: 'a symlink to the package',
      args: (_root, outside) => ['clean', '--all', '--out-dir', path.join(outside, 'link')],
      path: (root) => `a symlink to ${realpathSync(root)}`,
      why: 'it is the package root',
    },
    {
      name: 'the home folder',
      args: (_root, outside) => ['clean', '--all', '--out-dir', path.join(outside, 'home')],
      env: (outside) => ({ HOME: path.join(outside, 'home') }),
      path: (_root, outside) => path.join(outside, 'home'),
      why: 'it is your home folder',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}: exit 2, names the path and why, removes nothing`, async () => {
      const root = makePackage(
        {
          'build.config.ts': EMPTY_CONFIG,
          'csrc/main.c': 'int main(void) { return 0; }\n',
          'docs/guide.md': '# Guide\n',
          [`docs/${TRIPLE}/debug/notes.txt`]: 'mine\n',
        },
        { dirName: 'clean pkg ñ' },
      );
      const built = await kiln(root, ['build', '--debug']);
      expect(built.exitCode, built.all).toBe(0);
      const outside = mkdtempSync(path.join(os.tmpdir(), 'kiln-clean-outside-'));
      symlinkSync(root, path.join(outside, 'link'), 'dir');
      writeFile(outside, 'home/.profile', 'export A=1\n');
      const before = listing(root);
      const beforeOutside = listing(outside);

      const r = await kiln(root, c.args(root, outside), { env: c.env?.(outside) ?? {} });
      expect(r.exitCode, r.all).toBe(2);
      expect(r.stderr).toContain('Refusing');
      expect(r.stderr).toContain(c.path(root, outside));
      expect(r.stderr).toContain(c.why);
      expect(r.stderr).toContain('hint:');
      expect(listing(root)).toEqual(before);
      expect(listing(outside)).toEqual(beforeOutside);
      expect(readFileSync(path.join(root, 'csrc/main.c'), 'utf8')).toContain('main');
      expect(existsSync(path.join(root, OUT, 'debug/manifest.json'))).toBe(true);
    });
  }

  it('refuses an out base that is a symlink to the package', async () => {
    const root = makePackage({ 'build.config.ts': EMPTY_CONFIG, 'src/a.c': 'int a;\n' });
    mkdirSync(path.join(root, 'build'));
    symlinkSync(root, path.join(root, 'build', 'kiln'), 'dir');
    const before = listing(root);
    const r = await kiln(root, ['clean', '--all']);
    expect(r.exitCode, r.all).toBe(2);
    expect(r.stderr).toContain(`${path.join(root, 'build', 'kiln')} (--out-dir build/kiln)`);
    expect(r.stderr).toContain(`a symlink to ${realpathSync(root)}: it is the package root`);
    expect(listing(root)).toEqual(before);
    expect(existsSync(path.join(root, 'src/a.c'))).toBe(true);
  });
});

describe('kiln clean removes what Kiln built', () => {
  itWith('gcc')(
    "removes the outDir and the addon's build/Release copy, and prints readable paths",
    async () => {
      const root = tinyAddonPackage();
      const built = await kiln(root, ['build', '--release']);
      expect(built.exitCode, built.all).toBe(0);
      const copy = path.join(root, 'build/Release/tiny.node');
      expect(existsSync(copy)).toBe(true);

      const r = await kiln(root, ['clean', '--release']);
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).toContain(`Removed ${path.join('build', 'Release', 'tiny.node')}\n`);
      expect(r.stdout).toContain(`Removed ${path.join(OUT, 'release')}\n`);
      expect(r.stdout).not.toContain(root);
      expect(existsSync(path.join(root, OUT, 'release'))).toBe(false);
      expect(existsSync(copy)).toBe(false);
      // build/Release held only Kiln's copy; the out base and the sources stay.
      expect(existsSync(path.join(root, 'build/Release'))).toBe(false);
      expect(existsSync(path.join(root, 'build/kiln'))).toBe(true);
      expect(readFileSync(path.join(root, 'csrc/tiny.c'), 'utf8')).toBe(ADDON_SOURCE);
      expect(existsSync(path.join(root, 'package.json'))).toBe(true);

      const again = await kiln(root, ['clean', '--release']);
      expect(again.exitCode, again.all).toBe(0);
      expect(again.stdout).toContain('Nothing to remove');
    },
  );

  itWith('gcc')(
    '--all removes every marked outDir but never an unmarked sibling a user put there',
    async () => {
      const root = tinyAddonPackage();
      expect((await kiln(root, ['build', '--debug'])).exitCode).toBe(0);
      expect((await kiln(root, ['build', '--release'])).exitCode).toBe(0);
      writeFile(root, 'build/kiln/notes/keep.txt', 'my notes\n');
      writeFile(root, `build/kiln/${TRIPLE}/scratch/keep.txt`, 'scratch\n');
      writeFile(root, 'build/Release/other.txt', 'not Kiln\n');

      const r = await kiln(root, ['clean', '--all', '--json']);
      expect(r.exitCode, r.all).toBe(0);
      const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      expect(report.removed).toEqual(
        expect.arrayContaining([
          path.join(root, OUT, 'debug'),
          path.join(root, OUT, 'release'),
          path.join(root, 'build/Debug/tiny.node'),
          path.join(root, 'build/Release/tiny.node'),
        ]),
      );
      expect(existsSync(path.join(root, OUT, 'debug'))).toBe(false);
      expect(existsSync(path.join(root, OUT, 'release'))).toBe(false);
      expect(readFileSync(path.join(root, 'build/kiln/notes/keep.txt'), 'utf8')).toBe('my notes\n');
      expect(existsSync(path.join(root, OUT, 'scratch/keep.txt'))).toBe(true);
      expect(readFileSync(path.join(root, 'build/Release/other.txt'), 'utf8')).toBe('not Kiln\n');
      expect(existsSync(path.join(root, 'build/Debug'))).toBe(false);
      expect(report.kept).toEqual([
        expect.objectContaining({ path: path.join(root, 'build/kiln') }),
      ]);

      // Once the user's folders are gone, the base Kiln created goes too.
      rmSync(path.join(root, 'build/kiln/notes'), { recursive: true });
      rmSync(path.join(root, OUT, 'scratch'), { recursive: true });
      const last = await kiln(root, ['clean', '--all']);
      expect(last.exitCode, last.all).toBe(0);
      expect(existsSync(path.join(root, 'build/kiln'))).toBe(false);
      expect(existsSync(path.join(root, 'build/Release/other.txt'))).toBe(true);
    },
  );

  itWith('gcc')(
    'a prebuild both profiles write stays while the profile that wrote it last is built',
    async () => {
      const root = tinyAddonPackage(', prebuild: true');
      expect((await kiln(root, ['build', '--debug'])).exitCode).toBe(0);
      expect((await kiln(root, ['build', '--release'])).exitCode).toBe(0);
      const prebuilds = path.join(root, 'prebuilds');
      const [platform] = readdirSync(prebuilds);
      const [file] = readdirSync(path.join(prebuilds, platform!));
      const prebuild = path.join('prebuilds', platform!, file!);

      const debug = await kiln(root, ['clean', '--debug']);
      expect(debug.exitCode, debug.all).toBe(0);
      expect(debug.stdout).toContain(`Removed ${path.join('build', 'Debug', 'tiny.node')}`);
      expect(debug.stdout).toContain(
        `Kept ${prebuild}: it is also an output of ${path.join(OUT, 'release')}`,
      );
      expect(debug.stderr).toBe('');
      expect(existsSync(path.join(root, prebuild))).toBe(true);

      const release = await kiln(root, ['clean', '--release']);
      expect(release.exitCode, release.all).toBe(0);
      expect(release.stdout).toContain(`Removed ${prebuild}`);
      expect(existsSync(prebuilds)).toBe(false);
      expect(existsSync(path.join(root, 'build/Release'))).toBe(false);
    },
  );

  itWith('gcc')('leaves a build/Release/x.node the user replaced, and says so', async () => {
    const root = tinyAddonPackage();
    expect((await kiln(root, ['build', '--release'])).exitCode).toBe(0);
    const copy = path.join(root, 'build/Release/tiny.node');
    writeFileSync(copy, 'a build of my own\n');

    const r = await kiln(root, ['clean', '--release', '--quiet']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toContain(
      `Kept ${path.join('build', 'Release', 'tiny.node')}: its content changed since Kiln wrote it`,
    );
    expect(r.stdout).toBe('');
    expect(readFileSync(copy, 'utf8')).toBe('a build of my own\n');
    expect(existsSync(path.join(root, OUT, 'release'))).toBe(false);
  });

  itWith('gcc')("waits for a running build's lock, then removes what it built", async () => {
    const root = tinyAddonPackage();
    // A compiler that holds the compile until the test opens the gate.
    const gate = makeGate();
    const env = {
      ...process.env,
      CC: GATE_CC,
      ...gate.env('tiny.c', { when: 'before' }),
      NO_COLOR: '1',
    };
    const build = execa(process.execPath, [KILN_BIN, 'build', '--debug'], {
      cwd: root,
      env,
      reject: false,
    });
    await gate.reached();

    const clean = execa(process.execPath, [KILN_BIN, 'clean', '--debug'], {
      cwd: root,
      env,
      reject: false,
    });
    let cleanDone = false;
    void clean.then(() => {
      cleanDone = true;
    });
    let cleanErr = '';
    clean.stderr?.on('data', (d) => {
      cleanErr += d;
    });
    await until(() => cleanErr.includes('Waiting for another kiln build'));
    expect(cleanDone).toBe(false);
    expect(existsSync(path.join(root, OUT, 'debug'))).toBe(true);

    gate.open();
    const b = await build;
    expect(b.exitCode, b.all).toBe(0);
    const c = await clean;
    expect(c.exitCode, `${c.stdout}\n${c.stderr}`).toBe(0);
    expect(cleanErr).toContain('Waiting for another kiln build (pid ');
    expect(cleanErr).not.toContain('Blocking');
    // The clean ran after the build finished: the copy the build wrote last is gone too.
    expect(c.stdout).toContain(`Removed ${path.join('build', 'Debug', 'tiny.node')}`);
    expect(existsSync(path.join(root, OUT, 'debug'))).toBe(false);
    expect(existsSync(path.join(root, 'build/Debug/tiny.node'))).toBe(false);
    expect(existsSync(path.join(root, 'csrc/tiny.c'))).toBe(true);
  });
});

/** Polls for a condition the test drives itself (a file the wrapper creates, a line printed). */
async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(25);
  }
}
