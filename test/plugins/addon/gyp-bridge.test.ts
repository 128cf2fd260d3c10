import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect } from 'vitest';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { ADDON_FIXTURES, CRC32_HELLO } from './support.js';

const it = itWith('cc', 'c++', 'make', 'python3');

/** The running Node's prefix: it has include/node, so node-gyp needs no download (no network). */
const NODEDIR = path.resolve(process.execPath, '..', '..');
const NODE_GYP = path.join(REPO_ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');

// node-gyp `rebuild` deletes build/, so the Kiln side keeps its outputs in .kiln (--out-dir).
const KILN = 'node node_modules/kilnjs/bin/kiln.js print --out-dir .kiln';

const BINDING_GYP = `{
  "targets": [
    {
      "target_name": "bridged",
      "sources": ["native/gyp/binding.c"],
      "include_dirs": ["native/core/include"],
      "cflags": ["<!@(${KILN} --format gyp --cflags)"],
      "libraries": ["<!@(${KILN} --format gyp --libs)"]
    },
    {
      "target_name": "included",
      "sources": ["native/gyp/binding.c"],
      "include_dirs": ["native/core/include"],
      "includes": [".kiln/kiln.gypi"]
    }
  ]
}
`;

const CONFIG = `import { cc, defineConfig, pkgConfig } from 'kilnjs';
export default defineConfig({
  plugins: [
    cc({ name: 'core', sources: ['native/core/src/*.c'], includes: ['native/core/include'] }),
    pkgConfig('zlib'),
  ],
});
`;

describe('binding.gyp bridge: node-gyp builds an addon from Kiln link metadata', () => {
  it('builds with real node-gyp through <!@(kiln print --format gyp ...)> and an included .gypi', async () => {
    const root = makePackage(
      { 'build.config.ts': CONFIG, 'binding.gyp': BINDING_GYP },
      { name: 'gyp-bridge', dirName: 'gyp bridge ñ' },
    );
    cpSync(ADDON_FIXTURES, path.join(root, 'native'), { recursive: true });
    rmSync(path.join(root, 'native', 'kit'), { recursive: true });

    const built = await kiln(root, ['build', '--out-dir', '.kiln']);
    expect(built.exitCode, built.all).toBe(0);
    const gypi = await kiln(root, [
      'print',
      '--out-dir',
      '.kiln',
      '--format',
      'gyp',
      '--output',
      '.kiln/kiln.gypi',
    ]);
    expect(gypi.exitCode, gypi.all).toBe(0);

    const gyp = await execa(
      process.execPath,
      [NODE_GYP, 'rebuild', `--nodedir=${NODEDIR}`, '-j', '2', '--loglevel', 'warn'],
      { cwd: root, reject: false, all: true, env: { npm_config_nodedir: NODEDIR } },
    );
    expect(gyp.exitCode, gyp.all).toBe(0);

    for (const name of ['bridged', 'included']) {
      const file = path.join(root, 'build', 'Release', `${name}.node`);
      const script = `const a = require(${JSON.stringify(file)}); console.log(JSON.stringify([a.sum(40, 2), a.crc('hello')]));`;
      const r = await execa(process.execPath, ['-e', script], { cwd: root });
      expect(JSON.parse(r.stdout)).toEqual([42, CRC32_HELLO]);
    }
  });
});
