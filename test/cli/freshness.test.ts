import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostTriple } from '../../src/target/triple.js';
import { alive, GATE_CC, makeGate, startKiln } from '../support/gate.js';
import { kiln, makePackage } from '../support/package.js';

const HOST = hostTriple();
const CONFIG = `
import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'core', sources: ['src/*.c'] })] });
`;
/** Same length for every mark: an edit keeps the file's size. */
const source = (mark: string) => `const char *core_mark(void) { return "MARK_${mark}"; }\n`;

function libPackage(): string {
  return makePackage({
    'build.config.ts': CONFIG,
    'src/a.c': source('ONE'),
    'src/b.c': 'int core_b(void) { return 2; }\n',
  });
}

const outDir = (root: string) => path.join(root, 'build', 'kiln', HOST, 'release');
const libOf = (root: string) => path.join(outDir(root), 'cc', 'core', 'libcore.a');
/** The mark compiled into the library: what a program linking it would print. */
const markIn = (root: string) => /MARK_([A-Z]{3})/.exec(readFileSync(libOf(root), 'latin1'))?.[1];
const tempFiles = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.includes('.kiln-tmp-'));

describe('kiln build: Fresh means what a clean build would make now', () => {
  it('does not record a source edited while it compiled, and rebuilds it next time', async () => {
    const root = libPackage();
    const gate = makeGate();
    const run = startKiln(root, ['build'], { CC: GATE_CC, ...gate.env('a.c') });
    await gate.reached();
    // The compiler has read and compiled MARK_ONE; the user saves MARK_TWO before it exits.
    writeFileSync(path.join(root, 'src/a.c'), source('TWO'));
    gate.open();
    const first = await run;
    expect(first.exitCode, first.all).toBe(0);
    expect(markIn(root)).toBe('ONE');

    const env = { env: { CC: GATE_CC, ...gate.env('a.c') } };
    const next = await kiln(root, ['build'], env);
    expect(next.exitCode, next.all).toBe(0);
    expect(next.stdout).toMatch(/Dirty: src\/a\.c changed during the last build/);
    expect(next.stdout).toMatch(/CC\s+src\/a\.c/);
    expect(next.stdout).not.toMatch(/CC\s+src\/b\.c/);
    expect(markIn(root)).toBe('TWO');
    expect((await kiln(root, ['build'], env)).stdout).toMatch(/^Fresh /m);
  });

  it('--force recompiles every source and rewrites the library', async () => {
    const root = libPackage();
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const forced = await kiln(root, ['build', '--force']);
    expect(forced.exitCode, forced.all).toBe(0);
    expect(forced.stdout).toMatch(/CC\s+src\/a\.c/);
    expect(forced.stdout).toMatch(/CC\s+src\/b\.c/);
    expect(forced.stdout).toMatch(/AR\s/);
  });

  it('after a SIGKILL mid-compile and a revert, never takes the killed build’s object as current', async () => {
    const root = libPackage();
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    writeFileSync(path.join(root, 'src/a.c'), source('TWO'));
    const gate = makeGate();
    const run = startKiln(root, ['build'], { CC: GATE_CC, ...gate.env('a.c') });
    const compiler = await gate.reached();
    // The object of MARK_TWO is written; kiln dies before it can record anything.
    run.kill('SIGKILL');
    await run;
    gate.open();
    while (alive(compiler)) await new Promise((r) => setTimeout(r, 10));
    writeFileSync(path.join(root, 'src/a.c'), source('ONE'));

    const next = await kiln(root, ['build'], { env: { CC: GATE_CC } });
    expect(next.exitCode, next.all).toBe(0);
    expect(markIn(root)).toBe('ONE');
    expect(tempFiles(outDir(root))).toEqual([]);
  });

  it('sees an edit in the same second as the build on a whole-second filesystem', async () => {
    const root = libPackage();
    const file = path.join(root, 'src/a.c');
    // A filesystem with whole-second times (ext3, HFS+): the file's and its folder's. The second
    // is not over yet when the build stamps the file.
    const second = Math.ceil(Date.now() / 1000) + 5;
    const coarse = () => {
      utimesSync(file, second, second);
      utimesSync(path.dirname(file), second, second);
    };
    coarse();
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    writeFileSync(file, source('TWO'));
    coarse();
    const next = await kiln(root, ['build']);
    expect(next.stdout).toMatch(/Dirty: /);
    expect(markIn(root)).toBe('TWO');
  });
});

