import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { hostOut } from '../support/host.js';
import { KILN_BIN, kiln, makePackage } from '../support/package.js';

const OUT = hostOut();

describe('kiln build: bad input', () => {
  it('points at file:line for a syntax error and exits 2', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { defineConfig } from 'kilnjs';\n\nexport default defineConfig({\n  plugins: [,\n});\n",
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/error: build\.config\.ts:\d+:\d+: syntax error/);
    expect(r.stderr).toContain('hint:');
  });

  it('points at file:line when the config throws and exits 2', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { defineConfig } from 'kilnjs';\n\nconst sdk = process.env.NO_SUCH_SDK;\nif (!sdk) throw new Error('set NO_SUCH_SDK');\nexport default defineConfig({});\n",
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: build.config.ts:4:');
    expect(r.stderr).toContain('the build config threw: set NO_SUCH_SDK');
  });

  it('names an unknown config key and what was expected', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { defineConfig } from 'kilnjs';\nexport default defineConfig({ plugin: [] } as never);\n",
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('build.config.ts: invalid defineConfig: unknown option "plugin"');
  });

  it('names a plugin entry that is not a plugin', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [{ name: 'x' }] } as never);\n",
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/"plugins\[0\]": expected a plugin/);
  });

  it('rejects an unknown directive line, quoting it, and keeps the previous manifest', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    await ctx.exec(process.execPath, ['-e', 'console.log(process.env.LINE)'], { env: { LINE: ctx.env.LINE } });
  },
});
`,
    });
    expect((await kiln(root, ['build'], { env: { LINE: 'kiln:metadata=a=1' } })).exitCode).toBe(0);
    const before = readFileSync(path.join(root, OUT, 'manifest.json'), 'utf8');
    const r = await kiln(root, ['build'], { env: { LINE: 'kiln:link-libz=static=foo' } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Unknown directive "link-libz"');
    expect(r.stderr).toContain('kiln:link-libz=static=foo');
    expect(readFileSync(path.join(root, OUT, 'manifest.json'), 'utf8')).toBe(before);
    // The failed build left no fingerprint: the next run is dirty, not fresh.
    const again = await kiln(root, ['build'], { env: { LINE: 'kiln:metadata=a=1' } });
    expect(again.stdout).toContain('Dirty');
  });

  it('fails the build on a kiln:error line with its message', async () => {
    const root = makePackage({
      'build.config.ts': `import { defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    await ctx.exec(process.execPath, ['-e', 'console.log("kiln:error=libfoo headers are missing")']);
  },
});
`,
    });
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('libfoo headers are missing');
  });

  it('says which output directory cannot be written', async () => {
    const root = makePackage({
      'build.config.ts':
        "import { defineConfig } from 'kilnjs';\nexport default defineConfig({});\n",
    });
    writeFileSync(path.join(root, 'build'), 'a file where a folder should be');
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Cannot write to the output directory ${path.join(root, OUT)}`);
    expect(r.stderr).toContain('hint:');
  });

  it('reports a missing config with what to do, exit 2', async () => {
    const root = makePackage({});
    const r = await kiln(root, ['build']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`No build config in ${root}`);
    expect(r.stderr).toContain('kiln init');
  });

  it('rejects an unknown CLI option with exit 2', async () => {
    const root = makePackage({});
    const r = await kiln(root, ['build', '--no-such-flag']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no-such-flag');
  });
});

const SLOW_CONFIG = `import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'kilnjs';
export default defineConfig({
  async build(ctx) {
    writeFileSync(path.join(ctx.packageRoot, 'started-' + process.pid), '');
    // A long-running child: an interrupted build must kill it.
    await ctx.exec(process.execPath, ['-e', 'setTimeout(() => {}, Number(process.env.SLEEP_MS))'], {
      env: { SLEEP_MS: ctx.env.SLEEP_MS ?? '0' },
    });
    ctx.emit({ type: 'metadata', key: 'done', value: 'yes' });
  },
});
`;

describe('kiln build: interruption and concurrency', () => {
  it('recovers after SIGINT: no fingerprint, lock released, next build correct', async () => {
    const root = makePackage({ 'build.config.ts': SLOW_CONFIG });
    const child = spawn(process.execPath, [KILN_BIN, 'build'], {
      cwd: root,
      env: { ...process.env, SLEEP_MS: '60000', NO_COLOR: '1' },
      stdio: 'pipe',
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const deadline = Date.now() + 60_000;
    while (!hasStarted(root) && Date.now() < deadline) await sleep(50);
    await sleep(300);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('Stopped');
    expect(existsSync(path.join(root, OUT, '.kiln/fingerprint.json'))).toBe(false);
    expect(existsSync(path.join(root, OUT, '.kiln/lock'))).toBe(false);
    expect(existsSync(path.join(root, OUT, 'manifest.json'))).toBe(false);
    const next = await kiln(root, ['build'], { env: { SLEEP_MS: '0' } });
    expect(next.exitCode, next.all).toBe(0);
    expect(next.stdout).toContain('Dirty');
    const manifest = JSON.parse(readFileSync(path.join(root, OUT, 'manifest.json'), 'utf8'));
    expect(manifest.metadata).toEqual({ done: 'yes' });
  });

  it('serializes two concurrent builds of one outDir; both succeed and the manifest is valid', async () => {
    const root = makePackage({ 'build.config.ts': SLOW_CONFIG });
    const [a, b] = await Promise.all([
      kiln(root, ['build'], { env: { SLEEP_MS: '1500' } }),
      kiln(root, ['build'], { env: { SLEEP_MS: '1500' } }),
    ]);
    expect(a.exitCode, a.all).toBe(0);
    expect(b.exitCode, b.all).toBe(0);
    // One built; the other waited for the lock, then found the result fresh.
    expect(`${a.all}\n${b.all}`).toContain('Waiting for another kiln build');
    expect([a.stdout, b.stdout].filter((s) => s.includes('Fresh'))).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(path.join(root, OUT, 'manifest.json'), 'utf8'));
    expect(manifest.metadata).toEqual({ done: 'yes' });
  });
});

function hasStarted(root: string): boolean {
  return readdirSync(root).some((f) => f.startsWith('started-'));
}
