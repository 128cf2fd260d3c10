import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { windowsChecks, windowsTarget } from '../../src/cli/doctor-windows.js';
import { parseTriple } from '../../src/target/triple.js';
import { kiln, makePackage } from '../support/package.js';
import { itWith } from '../support/tools.js';

interface Check {
  name: string;
  found: boolean;
  required: boolean;
  optional?: boolean;
  detail: string;
  fix: string;
}

/** A PATH holding only `tools` (links to the real ones). */
function pathWith(tools: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-doctor-win-'));
  for (const tool of tools) {
    const found = (process.env.PATH ?? '')
      .split(path.delimiter)
      .map((d) => path.join(d, tool))
      .find((f) => existsSync(f));
    if (found) symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

const byName = (checks: Check[], name: string) => checks.find((c) => c.name === name);
const NO_SDK = { INCLUDE: undefined, LIB: undefined, KILN_SYSROOT: undefined };

describe('kiln doctor --target for Windows targets', () => {
  itWith(
    'gcc',
    'clang',
    'llvm-lib',
    'lld-link',
    'llvm-dlltool',
  )(
    'x86_64-pc-windows-msvc: clang-cl mode, llvm-lib, lld-link and llvm-dlltool found; the SDK named with its fix',
    async () => {
      const root = makePackage({});
      const PATH = pathWith(['cc', 'ar', 'clang', 'llvm-lib', 'lld-link', 'llvm-dlltool']);
      const r = await kiln(root, ['doctor', '--target', 'x86_64-pc-windows-msvc', '--json'], {
        env: { PATH, ...NO_SDK },
      });
      expect(r.exitCode, r.all).toBe(0);
      const checks: Check[] = JSON.parse(r.stdout).checks;
      // The compiler and archiver are doctor's own checks, for the target given.
      expect(byName(checks, 'cc')).toMatchObject({
        found: true,
        detail: expect.stringMatching(/clang --driver-mode=cl: .*clang version/),
      });
      expect(byName(checks, 'ar')).toMatchObject({
        found: true,
        detail: expect.stringMatching(/llvm-lib: OVERVIEW: LLVM Lib$/),
      });
      expect(checks.map((c) => c.name)).not.toContain('msvc cc');
      expect(byName(checks, 'msvc link')).toMatchObject({ found: true });
      expect(byName(checks, 'node.lib generator')).toMatchObject({ found: true });
      expect(byName(checks, 'Windows SDK')).toMatchObject({
        found: false,
        required: false,
        fix: expect.stringMatching(/INCLUDE and LIB/),
      });

      const withSdk = await kiln(root, ['doctor', '--target', 'x86_64-pc-windows-msvc'], {
        env: { PATH, ...NO_SDK, INCLUDE: '/sdk/include', LIB: '/sdk/lib' },
      });
      expect(withSdk.stdout).toMatch(
        /^ok\s+Windows SDK\s+INCLUDE=\/sdk\/include; LIB=\/sdk\/lib$/m,
      );
    },
  );

  itWith('gcc')(
    'a missing linker is a required miss with its fix, and doctor exits 1',
    async () => {
      const root = makePackage({});
      const r = await kiln(root, ['doctor', '--target', 'aarch64-pc-windows-msvc'], {
        env: { PATH: pathWith(['cc', 'ar']), ...NO_SDK },
      });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(
        /^MISS msvc link\s+not found\n\s+fix: apt-get install clang lld llvm/m,
      );
      expect(r.stdout).toMatch(
        /^miss node\.lib generator\s+not found\n\s+fix: apt-get install llvm$/m,
      );
    },
  );

  it('x86_64-pc-windows-gnu: the MinGW dlltool and windres, and wine64 for running tests', () => {
    const have = new Set(['x86_64-w64-mingw32-gcc']);
    const checks = windowsChecks(parseTriple('x86_64-pc-windows-gnu'), (n) =>
      have.has(n) ? `/opt/mingw/bin/${n}` : undefined,
    );
    // The MinGW gcc is doctor's own `cc` check for this target.
    expect(byName(checks, 'mingw gcc')).toBeUndefined();
    expect(byName(checks, 'mingw dlltool')).toMatchObject({
      found: false,
      fix: expect.stringMatching(/binutils-mingw-w64/),
    });
    expect(byName(checks, 'mingw windres')).toMatchObject({ found: false });
    if (process.platform !== 'win32') expect(byName(checks, 'wine64')).toBeDefined();
  });

  it('reports Windows tools only for a Windows target (or on a Windows host)', async () => {
    expect(windowsTarget('x86_64-unknown-linux-gnu')).toBeUndefined();
    expect(windowsTarget('x86_64-pc-windows-msvc')?.env).toBe('msvc');
    expect(windowsTarget('x86_64-w64-mingw32')?.env).toBe('gnu');
    if (process.platform !== 'win32') {
      expect(windowsTarget(undefined)).toBeUndefined();
      const r = await kiln(makePackage({}), ['doctor', '--json']);
      const checks: Check[] = JSON.parse(r.stdout).checks;
      expect(checks.map((c) => c.name)).not.toContain('msvc link');
    }
  });
});
