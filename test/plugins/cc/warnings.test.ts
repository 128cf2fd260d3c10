import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { WarningCollector } from '../../../src/compile/diagnostics.js';
import { kiln, makePackage } from '../../support/package.js';
import { hasTool, itWith } from '../../support/tools.js';

const COMPILERS = [
  { family: 'gcc', cc: 'gcc' },
  { family: 'clang', cc: 'clang' },
] as const;

const CONFIG = `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [cc({ name: 'warn', sources: ['src/*.c'], includes: ['include'] })],
});
`;

/** a.c has an unused variable of its own; both sources include a header with another one. */
function warningPackage(): string {
  return makePackage({
    'build.config.ts': CONFIG,
    'include/shared.h':
      'static inline int shared_helper(int v) { int header_unused; return v + 1; }\n',
    'src/a.c': '#include "shared.h"\nint fa(void) { int own_unused; return shared_helper(1); }\n',
    'src/b.c': '#include "shared.h"\nint fb(void) { return shared_helper(2); }\n',
  });
}

function manifestOf(root: string): { warnings: string[] } {
  const [file] = globSync('build/kiln/*/*/manifest.json', { cwd: root, absolute: true });
  return JSON.parse(readFileSync(file!, 'utf8'));
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe.each(COMPILERS)('compiler warnings with $family', (c) => {
  const test = itWith(c.cc, 'ar');
  const env = { CC: c.cc, CFLAGS: '', CPPFLAGS: '' };

  test('are shown by default with a per-step count and a total, and kept in the manifest', async () => {
    const root = warningPackage();
    const r = await kiln(root, ['build'], { env });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toMatch(/src\/a\.c:2:\d+: warning: unused variable '?own_unused'?/);
    // The header's warning, printed by both compiles, is shown once with the count.
    expect(count(r.stderr, "warning: unused variable 'header_unused'")).toBe(1);
    expect(r.stderr).toContain('(the same warning in 2 sources: src/a.c, src/b.c)');
    expect(r.stderr).toContain('warning: cc:warn: 2 warnings');
    expect(r.stderr).toContain('warning: 2 warnings in this build');
    // Paths below the package are shown relative to it.
    expect(r.stderr).not.toContain(root);

    const { warnings } = manifestOf(root);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("unused variable 'header_unused'");
    expect(warnings[0]).toContain('(the same warning in 2 sources: src/a.c, src/b.c)');
    expect(warnings[1]).toContain("unused variable 'own_unused'");

    // A fresh build compiles nothing, and says the last one left warnings.
    const fresh = await kiln(root, ['build'], { env });
    expect(fresh.stdout).toMatch(/^Fresh/m);
    expect(fresh.stderr).toMatch(
      /^warning: 2 warnings from the last build of fixture-pkg \(fresh, nothing recompiled\): see "warnings" in build\/kiln\/.*\/manifest\.json$/m,
    );
  });

  test('are shown with --quiet, where nothing else is', async () => {
    const root = warningPackage();
    const r = await kiln(root, ['build', '--quiet'], { env });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unused variable 'own_unused'");
    expect(count(r.stderr, "unused variable 'header_unused'")).toBe(1);
  });

  test('are warning events in --json, without colour codes', async () => {
    const root = warningPackage();
    const r = await kiln(root, ['build', '--json'], { env });
    expect(r.exitCode, r.all).toBe(0);
    const events = r.stdout.split('\n').map((l) => JSON.parse(l));
    const warnings = events.filter((e) => e.type === 'warning');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ package: 'fixture-pkg', step: 'cc:warn', count: 2 });
    expect(warnings[0].message).toContain("unused variable 'header_unused'");
    expect(warnings[1]).toMatchObject({ step: 'cc:warn', count: 1 });
    expect(warnings[1].message).toMatch(/^src\/a\.c:/m);
    expect(r.stdout).not.toContain('\x1b[');
  });

  test('of sources not recompiled are shown again and stay in the manifest', async () => {
    const root = warningPackage();
    expect((await kiln(root, ['build'], { env })).exitCode).toBe(0);
    writeFileSync(
      path.join(root, 'src/b.c'),
      '#include "shared.h"\nint fb(void) { return shared_helper(3); }\n',
    );
    const r = await kiln(root, ['build'], { env });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain('CC   src/b.c');
    expect(r.stdout).not.toContain('src/a.c');
    expect(r.stderr).toContain("unused variable 'own_unused'");
    expect(r.stderr).toContain('(the same warning in 2 sources: src/a.c, src/b.c)');
    expect(manifestOf(root).warnings).toHaveLength(2);

    // Fixed: the warning goes away from the output and the manifest.
    writeFileSync(
      path.join(root, 'src/a.c'),
      '#include "shared.h"\nint fa(void) { return shared_helper(1); }\n',
    );
    const fixed = await kiln(root, ['build'], { env });
    expect(fixed.stderr).not.toContain('own_unused');
    expect(manifestOf(root).warnings).toHaveLength(1);
  });

  test('of sources that compiled are shown when a later one fails', async () => {
    const root = warningPackage();
    writeFileSync(path.join(root, 'src/z.c'), 'int fz(void) { return undefined_thing; }\n');
    // One job: a.c and b.c compile before z.c fails, whatever the machine.
    const r = await kiln(root, ['build', '-j', '1'], { env });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("unused variable 'own_unused'");
    expect(r.stderr).toContain('warning: cc:warn: 2 warnings');
    expect(r.stderr).toMatch(/error: failed to compile src\/z\.c/);
    // The warnings come before the error, which stays the last thing printed.
    expect(r.stderr.indexOf('own_unused')).toBeLessThan(r.stderr.indexOf('error: failed'));
  });

  // `script` runs the CLI on a pseudo-terminal, as a user's shell does.
  const ttyTest = hasTool('script') ? test : it.skip;
  ttyTest(
    'keep the compiler colours on a terminal, outside the command hash and compile_commands.json',
    async () => {
      const root = warningPackage();
      const command = [process.execPath, path.join(root, 'node_modules/kilnjs/bin/kiln.js')];
      const tty = await execa(
        'script',
        ['-qec', `${command.map((a) => `'${a}'`).join(' ')} build --quiet`, '/dev/null'],
        { cwd: root, env: { ...env, NO_COLOR: undefined, TERM: 'xterm' }, reject: false },
      );
      expect(tty.exitCode, tty.stdout).toBe(0);
      expect(tty.stdout).toMatch(/\x1b\[[0-9;]*m[^\n]*warning/);
      const db = readFileSync(path.join(root, 'build', 'compile_commands.json'), 'utf8');
      expect(db).not.toContain('diagnostics-color');
      // Without a terminal the objects are up to date: colour did not change their command.
      const plain = await kiln(root, ['build'], { env });
      expect(plain.stdout).toMatch(/^Fresh/m);
      expect(manifestOf(root).warnings.join('\n')).not.toContain('\x1b[');
    },
  );
});

