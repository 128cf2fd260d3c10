import { cpSync, existsSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { kiln, REPO_ROOT } from '../../support/package.js';
import { hasTool } from '../../support/tools.js';

/**
 * Real cmake-js packages from the npm registry, fetched by scripts/fetch-cmake-js-packages.sh
 * (scripts/setup.sh runs it) into test/.cache/cmake-js, built by Kiln with their CMakeLists.txt
 * untouched and loaded in Node. Their prebuilt binaries were removed when fetched.
 */
const CACHE = path.join(REPO_ROOT, 'test', '.cache', 'cmake-js');
const SHIM = path.join(REPO_ROOT, 'test', 'support', 'mocha-shim.cjs');
const TOOLS = ['cmake', 'g++', 'readelf'];

/** `it` for a fetched package; in CI (KILN_REQUIRE_TOOLCHAINS=1) a missing one fails the file. */
function itPackage(dir: string): typeof it {
  const missing = [
    ...(existsSync(path.join(CACHE, dir, '.complete')) ? [] : [`test/.cache/cmake-js/${dir}`]),
    ...TOOLS.filter((t) => !hasTool(t)),
  ];
  if (missing.length === 0) return it;
  if (process.env.KILN_REQUIRE_TOOLCHAINS === '1') {
    throw new Error(
      `KILN_REQUIRE_TOOLCHAINS=1 but ${missing.join(', ')} is missing: run scripts/fetch-cmake-js-packages.sh`,
    );
  }
  return it.runIf(false) as typeof it;
}

/** A copy of the fetched package with the two-line build.config.ts a user would write. */
function packageCopy(dir: string, options = ''): string {
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'kiln-cmake-js-')), 'pkg ü');
  cpSync(path.join(CACHE, dir), root, { recursive: true, verbatimSymlinks: true });
  symlinkSync(REPO_ROOT, path.join(root, 'node_modules', 'kilnjs'), 'dir');
  writeFileSync(
    path.join(root, 'build.config.ts'),
    `import { cmake, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [cmake({ source: '.'${options} })] });\n`,
  );
  return root;
}

async function build(root: string): Promise<void> {
  const r = await kiln(root, ['build'], { timeout: 900_000 });
  expect(r.exitCode, r.all).toBe(0);
}

async function printLinkFlags(root: string): Promise<string> {
  const r = await kiln(root, ['print', '--cflags', '--libs']);
  expect(r.exitCode, r.all).toBe(0);
  return r.stdout;
}

async function runNode(cwd: string, args: string[]): Promise<string> {
  const r = await execa(process.execPath, args, { cwd, all: true, reject: false, timeout: 60_000 });
  expect(r.exitCode, r.all).toBe(0);
  return r.all ?? '';
}

describe('real cmake-js packages built by Kiln unchanged', () => {
  itPackage('leveldb-zlib-1.2.0')(
    'leveldb-zlib: vendored leveldb as a shared library next to the addon, its own tests pass after a move',
    { timeout: 900_000 },
    async () => {
      // cmake-js users pass --CDBUILD_SHARED_LIBS=ON; the vendored add_subdirectory(leveldb-mcpe)
      // then builds libleveldb.so, which the addon finds through $ORIGIN.
      const root = packageCopy('leveldb-zlib-1.2.0', ', defines: { BUILD_SHARED_LIBS: true }');
      await build(root);
      const release = path.join(root, 'build', 'Release');
      const addon = path.join(release, 'node-leveldb.node');
      expect(existsSync(addon)).toBe(true);
      expect(existsSync(path.join(release, 'libleveldb.so'))).toBe(true);
      const dyn = (await execa('readelf', ['-d', addon])).stdout;
      expect(dyn).toContain('[libleveldb.so]');
      expect(dyn).toMatch(/RUNPATH.*\$ORIGIN/);

      const flags = await printLinkFlags(root);
      expect(flags).toContain('-lleveldb');
      expect(flags).not.toContain('node-leveldb');
      // The project's add_definitions() are its own compile flags, not the library's interface.
      expect(flags).not.toContain('LEVELDB_PLATFORM_POSIX');

      // Moved (the absolute build path gone), the package still loads: $ORIGIN finds the library.
      const moved = `${root} moved`;
      renameSync(root, moved);
      const out = await runNode(moved, ['-r', SHIM, path.join('test', 'main.test.js')]);
      expect(out).toMatch(/# pass 3\n# fail 0/);
    },
  );

  itPackage('raknet-native-1.2.3')(
    'raknet-native: C++ with node-addon-api and a vendored static library answers a ping',
    { timeout: 900_000 },
    async () => {
      const root = packageCopy('raknet-native-1.2.3');
      await build(root);
      expect(existsSync(path.join(root, 'build', 'Release', 'node-raknet.node'))).toBe(true);
      // cmake-js never installs: the project's `${CMAKE_PREFIX_PATH}/lib` install rule (which
      // is `/lib`) must not run, and the archive is linked from the build tree.
      const flags = await printLinkFlags(root);
      expect(flags).toMatch(/\/raknet\/Lib\/LibStatic\/libRakNetLibStatic\.a/);
      expect(flags).not.toContain('node-raknet');
      // The ping of its test/server.js, through the package's own entry point.
      const script = `
const { Server, Client } = require('.');
const message = 'FMCPE;Kiln;408;1.16.20;0;5;0;Kiln;Creative;';
const port = 20000 + (process.pid % 20000);
const server = new Server('127.0.0.1', port, { maxConnections: 3, minecraft: {}, message: Buffer.from(message) });
const client = new Client('127.0.0.1', port, 'minecraft');
const timer = setTimeout(() => { console.log('no pong'); process.exit(1); }, 20000);
client.on('pong', (data) => {
  console.log(data.extra && data.extra.toString() === message ? 'pong ok' : 'pong mismatch');
  clearTimeout(timer);
  client.close();
  server.close();
  setTimeout(() => process.exit(0), 200);
});
server.listen();
client.ping();
`;
      expect(await runNode(root, ['-e', script])).toContain('pong ok');
    },
  );

  itPackage('xxhash32-node-cmake-1.1.0')(
    'xxhash32-node-cmake: a NAN addon gets nan and the full Node headers in CMAKE_JS_INC',
    { timeout: 900_000 },
    async () => {
      // Its CMakeLists names nan only at /usr/local/lib/node_modules/nan; CMAKE_JS_INC has the
      // package's own, as cmake-js resolves it.
      const root = packageCopy('xxhash32-node-cmake-1.1.0');
      await build(root);
      expect(existsSync(path.join(root, 'build', 'Release', 'xxhash-node-cmake.node'))).toBe(true);
      expect(await printLinkFlags(root)).not.toContain('xxhash-node-cmake');
      // Its own test script, then XXH32("abc", seed 0), the reference vector 0x32d153ff.
      await runNode(root, [path.join('test', 'index.js')]);
      const out = await runNode(root, [
        '-e',
        "const { XXHash32 } = require('.'); console.log(new XXHash32(0).hash('abc').toString(16))",
      ]);
      expect(out.trim()).toBe('32d153ff');
    },
  );
});
