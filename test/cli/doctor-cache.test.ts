import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { kiln, makePackage, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';

const CACHE_FILE = 'tool-answers.json';

/** A folder whose name has a space and a non-ASCII letter, as users' home folders can. */
function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `kiln doctor é ${prefix}-`));
}

/**
 * A recording stand-in for `cmake`, compiled with gcc (a script would never be remembered):
 * each run appends a line to its log, then prints its version. Rebuilding it replaces the file.
 */
function standIn(dir: string) {
  const log = path.join(dir, 'cmake runs.log');
  const src = path.join(dir, 'cmake.c');
  const program = path.join(dir, 'bin', 'cmake');
  mkdirSync(path.dirname(program), { recursive: true });
  writeFileSync(
    src,
    '#include <stdio.h>\nint main(void) {\n  FILE *f = fopen(LOG_PATH, "a");\n  if (f) { fputs("run\\n", f); fclose(f); }\n  puts("stand-in cmake version " VERSION);\n  return 0;\n}\n',
  );
  const build = (version: string) =>
    execFileSync('gcc', [
      `-DLOG_PATH=${JSON.stringify(log)}`,
      `-DVERSION=${JSON.stringify(version)}`,
      '-o',
      program,
      src,
    ]);
  return {
    bin: path.dirname(program),
    build,
    /** How many times the program has run. */
    runs: () => {
      try {
        return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    },
  };
}

/** Doctor with only `bin` on PATH (no cc: it exits 1) and its answers kept in `cache`. */
function doctor(root: string, bin: string, cache: string, args: string[] = []) {
  return kiln(root, ['doctor', ...args], {
    env: { PATH: bin, KILN_CACHE_DIR: cache, CC: undefined, CXX: undefined, AR: undefined },
  });
}

describe('kiln doctor remembers what tools answered', () => {
  itWith('gcc')(
    'a second run shows the same and runs the program no more; a replaced program is asked again',
    async () => {
      const root = makePackage({});
      const dir = tempDir('standin');
      const cmake = standIn(dir);
      cmake.build('1.0');
      const cache = path.join(tempDir('cache'), 'kiln');

      const first = await doctor(root, cmake.bin, cache);
      expect(first.stdout).toContain(`cmake: stand-in cmake version 1.0`);
      expect(cmake.runs()).toBe(1);
      const second = await doctor(root, cmake.bin, cache);
      expect(second.stdout).toBe(first.stdout);
      expect(second.exitCode).toBe(first.exitCode);
      expect(cmake.runs()).toBe(1);

      cmake.build('2.0');
      const third = await doctor(root, cmake.bin, cache);
      expect(cmake.runs()).toBe(2);
      expect(third.stdout).toContain(`cmake: stand-in cmake version 2.0`);
      expect(third.stdout).not.toContain('version 1.0');
      const fourth = await doctor(root, cmake.bin, cache, ['--json']);
      expect(cmake.runs()).toBe(2);
      const checks: { name: string; detail: string }[] = JSON.parse(fourth.stdout).checks;
      expect(checks.find((c) => c.name === 'cmake')?.detail).toBe(
        'cmake: stand-in cmake version 2.0',
      );
    },
  );

  itWith('gcc')(
    'without KILN_CACHE_DIR the answers go to $XDG_CACHE_HOME/kiln, else ~/.cache/kiln',
    async () => {
      const root = makePackage({});
      const cmake = standIn(tempDir('standin'));
      cmake.build('6.0');
      const home = tempDir('home');
      const xdg = tempDir('xdg');
      const env = { PATH: cmake.bin, KILN_CACHE_DIR: undefined, HOME: home };
      await kiln(root, ['doctor'], { env: { ...env, XDG_CACHE_HOME: xdg } });
      expect(existsSync(path.join(xdg, 'kiln', CACHE_FILE))).toBe(true);
      if (process.platform === 'linux') {
        await kiln(root, ['doctor'], { env: { ...env, XDG_CACHE_HOME: undefined } });
        expect(existsSync(path.join(home, '.cache', 'kiln', CACHE_FILE))).toBe(true);
      }
      // Each folder started empty: asked once for each.
      expect(cmake.runs()).toBe(process.platform === 'linux' ? 2 : 1);
    },
  );

  it('a #! script is asked every time', async () => {
    const root = makePackage({});
    const bin = tempDir('script');
    const log = path.join(bin, 'ninja runs.log');
    const ninja = path.join(bin, 'ninja');
    writeFileSync(
      ninja,
      `#!${process.execPath}\nrequire('node:fs').appendFileSync(${JSON.stringify(log)}, 'run\\n');\nconsole.log('1.99.0-script');\n`,
    );
    chmodSync(ninja, 0o755);
    const cache = tempDir('cache');
    const first = await doctor(root, bin, cache);
    const second = await doctor(root, bin, cache);
    expect(first.stdout).toMatch(/^ok\s+ninja\s+ninja: 1\.99\.0-script$/m);
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(log, 'utf8')).toBe('run\nrun\n');
  });

  itWith('gcc')(
    'a compiled program reached through a shims folder is asked every time',
    async () => {
      const root = makePackage({});
      const dir = tempDir('shims');
      const cmake = standIn(dir);
      cmake.build('3.0');
      // What pyenv, asdf or mise put on PATH: the tool they launch is chosen at each run.
      const shims = path.join(dir, 'shims');
      mkdirSync(shims);
      symlinkSync(path.join(cmake.bin, 'cmake'), path.join(shims, 'cmake'));
      const cache = tempDir('cache');
      await doctor(root, shims, cache);
      const second = await doctor(root, shims, cache);
      expect(second.stdout).toContain('cmake: stand-in cmake version 3.0');
      expect(cmake.runs()).toBe(2);
    },
  );

  itWith('gcc')(
    'a corrupt cache is rebuilt and an unusable one ignored: the same answers and exit status',
    async () => {
      const root = makePackage({});
      const cmake = standIn(tempDir('standin'));
      cmake.build('4.0');
      const expected = await doctor(root, cmake.bin, tempDir('cache'));
      expect(expected.exitCode).toBe(1); // no cc on this PATH
      expect(expected.stdout).toContain('cmake: stand-in cmake version 4.0');
      expect(cmake.runs()).toBe(1);

      const corrupt = tempDir('corrupt');
      writeFileSync(path.join(corrupt, CACHE_FILE), '{"kind":"kiln-tool-answers","version":1,"da');
      const a = await doctor(root, cmake.bin, corrupt);
      expect([a.exitCode, a.stdout, a.stderr]).toEqual([1, expected.stdout, '']);
      expect(cmake.runs()).toBe(2);
      expect(JSON.parse(readFileSync(path.join(corrupt, CACHE_FILE), 'utf8'))).toMatchObject({
        kind: 'kiln-tool-answers',
      });
      const b = await doctor(root, cmake.bin, corrupt);
      expect([b.exitCode, b.stdout]).toEqual([1, expected.stdout]);
      expect(cmake.runs()).toBe(2);

      // Unreadable (a folder where the file should be), and a cache "folder" that is a file.
      const unreadable = tempDir('unreadable');
      mkdirSync(path.join(unreadable, CACHE_FILE));
      const notAFolder = path.join(tempDir('file'), 'kiln');
      writeFileSync(notAFolder, 'not a folder');
      for (const cache of [unreadable, unreadable, notAFolder]) {
        const r = await doctor(root, cmake.bin, cache);
        expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, expected.stdout, '']);
      }
      // Nothing could be kept: the program was asked each time.
      expect(cmake.runs()).toBe(5);
    },
  );
});

