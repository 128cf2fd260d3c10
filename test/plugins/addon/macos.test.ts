import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../../src/runner/build.js';
import { installFakeToolchain } from '../../support/fake-cc/index.js';
import { makePackage, writeFile } from '../../support/package.js';

const CONFIG = `import { addon, cc, defineConfig } from 'kilnjs';
const core = cc({ name: 'core', sources: ['csrc/core.c'] });
export default defineConfig({
  plugins: [addon({ name: 'binding', sources: ['csrc/binding.c'], headers: 'node', link: [core] })],
});
`;

function fixture(): string {
  const root = makePackage({ 'build.config.ts': CONFIG }, { dirName: 'mac pkg' });
  writeFile(root, 'csrc/core.c', 'int core(void) { return 1; }\n');
  writeFile(root, 'csrc/binding.c', '#include <node_api.h>\n');
  return root;
}

/** The fake tools as the whole PATH: no real compiler can be picked up by accident. */
function fakeEnv(extra: Record<string, string> = {}) {
  const fake = installFakeToolchain(['clang', 'clang++', 'ar', 'cc', 'c++']);
  const env = {
    PATH: fake.dir,
    // Absolute names: tool discovery must not find the machine's real clang.
    CC: path.join(fake.dir, 'clang'),
    CXX: path.join(fake.dir, 'clang++'),
    AR: path.join(fake.dir, 'ar'),
    FAKE_CC_LOG: fake.log,
    HOME: os.tmpdir(),
    ...extra,
  };
  return { fake, env };
}

describe('addon link rule for macOS (recording fake compiler)', () => {
  it('links a -bundle with -undefined dynamic_lookup and the target -arch, static libs inside', async () => {
    const sdk = mkdtempSync(path.join(os.tmpdir(), 'MacOSX.sdk-'));
    const { fake, env } = fakeEnv({ SDKROOT: sdk });
    const root = fixture();
    await build({ cwd: root, target: 'aarch64-apple-darwin', env, jobs: 2 });

    const link = fake.calls().find((c) => c.args.includes('-bundle'));
    expect(link, JSON.stringify(fake.calls(), null, 1)).toBeDefined();
    const args = link!.args;
    expect(link!.name).toBe('clang');
    expect(args).toEqual(
      expect.arrayContaining(['-undefined', 'dynamic_lookup', '-arch', 'arm64', '-isysroot', sdk]),
    );
    expect(args[args.indexOf('-undefined') + 1]).toBe('dynamic_lookup');
    expect(args[args.indexOf('-arch') + 1]).toBe('arm64');
    expect(args).not.toContain('-shared');
    expect(args).not.toContain('-dynamiclib');
    expect(args).not.toContain('-install_name');
    expect(args.some((a) => a.endsWith('libcore.a'))).toBe(true);
    expect(args[args.indexOf('-o') + 1]).toMatch(/binding\.node\.kiln-tmp-\d+-[0-9a-f]{8}$/);

    const compile = fake.compiles().find((c) => c.args.some((a) => a.endsWith('binding.c')))!;
    expect(compile.args).toEqual(
      expect.arrayContaining(['-arch', 'arm64', '-DNAPI_VERSION=8', '-DBUILDING_NODE_EXTENSION']),
    );
  });

  // The build's PATH holds only the fake tools, so no xcrun is found, on a Mac too.
  it('says the macOS SDK is needed when none is found, before compiling anything', async () => {
    const { fake, env } = fakeEnv();
    const root = fixture();
    await expect(build({ cwd: root, target: 'x86_64-apple-darwin', env })).rejects.toMatchObject({
      code: 'TARGET_UNSUPPORTED',
      message: expect.stringMatching(/binding\.node.*needs the macOS SDK/),
      hint: expect.stringMatching(/xcode-select --install|SDKROOT/),
    });
    expect(fake.compiles().some((c) => c.args.some((a) => a.endsWith('binding.c')))).toBe(false);
  });
});
