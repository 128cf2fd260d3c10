/**
 * One bad `.pc` file must not break lookups of other packages: a file that cannot be read or
 * parsed is skipped when the resolver meets it while scanning (Provides, listings), reported
 * with `--debug` / as a debug log, and fails only a lookup that asks for it by name.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { KilnError } from '../../../src/errors.js';
import { pkgConfig } from '../../../src/plugins/pkg-config/index.js';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { fakeContext } from './fake-context.js';
import { oracle, ours, PKGCONF } from './oracle.js';

const it = itWith(PKGCONF);

/** A file whose variables double 17 times: past 64 KiB, which Kiln refuses. */
function laughs(): string {
  const lines = ['a=lollollollollol'];
  for (let i = 1; i < 18; i++) {
    const prev = String.fromCharCode(96 + i);
    lines.push(`${String.fromCharCode(97 + i)}=\${${prev}}\${${prev}}`);
  }
  return `${lines.join('\n')}\nName: laughs\nDescription: d\nVersion: 1\nCflags: -D\${r}\n`;
}

/**
 * A search path of two dirs: the first holds only broken files (a huge value, a dangling
 * symlink), so every Provides scan meets them before the working graph in the second.
 */
function fixturePath(): { libdir: string; bad: string } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc broken-'));
  const bad = path.join(base, 'bad');
  const good = path.join(base, 'good');
  mkdirSync(bad);
  mkdirSync(good);
  writeFileSync(path.join(bad, 'laughs.pc'), laughs());
  symlinkSync(path.join(bad, 'gone.pc.target'), path.join(bad, 'dangling.pc'));
  writeFileSync(
    path.join(good, 'provider.pc'),
    'Name: provider\nDescription: d\nVersion: 2.0\nProvides: virt = 2.0\nCflags: -I/provider/include\nLibs: -lprovider\n',
  );
  writeFileSync(
    path.join(good, 'app.pc'),
    'Name: app\nDescription: d\nVersion: 1.0\nRequires: virt >= 1.5\nCflags: -I/app/include\nLibs: -lapp\n',
  );
  return { libdir: `${bad}:${good}`, bad };
}

async function failure(p: unknown): Promise<KilnError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KilnError) return e;
    throw e;
  }
  throw new Error('expected a KilnError');
}

describe('kiln pkg-config with a broken unrelated .pc file', () => {
  it('answers like pkgconf when a Provides scan passes over the broken files', async () => {
    const env = { PKG_CONFIG_LIBDIR: fixturePath().libdir };
    for (const args of [
      ['--cflags', 'app'],
      ['--libs', 'app'],
      ['--exists', 'virt'],
      ['--modversion', 'virt >= 2'],
      ['--exists', 'nothere'],
    ]) {
      const u = await ours(args, env);
      const o = oracle(args, env);
      expect({ args, stdout: u.stdout, code: u.code }).toEqual({
        args,
        stdout: o.stdout,
        code: o.code,
      });
      // Silent without --debug, as pkgconf is.
      expect(u.stderr).not.toContain('laughs.pc');
    }
  });

  it('names each skipped file once with --debug', async () => {
    const { libdir, bad } = fixturePath();
    const r = await ours(['--debug', '--cflags', 'app', 'virt'], { PKG_CONFIG_LIBDIR: libdir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('-I/app/include -I/provider/include \n');
    const skipped = r.stderr.split('\n').filter((l) => l.startsWith('skipping unusable file'));
    expect(skipped).toHaveLength(2);
    expect(skipped.join('\n')).toContain(`${bad}/laughs.pc: a variable expands to more than`);
    expect(skipped.join('\n')).toContain(`cannot read ${bad}/dangling.pc`);
  });

  it('passes over a file it cannot open, like pkgconf, even under the name asked for', async () => {
    const { libdir, bad } = fixturePath();
    const good = libdir.slice(bad.length + 1);
    writeFileSync(path.join(good, 'dangling.pc'), 'Name: d\nDescription: d\nVersion: 3\n');
    const env = { PKG_CONFIG_LIBDIR: libdir };
    for (const args of [
      ['--modversion', 'dangling'],
      ['--exists', 'dangling'],
    ]) {
      const u = await ours(args, env);
      expect({ stdout: u.stdout, code: u.code }).toEqual(oracle(args, env));
    }
    expect((await ours(['--modversion', 'dangling'], env)).stdout).toBe('3\n');
  });

  it('still fails, with the reason, when the broken file is the package asked for', async () => {
    const { libdir, bad } = fixturePath();
    const r = await ours(['--cflags', 'laughs'], { PKG_CONFIG_LIBDIR: libdir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}/laughs.pc: a variable expands to more than 65535 bytes`);
  });
});

describe('pkgConfig plugin with a broken unrelated .pc file', () => {
  it('resolves through Provides and logs the skipped files at debug level', async () => {
    const ctx = fakeContext({ PKG_CONFIG_LIBDIR: fixturePath().libdir });
    const lib = await pkgConfig('app').run(ctx);
    expect(lib.includes).toEqual(['/app/include', '/provider/include']);
    expect(lib.libs.map((l) => l.name)).toEqual(['app', 'provider']);
    const debug = ctx.logs.filter((l) => l.startsWith('debug: app: skipping unusable file'));
    expect(debug).toHaveLength(2);
    expect(debug.join('\n')).toContain('laughs.pc');
  });

  it('returns undefined for an optional miss instead of failing on the broken file', async () => {
    const ctx = fakeContext({ PKG_CONFIG_LIBDIR: fixturePath().libdir });
    expect(await pkgConfig('bar', { optional: true }).run(ctx)).toBeUndefined();
    expect(ctx.logs.some((l) => l.startsWith('info: bar: not used'))).toBe(true);
    const e = await failure(
      pkgConfig('bar').run(fakeContext({ PKG_CONFIG_LIBDIR: fixturePath().libdir })),
    );
    expect(e.code).toBe('PKG_NOT_FOUND');
    // The miss names what was skipped, in case the library was meant to be one of them.
    expect(e.details).toContain('Skipped as unreadable or malformed:');
    expect(e.details).toMatch(/laughs\.pc: a variable expands to more than/);
  });

  it('fails with PKG_INVALID when the broken file is the library asked for', async () => {
    const ctx = fakeContext({ PKG_CONFIG_LIBDIR: fixturePath().libdir });
    const e = await failure(pkgConfig('laughs', { optional: true }).run(ctx));
    expect(e.code).toBe('PKG_INVALID');
    expect(e.message).toContain('laughs.pc');
  });

  it('shows the skipped files with kiln build --verbose only', async () => {
    const plugin = path.join(REPO_ROOT, 'src/plugins/pkg-config/index.ts');
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
import { pkgConfig } from ${JSON.stringify(plugin)};

export default defineConfig({ plugins: [pkgConfig('app')] });
`,
    });
    const env = { ...process.env, PKG_CONFIG_LIBDIR: fixturePath().libdir };
    const verbose = await kiln(root, ['build', '--verbose'], { env });
    expect(verbose.exitCode).toBe(0);
    expect(verbose.all).toMatch(/skipping unusable file: .*laughs\.pc: a variable expands/);
    const quiet = await kiln(root, ['build', '--force'], { env });
    expect(quiet.exitCode).toBe(0);
    expect(quiet.all).not.toContain('skipping unusable file');
  });
});