describe('kiln build: every input is tracked', () => {
  it('rebuilds when package.json changes (name and version are in the manifest)', async () => {
    const root = libPackage();
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ ...pkg, version: '9.9.9' }));
    const next = await kiln(root, ['build']);
    expect(next.stdout).toMatch(/Dirty: package\.json changed/);
    const manifest = JSON.parse(readFileSync(path.join(outDir(root), 'manifest.json'), 'utf8'));
    expect(manifest.package.version).toBe('9.9.9');
  });

  it('rebuilds a moved package, so no absolute path in its outputs is stale', async () => {
    const first = libPackage();
    expect((await kiln(first, ['build'])).exitCode).toBe(0);
    const moved = `${first}-moved`;
    renameSync(first, moved);
    const next = await kiln(moved, ['build']);
    expect(next.exitCode, next.all).toBe(0);
    expect(next.stdout).toContain(`Dirty: the package moved (from ${first})`);
    const manifest = readFileSync(path.join(outDir(moved), 'manifest.json'), 'utf8');
    expect(manifest).not.toContain(`${first}/`);
  });

  it.each(['CPATH', 'C_INCLUDE_PATH', 'LIBRARY_PATH'])('rebuilds when %s changes', async (name) => {
    const root = libPackage();
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const next = await kiln(root, ['build'], { env: { [name]: '/nonexistent/include' } });
    expect(next.stdout).toContain(`Dirty: env ${name} changed`);
  });

  it('rebuilds when the compiler found on PATH becomes another program', async () => {
    const root = libPackage();
    const bin = path.join(root, 'bin');
    mkdirSync(bin);
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    expect((await kiln(root, ['build'], { env })).exitCode).toBe(0);
    expect((await kiln(root, ['build'], { env })).stdout).toMatch(/^Fresh /m);
    // A `cc` earlier on PATH (a toolchain installed, a venv activated) shadows the old one.
    writeFileSync(path.join(bin, 'cc'), `#!/bin/sh\nexec gcc "$@"\n`, { mode: 0o755 });
    const next = await kiln(root, ['build'], { env });
    expect(next.exitCode, next.all).toBe(0);
    expect(next.stdout).toContain(`Dirty: cc now resolves to ${path.join(bin, 'cc')} on PATH`);
  });
});

describe('kiln build: the pkg-config search path is an input', () => {
  const pc = (name: string, cflags: string) =>
    `Name: ${name}\nDescription: test\nVersion: 1.0\nCflags: ${cflags}\n`;
  const CONFIG_PC = `
import { defineConfig, pkgConfig } from 'kilnjs';
export default defineConfig({
  plugins: [pkgConfig('kilnfoo'), pkgConfig('kilnbar', { optional: true })],
});
`;

  function pcPackage() {
    const root = makePackage({ 'build.config.ts': CONFIG_PC, 'early/.keep': '', 'late/.keep': '' });
    writeFileSync(path.join(root, 'late', 'kilnfoo.pc'), pc('kilnfoo', '-DFOO_LATE'));
    const env = {
      PKG_CONFIG_PATH: `${path.join(root, 'early')}${path.delimiter}${path.join(root, 'late')}`,
    };
    return { root, env };
  }

  it('rebuilds when a .pc earlier on the path shadows the one found', async () => {
    const { root, env } = pcPackage();
    expect((await kiln(root, ['build'], { env })).exitCode).toBe(0);
    expect((await kiln(root, ['build'], { env })).stdout).toMatch(/^Fresh /m);
    writeFileSync(path.join(root, 'early', 'kilnfoo.pc'), pc('kilnfoo', '-DFOO_EARLY'));
    const next = await kiln(root, ['build'], { env });
    expect(next.stdout).toMatch(/Dirty: early has new or removed files/);
    const manifest = readFileSync(path.join(outDir(root), 'manifest.json'), 'utf8');
    expect(manifest).toContain('FOO_EARLY');
    expect(manifest).not.toContain('FOO_LATE');
  });

  it('rebuilds when an optional library missing at the last build is installed', async () => {
    const { root, env } = pcPackage();
    expect((await kiln(root, ['build'], { env })).exitCode).toBe(0);
    writeFileSync(path.join(root, 'late', 'kilnbar.pc'), pc('kilnbar', '-DBAR_FOUND'));
    const next = await kiln(root, ['build'], { env });
    expect(next.stdout).toMatch(/Dirty: late has new or removed files/);
    expect(readFileSync(path.join(outDir(root), 'manifest.json'), 'utf8')).toContain('BAR_FOUND');
  });
});

