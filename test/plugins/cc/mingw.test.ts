import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { splitShellWords } from '../../../src/toolchain/shellwords.js';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { WinePrefix, wine64Path } from '../../support/wine.js';

const FIXTURES = path.join(REPO_ROOT, 'native-fixtures', 'windows');
const TARGET = 'x86_64-pc-windows-gnu';

describe('cc plugin for x86_64-pc-windows-gnu (MinGW-w64)', () => {
  const wine = new WinePrefix();
  const test = itWith('x86_64-w64-mingw32-gcc', 'x86_64-w64-mingw32-ar', wine64Path());
  beforeAll(() => wine.boot().catch(() => {}), 180_000);
  afterAll(() => wine.dispose());

  test('builds a .a and a .dll with its import library; a program linked from kiln print runs under wine', async () => {
    const root = makePackage(
      {
        'build.config.ts': `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({
  plugins: [
    cc({ name: 'sum', sources: ['native/sum.c'] }),
    cc({ name: 'kit', sources: ['native/scale.c'], includes: ['native'], kind: 'shared', defines: ['BUILDING_KIT'] }),
  ],
});
`,
      },
      { dirName: 'mingw pkg ü' },
    );
    for (const f of ['sum.c', 'scale.c', 'scale.h', 'main.c']) {
      cpSync(path.join(FIXTURES, f), path.join(root, 'native', f));
    }
    const built = await kiln(root, ['build', '--target', TARGET]);
    expect(built.exitCode, built.all).toBe(0);
    const out = path.join(root, 'build', 'kiln', TARGET, 'release', 'cc');
    expect(existsSync(path.join(out, 'sum', 'libsum.a'))).toBe(true);
    expect(existsSync(path.join(out, 'kit', 'kit.dll'))).toBe(true);
    expect(existsSync(path.join(out, 'kit', 'libkit.dll.a'))).toBe(true);
    // The DLL names itself kit.dll (what importers load), not the temporary it was linked to.
    const dll = await execa('x86_64-w64-mingw32-objdump', ['-p', path.join(out, 'kit', 'kit.dll')]);
    expect(dll.stdout).toMatch(/^Name\s+\S+\s+kit\.dll$/m);

    const printed = await kiln(root, ['print', '--cflags', '--libs', '--target', TARGET]);
    expect(printed.exitCode, printed.all).toBe(0);
    // Windows has no rpath: nothing the MinGW linker would misread.
    expect(printed.stdout).not.toContain('rpath');
    const exe = path.join(root, 'main.exe');
    await execa(
      'x86_64-w64-mingw32-gcc',
      [
        '-Wall',
        '-Werror',
        '-I',
        path.join(root, 'native'),
        path.join(root, 'native', 'main.c'),
        ...splitShellWords(printed.stdout.trim(), 'kiln print'),
        '-o',
        exe,
      ],
      { cwd: root },
    );
    const run = await wine.run(exe, [], { env: { WINEPATH: path.join(out, 'kit') } });
    expect(run.stdout, run.stderr).toBe('sum=6 scale=42');
    expect(run.exitCode).toBe(0);
  }, 240_000);
});
