import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../../src/runner/build.js';
import { installFakeToolchain } from '../../support/fake-cc/index.js';
import { HOST } from '../../support/host.js';
import { makePackage, writeFile } from '../../support/package.js';

const CONFIG = `import { addon, cc, defineConfig } from 'kilnjs';
const dep = cc({ name: 'dep', kind: 'shared', sources: ['csrc/dep.c'] });
export default defineConfig({
  plugins: [
    addon({
      name: 'binding',
      sources: ['csrc/binding.cc'],
      headers: 'node',
      napiVersion: 6,
      cxxExceptions: true,
      defines: { EXTRA: 1 },
      link: [dep],
    }),
  ],
});
`;

describe('addon compile and link flags on Linux (recording fake compiler)', () => {
  it('passes NAPI_VERSION, C++ exceptions, -shared and a $ORIGIN rpath for a bundled shared lib', async () => {
    const fake = installFakeToolchain(['gcc', 'g++', 'ar']);
    const root = makePackage({ 'build.config.ts': CONFIG }, { dirName: 'flags pkg ü' });
    writeFile(root, 'csrc/dep.c', 'int dep(void) { return 1; }\n');
    writeFile(root, 'csrc/binding.cc', '#include <node_api.h>\n');
    const env = {
      PATH: fake.dir,
      CC: path.join(fake.dir, 'gcc'),
      CXX: path.join(fake.dir, 'g++'),
      AR: path.join(fake.dir, 'ar'),
      FAKE_CC_LOG: fake.log,
      HOME: os.tmpdir(),
    };
    await build({ cwd: root, target: HOST, env, jobs: 2 });

    const compile = fake.compiles().find((c) => c.args.some((a) => a.endsWith('binding.cc')))!;
    expect(compile.name).toBe('g++');
    expect(compile.args).toEqual(
      expect.arrayContaining([
        '-DNAPI_VERSION=6',
        '-DBUILDING_NODE_EXTENSION',
        '-DNODE_GYP_MODULE_NAME=binding',
        '-DNAPI_CPP_EXCEPTIONS',
        '-DEXTRA=1',
        '-fexceptions',
        '-fPIC',
      ]),
    );
    expect(compile.args).not.toContain('-fno-exceptions');
    // napi.h derives NODE_ADDON_API_CPP_EXCEPTIONS itself; passing it too redefines it.
    expect(compile.args).not.toContain('-DNODE_ADDON_API_CPP_EXCEPTIONS');
    expect(compile.args).toContain(`-I${path.resolve(process.execPath, '../../include/node')}`);

    const link = fake
      .calls()
      .find((c) => c.args.some((a) => /binding\.node\.kiln-tmp-\d+-[0-9a-f]{8}$/.test(a)))!;
    expect(link.name).toBe('g++');
    expect(link.args).toContain('-shared');
    expect(link.args).toContain('-ldep');
    expect(link.args).toContain('-Wl,-rpath,$ORIGIN');
    // The build folder's absolute rpath is replaced: the package can move.
    expect(link.args.filter((a) => a.startsWith('-Wl,-rpath,'))).toEqual(['-Wl,-rpath,$ORIGIN']);
    expect(link.args.some((a) => a.startsWith('-Wl,-soname'))).toBe(false);

    expect(existsSync(path.join(root, 'build', 'Release', 'binding.node'))).toBe(true);
    expect(existsSync(path.join(root, 'build', 'Release', 'libdep.so'))).toBe(true);
  });

  it('rejects an unknown option naming it', async () => {
    const { addon } = await import('../../../src/plugins/addon/index.js');
    expect(() => addon({ name: 'x', sources: 'a.c', napi: 8 } as never)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('"napi"'),
      }),
    );
  });
});
