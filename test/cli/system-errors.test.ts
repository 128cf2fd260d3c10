import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { hostTriple } from '../../src/target/triple.js';
import { KILN_BIN, kiln, makePackage } from '../support/package.js';

/** Mounting a small tmpfs needs root; CI runs as root and must not skip. */
const itAsRoot: typeof it =
  process.getuid?.() === 0
    ? it
    : process.env.KILN_REQUIRE_TOOLCHAINS === '1'
      ? (() => {
          throw new Error('KILN_REQUIRE_TOOLCHAINS=1 but these tests need root to mount a tmpfs');
        })()
      : (it.runIf(false) as typeof it);

const mounts: string[] = [];
afterEach(() => {
  for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m]);
});

function tmpfs(size: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-mnt-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

const META_CONFIG = (value: string) => `
import { defineConfig } from 'kilnjs';
export default defineConfig({
  build(ctx) {
    ctx.emit({ type: 'metadata', key: 'note', value: ${JSON.stringify(value)} });
  },
});
`;

describe('kiln build: the machine fails, not Kiln', () => {
  itAsRoot(
    'says the disk is full, naming the file, when the out dir has no space left',
    async () => {
      const root = makePackage({ 'build.config.ts': META_CONFIG('x'.repeat(20_000)) });
      const mnt = tmpfs('64k');
      // Fill the file system to the last page.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${path.join(mnt, 'filler')}`, 'bs=4k'], {
          stdio: 'ignore',
        });
      } catch {
        // dd stops with ENOSPC: that is the point.
      }
      const r = await kiln(root, ['build', '--out-dir', mnt]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/error: no space left on the device \(.*\)/);
      expect(r.stderr).toContain('Free some disk space');
      expect(r.stderr).not.toContain('internal error');
    },
  );

  itAsRoot('says the file system is read-only', async () => {
    const root = makePackage({ 'build.config.ts': META_CONFIG('one') });
    const mnt = tmpfs('1m');
    expect((await kiln(root, ['build', '--out-dir', mnt])).exitCode).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    writeFileSync(path.join(root, 'build.config.ts'), META_CONFIG('two'));
    const r = await kiln(root, ['build', '--out-dir', mnt]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/error: Cannot write to the output directory .* \(EROFS\)/);
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toContain('internal error');
  });

  it('finishes the build quietly when the reader of its output goes away (kiln build | head -1)', async () => {
    const root = makePackage({
      'build.config.ts': `
import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'core', sources: ['src/*.c'] })] });
`,
      'src/a.c': 'int a(void) { return 1; }\n',
      'src/b.c': 'int b(void) { return 2; }\n',
      'src/c.c': 'int c(void) { return 3; }\n',
    });
    const child = execa(process.execPath, [KILN_BIN, 'build', '--verbose', '-j', '1'], {
      cwd: root,
      env: { NO_COLOR: '1' },
      reject: false,
      stdout: 'pipe',
      buffer: { stdout: false },
    });
    // Like `head -1`: read the first line, then close the pipe.
    await new Promise<void>((resolve) => {
      child.stdout!.once('data', () => {
        child.stdout!.destroy();
        resolve();
      });
    });
    const r = await child;
    expect(r.stderr).not.toContain('internal error');
    expect(r.exitCode).toBe(0);
    const manifest = path.join(root, 'build', 'kiln', hostTriple(), 'release', 'manifest.json');
    expect(existsSync(manifest)).toBe(true);
  });
});
