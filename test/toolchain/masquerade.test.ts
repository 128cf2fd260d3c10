import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { masqueradeTarget } from '../../src/toolchain/masquerade.js';
import { findExecutable } from '../../src/toolchain/which.js';
import { kiln, makePackage } from '../support/package.js';
import { itWith } from '../support/tools.js';

/**
 * Debian's /usr/lib/ccache (and sccache's or distcc's masquerade folders): `cc` first on PATH is
 * a link to ccache, which runs the next `cc` on PATH. Switching that compiler leaves ccache's own
 * file as it was; the build must see the compiler it now runs.
 */
/** The object the build made of csrc/a.c (one target and profile were built). */
function findObject(root: string): string {
  const [triple] = readdirSync(path.join(root, 'build/kiln'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name);
  return path.join(root, 'build/kiln', triple!, 'release/cc/m/obj/pkg/csrc/a.c.o');
}

describe('a compiler behind a compiler cache’s masquerade link', () => {
  const it = itWith('ccache', 'gcc', 'clang');

  it('is an input: switching the compiler ccache runs makes the build dirty and recompiles with it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-masquerade-'));
    const [shim, real] = [path.join(dir, 'ccache links'), path.join(dir, 'compilers')];
    mkdirSync(shim);
    mkdirSync(real);
    symlinkSync(findExecutable('ccache', dir)!, path.join(shim, 'cc'));
    const useCompiler = (name: string) => {
      rmSync(path.join(real, 'cc'), { force: true });
      symlinkSync(findExecutable(name, dir)!, path.join(real, 'cc'));
    };
    useCompiler('gcc');
    const env = {
      PATH: [shim, real, process.env.PATH].join(path.delimiter),
      CCACHE_DIR: path.join(dir, 'ccache'),
      CC: undefined,
    };
    const root = makePackage({
      'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'm', sources: ['csrc/*.c'] })] });
`,
      'csrc/a.c': 'int a(void) { return 1; }\n',
    });
    const first = await kiln(root, ['build'], { env });
    expect(first.exitCode, first.all).toBe(0);
    expect(readFileSync(findObject(root), 'latin1')).not.toContain('clang version');
    expect((await kiln(root, ['build'], { env })).stdout).toMatch(/^Fresh /m);

    useCompiler('clang');
    const next = await kiln(root, ['build'], { env });
    expect(next.exitCode, next.all).toBe(0);
    expect(next.stdout).toMatch(/Dirty: cc now runs \S*clang\S* through its compiler cache/);
    expect(next.stdout).toMatch(/CC\s+csrc\/a\.c/);
    expect(readFileSync(findObject(root), 'latin1')).toContain('clang version');
    expect((await kiln(root, ['build'], { env })).stdout).toMatch(/^Fresh /m);
  });

  it('is what a masquerade link runs; a compiler found directly runs itself', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-masquerade-'));
    const [shim, real] = [path.join(dir, 'shim'), path.join(dir, 'real')];
    mkdirSync(shim);
    mkdirSync(real);
    symlinkSync(findExecutable('ccache', dir)!, path.join(shim, 'cc'));
    symlinkSync(findExecutable('gcc', dir)!, path.join(real, 'cc'));
    const saved = process.env.PATH;
    try {
      process.env.PATH = [shim, real, saved].join(path.delimiter);
      const gcc = findExecutable('gcc', dir)!;
      expect(masqueradeTarget(path.join(shim, 'cc'), dir)).toBe(realpathSync(gcc));
      expect(masqueradeTarget(gcc, dir)).toBeUndefined();
      // ccache called by its own name is a wrapper in front of the compiler named after it.
      expect(masqueradeTarget(findExecutable('ccache', dir)!, dir)).toBeUndefined();
      // Nothing behind the link: it runs no compiler.
      process.env.PATH = shim;
      expect(masqueradeTarget(path.join(shim, 'cc'), dir)).toBeNull();
    } finally {
      process.env.PATH = saved;
    }
  });
});
