import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { kiln, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';
import { expectSameAsGyp, type Fetched, fetchedPresent, tempDir, unpack } from './fixtures.js';

/**
 * Real node-gyp packages from the npm registry (scripts/fetch-gyp-packages.sh), each converted by
 * `kiln init` from its own binding.gyp, built by `kiln build` with no edit of the generated
 * config, loaded, and checked with its own test or, where the tarball has none, a call sequence
 * that compares the addon with the package's JavaScript fallback or its README's examples.
 */
interface Case {
  name: Fetched;
  /** What the tarball needs in node_modules besides kilnjs and node-addon-api. */
  deps: Fetched[];
  /** What the package's install script does before node-gyp. */
  prepare?: (root: string) => Promise<void>;
  /** Expected in the generated config. */
  config: RegExp[];
  check: (root: string) => Promise<void>;
}

async function node(root: string, code: string): Promise<string> {
  const r = await execa(process.execPath, ['-e', code], { cwd: root, reject: false, all: true });
  expect(r.exitCode, r.all).toBe(0);
  return r.stdout;
}

const CASES: Case[] = [
  {
    name: 'bufferutil',
    deps: ['node-gyp-build'],
    config: [/std: 'c99'/, /sources: \['src\/bufferutil\.c'\]/],
    check: async (root) => {
      await node(
        root,
        `const assert = require('assert');
        const native = require('./index.js'), js = require('./fallback.js');
        assert.notStrictEqual(native, js, 'the native addon loaded');
        for (const len of [0, 1, 7, 8, 31, 1000]) {
          const data = require('crypto').randomBytes(len), mask = require('crypto').randomBytes(4);
          const a = Buffer.alloc(len + 3), b = Buffer.alloc(len + 3);
          native.mask(data, mask, a, 3, len); js.mask(data, mask, b, 3, len);
          assert.deepStrictEqual(a, b);
          const c = Buffer.from(a.subarray(3)); native.unmask(c, mask);
          assert.deepStrictEqual(c, data);
        }`,
      );
    },
  },
  {
    name: 'utf-8-validate',
    deps: ['node-gyp-build'],
    config: [/std: 'gnu\+\+11'/, /'deps\/is_utf8\/src\/is_utf8\.cpp'/],
    check: async (root) => {
      await node(
        root,
        `const assert = require('assert');
        const native = require('./index.js'), js = require('./fallback.js');
        assert.notStrictEqual(native, js, 'the native addon loaded');
        const cases = [Buffer.from('hello'), Buffer.from('€ 𝄞 é'), Buffer.from([0xc0, 0x80]),
          Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.alloc(0),
          Buffer.from('x'.repeat(100) + '\\u00ff'), Buffer.concat([Buffer.alloc(64, 0x61), Buffer.from([0xff])])];
        for (const b of cases) assert.strictEqual(native(b), js(b), b.toString('hex'));`,
      );
    },
  },
  {
    name: 'microtime',
    deps: ['node-gyp-build'],
    config: [/cxxExceptions: true/],
    check: async (root) => {
      const r = await execa(process.execPath, ['test.js'], { cwd: root, all: true, reject: false });
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).toMatch(/microtime\.now\(\) = \d+/);
    },
  },
  {
    name: 'farmhash',
    deps: [],
    config: [/cxxExceptions: true/, /cxxFlags: \['-Wall', '-Os', '-funroll-loops'\]/],
    check: async (root) => {
      // The README's examples, and the string and Buffer paths agreeing.
      await node(
        root,
        `const assert = require('assert'); const f = require('./index.js');
        assert.strictEqual(typeof f.hash32('test'), 'number');
        assert.strictEqual(typeof f.hash64(Buffer.from('test')), 'bigint');
        assert.strictEqual(typeof f.hash64WithSeed('test', 123), 'bigint');
        assert.strictEqual(f.fingerprint32(Buffer.from('test')), f.fingerprint32('test'));
        assert.strictEqual(f.fingerprint64('test'), f.fingerprint64(Buffer.from('test')));
        assert.notStrictEqual(f.fingerprint64('test'), f.fingerprint64('tesu'));
        assert.strictEqual(typeof f.fingerprint64signed('test'), 'bigint');`,
      );
    },
  },
  {
    name: 'cpu-features',
    deps: ['nan', 'buildcheck'],
    // Its install script: `node buildcheck.js > buildcheck.gypi && node-gyp rebuild`.
    prepare: async (root) => {
      const r = await execa(process.execPath, ['buildcheck.js'], { cwd: root });
      writeFileSync(path.join(root, 'buildcheck.gypi'), r.stdout);
    },
    config: [
      /const cpuFeatures = cc\(\{/,
      /link: \[cpuFeatures\]/,
      /headers: 'node'/,
      /'node_modules\/nan'/,
      /'deps\/cpu_features\/include'/,
    ],
    check: async (root) => {
      const r = await execa(process.execPath, ['test/test.js'], {
        cwd: root,
        all: true,
        reject: false,
      });
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).toMatch(/flags:/);
    },
  },
];

describe('kiln init converts real node-gyp packages, which then build and pass their tests', () => {
  const present = fetchedPresent();
  for (const c of CASES) {
    (present ? itWith('gcc', 'g++', 'tar', 'python3') : it.skip)(
      c.name,
      async () => {
        const root = await unpack(c.name, path.join(tempDir('gyp-pkg'), c.name));
        // Prebuilt binaries in the tarball would be loaded instead of the one built here.
        rmSync(path.join(root, 'prebuilds'), { recursive: true, force: true });
        const modules = path.join(root, 'node_modules');
        mkdirSync(modules, { recursive: true });
        for (const dep of c.deps) await unpack(dep, path.join(modules, dep));
        symlinkSync(REPO_ROOT, path.join(modules, 'kilnjs'), 'dir');
        symlinkSync(
          path.join(REPO_ROOT, 'node_modules/node-addon-api'),
          path.join(modules, 'node-addon-api'),
          'dir',
        );
        await c.prepare?.(root);
        await expectSameAsGyp(root);

        const init = await kiln(root, ['init']);
        expect(init.exitCode, init.all).toBe(0);
        expect(init.stdout).toContain('Nothing needs a hand');
        const config = readFileSync(path.join(root, 'build.config.ts'), 'utf8');
        for (const re of c.config) expect(config).toMatch(re);
        expect(config).not.toContain('TODO(kiln)');

        const built = await kiln(root, ['build'], { timeout: 300_000 });
        expect(built.exitCode, built.all).toBe(0);
        expect(existsSync(path.join(root, 'build/Release'))).toBe(true);
        await c.check(root);
      },
      300_000,
    );
  }
});