describe('kiln doctor loads only what it uses', () => {
  const RECORDER = path.join(REPO_ROOT, 'test', 'support', 'record-imports.mjs');
  const KILN_BIN = path.join(REPO_ROOT, 'bin', 'kiln.js');

  async function modulesOf(root: string, env: Record<string, string | undefined>, args: string[]) {
    const record = path.join(root, 'resolved.txt');
    rmSync(record, { force: true });
    const r = await execa(process.execPath, ['--import', RECORDER, KILN_BIN, 'doctor', ...args], {
      cwd: root,
      // As doctor() runs it: no CC, CXX or AR from the environment.
      env: {
        NO_COLOR: '1',
        KILN_RECORD_IMPORTS: record,
        CC: undefined,
        CXX: undefined,
        AR: undefined,
        ...env,
      },
      reject: false,
    });
    return { urls: readFileSync(record, 'utf8').split('\n').filter(Boolean), stdout: r.stdout };
  }

  itWith('gcc')(
    'with every answer remembered: no spawning code, no node:crypto, no Windows checks',
    async () => {
      const root = makePackage({});
      const cmake = standIn(tempDir('standin'));
      cmake.build('5.0');
      const env = { PATH: cmake.bin, KILN_CACHE_DIR: tempDir('cache') };
      await doctor(root, cmake.bin, env.KILN_CACHE_DIR);
      const { urls, stdout } = await modulesOf(root, env, []);
      // doctor's own bundle, compiled through the code cache (not a module of its own).
      expect(urls.filter((u) => u.includes('/dist/')).map((u) => path.basename(u))).toEqual([
        'entry.cjs',
      ]);
      expect(readdirSync(path.join(env.KILN_CACHE_DIR, 'code'))).toContainEqual(
        expect.stringMatching(/^quick-doctor-/),
      );
      // Every built-in the process loaded is recorded, however it was loaded.
      expect(urls).toContain('node:fs');
      expect(urls.filter((u) => /child_process|crypto/.test(u))).toEqual([]);
      expect(stdout).not.toContain('Windows SDK');
      expect(cmake.runs()).toBe(1);
      // The Windows checks are there for a Windows target.
      const win = await modulesOf(root, env, ['--target', 'x86_64-pc-windows-msvc']);
      expect(win.stdout).toContain('Windows SDK');
    },
  );
});
