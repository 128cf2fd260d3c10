import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST, hostOut } from '../support/host.js';
import { kiln, makePackage } from '../support/package.js';

/** A config whose plugin records each run, reads a tracked env var and a tracked file, and leaves an artifact. */
const PROBE_CONFIG = `
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, definePlugin } from 'kilnjs';
import { label } from './helper.ts';

const probe = definePlugin({
  name: 'probe',
  async run(ctx) {
    appendFileSync(path.join(ctx.packageRoot, 'runs.log'), 'run\\n');
    const mode = ctx.env.PROBE_MODE ?? 'default';
    ctx.trackFiles(['input.txt']);
    const input = readFileSync(path.join(ctx.packageRoot, 'input.txt'), 'utf8').trim();
    const out = path.join(ctx.outDir, 'probe', 'artifact.txt');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, input);
    ctx.addArtifact({ kind: 'file', path: out });
    ctx.emit({ type: 'metadata', key: 'input', value: input });
    ctx.emit({ type: 'metadata', key: 'mode', value: mode });
    ctx.emit({ type: 'metadata', key: 'label', value: label });
    ctx.emit({ type: 'cfg', name: 'have_probe' });
    return { input };
  },
});

export default defineConfig({ plugins: [probe] });
`;

function probePackage(): string {
  return makePackage({
    'build.config.ts': PROBE_CONFIG,
    'helper.ts': "export const label = 'one';\n",
    'input.txt': 'first\n',
  });
}

const runs = (root: string) =>
  existsSync(path.join(root, 'runs.log'))
    ? readFileSync(path.join(root, 'runs.log'), 'utf8').split('\n').filter(Boolean).length
    : 0;

const manifestOf = (root: string, profile = 'release') =>
  JSON.parse(readFileSync(path.join(root, hostOut(profile), 'manifest.json'), 'utf8'));

describe('kiln build: freshness', () => {
  it('writes the manifest, then reports Fresh without running any plugin', async () => {
    const root = probePackage();
    const first = await kiln(root, ['build']);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toContain('Dirty: no previous build');
    const manifest = manifestOf(root);
    expect(manifest.schemaVersion).toBe(1);
    expect(manifest.metadata).toEqual({ input: 'first', mode: 'default', label: 'one' });
    expect(manifest.cfg).toEqual([{ name: 'have_probe' }]);
    expect(manifest.inputs.files).toEqual(
      expect.arrayContaining(['build.config.ts', 'helper.ts', 'input.txt']),
    );
    expect(manifest.inputs.env).toEqual(['PROBE_MODE']);
    expect(runs(root)).toBe(1);

    const second = await kiln(root, ['build']);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/^Fresh fixture-pkg/m);
    expect(runs(root)).toBe(1);
  });

  it.each([
    [
      'a tracked env var',
      (root: string) => ({ env: { PROBE_MODE: 'other' }, root }),
      /Dirty: env PROBE_MODE changed/,
    ],
    [
      'a tracked input file',
      (root: string) => {
        writeFileSync(path.join(root, 'input.txt'), 'second\n');
        return { root };
      },
      /Dirty: input.txt changed/,
    ],
    [
      'the config file',
      (root: string) => {
        writeFileSync(path.join(root, 'build.config.ts'), `${PROBE_CONFIG}\n// edited\n`);
        return { root };
      },
      /Dirty: build.config.ts changed/,
    ],
    [
      'a module the config imports',
      (root: string) => {
        writeFileSync(path.join(root, 'helper.ts'), "export const label = 'two';\n");
        return { root };
      },
      /Dirty: helper.ts changed/,
    ],
    [
      'a deleted output',
      (root: string) => {
        rmSync(path.join(root, hostOut(), 'probe/artifact.txt'));
        return { root };
      },
      new RegExp(`Dirty: ${hostOut()}/probe/artifact\\.txt is missing`),
    ],
  ])('reruns when %s changes and says why', async (_what, change, reason) => {
    const root = probePackage();
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    const { env } = change(root) as { env?: Record<string, string> };
    const rerun = await kiln(root, ['build'], env ? { env } : {});
    expect(rerun.exitCode, rerun.all).toBe(0);
    expect(rerun.stdout).toMatch(reason);
    expect(runs(root)).toBe(2);
  });

  it('stays fresh when a file is touched but its content is the same', async () => {
    const root = probePackage();
    await kiln(root, ['build']);
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(root, 'input.txt'), later, later);
    const again = await kiln(root, ['build']);
    expect(again.stdout).toMatch(/^Fresh/m);
    expect(runs(root)).toBe(1);
  });

  it('keeps one outDir per profile, so switching back is fresh', async () => {
    const root = probePackage();
    await kiln(root, ['build']);
    expect(manifestOf(root).profile).toBe('release');
    const debug = await kiln(root, ['build', '--debug']);
    expect(debug.stdout).toContain('Dirty: no previous build');
    expect(manifestOf(root, 'debug').profile).toBe('debug');
    // --release names the default; --profile still works; all of them on the fast fresh path.
    for (const [args, profile] of [
      [['--release'], 'release'],
      [['--profile', 'release'], 'release'],
      [['--debug'], 'debug'],
      [['--profile', 'debug'], 'debug'],
    ] as const) {
      const again = await kiln(root, ['build', ...args]);
      expect(again.stdout).toBe(`Fresh fixture-pkg (${HOST}, ${profile})`);
    }
    expect(runs(root)).toBe(2);
  });

  it('--debug with --release or --profile is a usage error', async () => {
    const root = probePackage();
    for (const extra of [['--release'], ['--profile', 'release']]) {
      const r = await kiln(root, ['build', '--debug', ...extra]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('mutually exclusive');
    }
    expect(runs(root)).toBe(0);
  });

  it('emits one JSON event per line with --json', async () => {
    const root = probePackage();
    const r = await kiln(root, ['build', '--json']);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['start', 'dirty', 'plugin-start', 'plugin-end', 'done']),
    );
    const fresh = await kiln(root, ['build', '--json']);
    expect(
      fresh.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['fresh', 'done']);
  });
});

describe('kiln build: sources found by glob', () => {
  it('a new file matching a cc sources glob makes the build dirty', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { cc, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [cc({ name: 'parts', sources: ['csrc/**/*.c'] })] });\n",
      'csrc/a.c': 'int a(void) { return 1; }\n',
    });
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    expect((await kiln(root, ['build'])).stdout).toMatch(/^Fresh/m);
    writeFileSync(path.join(root, 'csrc/b.c'), 'int b(void) { return 2; }\n');
    const again = await kiln(root, ['build']);
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toContain('Dirty: csrc has new or removed files');
    expect(again.stdout).toMatch(/CC\s+csrc\/b\.c/);
    mkdirSync(path.join(root, 'csrc/deeper'));
    writeFileSync(path.join(root, 'csrc/deeper/c.c'), 'int c(void) { return 3; }\n');
    const third = await kiln(root, ['build']);
    expect(third.stdout).toMatch(/CC\s+csrc\/deeper\/c\.c/);
  });
});
