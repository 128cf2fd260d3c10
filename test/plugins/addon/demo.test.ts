import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';

const it = itWith('cc', 'cmake');

describe("the repo's own demo (build.config.ts + demo/run.mjs)", () => {
  it('builds the demo addon over cc, pkg-config and cmake and runs demo/run.mjs', async () => {
    // A copy of the repo's config, demo script and fixtures: the same files `npm run demo` uses,
    // built in a temp package so the test never writes into the working tree.
    const root = makePackage(
      { 'build.config.ts': readFileSync(path.join(REPO_ROOT, 'build.config.ts'), 'utf8') },
      { name: 'kiln-demo', dirName: 'demo copy' },
    );
    cpSync(path.join(REPO_ROOT, 'demo'), path.join(root, 'demo'), { recursive: true });
    cpSync(
      path.join(REPO_ROOT, 'native-fixtures', 'addon'),
      path.join(root, 'native-fixtures', 'addon'),
      { recursive: true },
    );
    const built = await kiln(root, ['build']);
    expect(built.exitCode, built.all).toBe(0);
    expect(built.all).toMatch(/LINK\s+.*demo\.node/);

    const run = await execa(process.execPath, ['demo/run.mjs'], { cwd: root, reject: false });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^core \(static, cc\):\s+add\(2, 40\) = 42; hello from core$/);
    expect(lines[1]).toMatch(
      /^zlib \(pkg-config\):\s+zlib \d+\.\d+[.\d]*, crc32\(".*"\) = [0-9a-f]+$/,
    );
    expect(lines[2]).toMatch(/^zlib round trip:\s+ok$/);
    expect(lines[3]).toMatch(/^kit \(shared, cmake\):\s+scale\(7\) = 70; kit \(shared, cmake\)$/);

    const again = await kiln(root, ['build']);
    expect(again.all).toMatch(/Fresh/);
  });
});