describe('kiln build: outputs are verified', () => {
  it.each([
    ['truncated', (f: string) => truncateSync(f, 10)],
    ['garbage', (f: string) => writeFileSync(f, 'not json at all')],
    ['wrong schema', (f: string) => writeFileSync(f, '{"schemaVersion":99}')],
  ])('rebuilds a %s manifest.json', async (_what, damage) => {
    const root = libPackage();
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const manifest = path.join(outDir(root), 'manifest.json');
    const good = readFileSync(manifest, 'utf8');
    damage(manifest);
    const next = await kiln(root, ['build']);
    expect(next.exitCode, next.all).toBe(0);
    expect(next.stdout).toMatch(/Dirty: build\/kiln\/.*manifest\.json was modified/);
    expect(readFileSync(manifest, 'utf8')).toBe(good);
  });

  it('rebuilds a truncated library, even when its mtime was put back', async () => {
    const root = libPackage();
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const lib = libOf(root);
    const before = statSync(lib);
    truncateSync(lib, 100);
    utimesSync(lib, before.atime, before.mtime);
    const next = await kiln(root, ['build']);
    expect(next.exitCode, next.all).toBe(0);
    expect(next.stdout).toMatch(/libcore\.a was modified/);
    expect(next.stdout).toMatch(/AR\s/);
    expect(statSync(lib).size).toBe(before.size);
    expect(markIn(root)).toBe('ONE');
  });
});

describe('kiln build: configs that can never be right', () => {
  it('fails a build(ctx) that never settles, naming it, instead of exiting 0 without a manifest', async () => {
    const root = makePackage({
      'build.config.ts': `
import { defineConfig } from 'kilnjs';
export default defineConfig({ build: () => new Promise(() => {}) });
`,
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('never finished');
    expect(existsSync(path.join(outDir(root), 'manifest.json'))).toBe(false);
  });

  it('names the plugin whose promise never settles', async () => {
    const root = makePackage({
      'build.config.ts': `
import { defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [{ name: 'stuck-step', run: () => new Promise(() => {}) }] });
`,
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('the build step "stuck-step" never finished');
  });

  it('rejects two steps with the same name at config time', async () => {
    const root = makePackage({
      'build.config.ts': `
import { cc, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [cc({ name: 'core', sources: ['src/a.c'] }), cc({ name: 'core', sources: ['src/b.c'] })],
});
`,
      'src/a.c': 'int a(void) { return 1; }\n',
      'src/b.c': 'int b(void) { return 2; }\n',
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('two build steps are named "cc:core"');
  });

  it('refuses to build a second package into an out dir that holds another package’s build', async () => {
    const shared = makePackage({});
    const one = makePackage(
      { 'build.config.ts': CONFIG, 'src/a.c': source('ONE') },
      { name: 'one' },
    );
    const two = makePackage(
      { 'build.config.ts': CONFIG, 'src/a.c': source('TWO') },
      { name: 'two' },
    );
    expect((await kiln(one, ['build', '--out-dir', shared])).exitCode).toBe(0);
    const r = await kiln(two, ['build', '--out-dir', shared]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`holds the build of one (${one})`);
    expect(r.stdout).not.toMatch(/^Fresh/m);
  });

  it('reports a throw in build(ctx) as the config’s error at its line', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    throw new Error('vendor folder missing');
  },
});
`,
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('build.config.ts:4:');
    expect(r.stderr).toContain('vendor folder missing');
    expect(r.stderr).not.toContain('internal error');
  });
});

describe('kiln build: damaged state is never an internal error', () => {
  it.each([
    ['a directory', (f: string) => mkdirSync(f, { recursive: true })],
    [
      'missing fields',
      (f: string) => writeFileSync(f, '{"kind":"kiln-fingerprint","version":2,"data":{}}'),
    ],
    ['empty', (f: string) => writeFileSync(f, '')],
  ])('rebuilds when the fingerprint is %s', async (_what, damage) => {
    const root = libPackage();
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const fp = path.join(outDir(root), '.kiln', 'fingerprint.json');
    rmSync(fp, { recursive: true, force: true });
    damage(fp);
    const r = await kiln(root, ['build']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain('Dirty: no previous build');
    expect((await kiln(root, ['build'])).stdout).toMatch(/^Fresh /m);
  });

  it.each(['abc', '0', '-1', '1.5'])('rejects -j %s as a usage error', async (value) => {
    const root = libPackage();
    const r = await kiln(root, ['build', '-j', value]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--jobs (-j) must be a whole number of at least 1');
  });
});
