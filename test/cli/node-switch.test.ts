import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { KILN_BIN, kiln, makePackage, REPO_ROOT, writeFile } from '../support/package.js';
import { workspace } from '../workspace/support.js';

// An addon compiled against the running Node's headers is what a clean build makes only under
// that Node: a build under another Node (nvm use, a CI matrix) is dirty, and says why.

const FAKE = path.join(REPO_ROOT, 'test', 'support', 'node-version.mjs');

/** `kiln …` in a process that reports `version` as its Node version. */
function kilnUnder(version: string, cwd: string, args: string[]) {
  return execa(process.execPath, ['--import', FAKE, KILN_BIN, ...args], {
    cwd,
    env: { NO_COLOR: '1', FAKE_NODE_VERSION: version },
    reject: false,
  });
}

const CONFIG = `import { cc, defineConfig } from 'kilnjs';
export default defineConfig({ plugins: [cc({ name: 'n', sources: ['csrc/*.c'] })] });
`;

describe('kiln build under another Node', () => {
  it('is dirty once, naming both versions, then Fresh under that Node', async () => {
    const root = makePackage({
      'build.config.ts': CONFIG,
      'csrc/n.c': 'int n(void) { return 1; }\n',
    });
    expect((await kiln(root, ['build'])).exitCode).toBe(0);
    expect((await kiln(root, ['build'])).stdout).toMatch(/^Fresh /);

    const other = await kilnUnder('v99.0.0', root, ['build']);
    expect(other.exitCode, other.stderr).toBe(0);
    expect(other.stdout).toContain(`Dirty: Node changed (${process.version} → v99.0.0)`);
    expect((await kilnUnder('v99.0.0', root, ['build'])).stdout).toMatch(/^Fresh /);
    expect((await kiln(root, ['build'])).stdout).toContain('Dirty: Node changed');
  });

  it('a workspace that was Fresh is not reported Fresh under another Node', async () => {
    const root = workspace({});
    writeFile(root, 'packages/a/package.json', JSON.stringify({ name: 'a', type: 'module' }));
    writeFile(root, 'packages/a/build.config.ts', CONFIG);
    writeFile(root, 'packages/a/csrc/n.c', 'int n(void) { return 1; }\n');
    expect((await kiln(root, ['build', '--workspaces'])).exitCode).toBe(0);
    expect((await kiln(root, ['build', '--workspaces'])).stdout).toContain('Fresh');

    const other = await kilnUnder('v99.0.0', root, ['build', '--workspaces']);
    expect(other.exitCode, other.stderr).toBe(0);
    expect(other.stdout).toContain('Node changed');
  });
});