describe('WarningCollector', () => {
  it('keeps one copy of a header warning whatever include chain led to it, and drops tallies', () => {
    const w = new WarningCollector();
    const header = (from: string) =>
      [
        `In file included from /pkg/src/${from}:1:`,
        "/pkg/include/h.h:1:5: warning: unused variable 'x' [-Wunused-variable]",
        '    1 | int x;',
        '1 warning generated.',
      ].join('\n');
    w.add('src/a.c', header('a.c'), '/pkg');
    w.add(
      'src/b.c',
      `${header('b.c')}\n/pkg/src/b.c:3:1: warning: other\n2 warnings generated.`,
      '/pkg',
    );
    const out = w.warnings();
    expect(out.map((x) => x.sources)).toEqual([['src/a.c', 'src/b.c'], ['src/b.c']]);
    expect(out[0]!.message).toBe(
      [
        'In file included from src/a.c:1:',
        "include/h.h:1:5: warning: unused variable 'x' [-Wunused-variable]",
        '    1 | int x;',
        '(the same warning in 2 sources: src/a.c, src/b.c)',
      ].join('\n'),
    );
    expect(out[1]!.message).toBe('src/b.c:3:1: warning: other');
  });

  it('compares diagnostics without their colour codes', () => {
    const w = new WarningCollector();
    w.add(
      'a.c',
      '\x1b[01m\x1b[Kh.h:1:5:\x1b[m\x1b[K \x1b[01;35m\x1b[Kwarning: \x1b[m\x1b[Kx',
      '/p',
    );
    w.add('b.c', 'h.h:1:5: warning: x', '/p');
    const [only] = w.warnings();
    expect(only!.sources).toEqual(['a.c', 'b.c']);
    expect(only!.message).toContain('h.h:1:5: warning: x');
    expect(only!.color).toContain('\x1b[01;35m');
  });
});
