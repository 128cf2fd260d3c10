import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostTriple } from '../../src/target/triple.js';
import { resolveToolchain } from '../../src/toolchain/index.js';
import { testContext } from '../plugins/cc/context.js';
import { installFakeToolchain } from '../support/fake-cc/index.js';
import { kiln, makePackage, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';

interface Check {
  name: string;
  found: boolean;
  required: boolean;
  optional?: boolean;
  detail: string;
  path?: string;
  from?: string;
  wrapper?: string;
  dirs?: string[];
}

/** A PATH with only the C toolchain: no ccache, no lipo, no C++ headers packages. */
function cOnlyPath(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-doctor-bin-'));
  for (const tool of ['cc', 'ar']) {
    const found = (process.env.PATH ?? '')
      .split(path.delimiter)
      .map((d) => path.join(d, tool))
      .find((f) => existsSync(f));
    if (found) symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

const PURE_C = {
  'build.config.ts':
    "import { addon, defineConfig } from 'kilnjs';\nexport default defineConfig({ plugins: [addon({ name: 'hello', sources: ['src/addon.c'] })] });\n",
  'src/addon.c': '#include <node_api.h>\n',
};

describe('kiln doctor reports what the package needs', () => {
  itWith('gcc')(
    'a pure-C addon on Linux: nothing missing, ccache and lipo optional, exit 0',
    async () => {
      const root = makePackage(PURE_C);
      const env = { PATH: cOnlyPath(), CC: undefined, CXX: undefined, AR: undefined };
      const r = await kiln(root, ['doctor'], { env });
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).not.toMatch(/node-addon-api/);
      expect(r.stdout).not.toMatch(/^(miss|MISS)\s+(node-api-headers|ccache|lipo)/m);
      expect(r.stdout).toMatch(/^--\s+ccache\s+not installed \(optional: speeds up rebuilds\)$/m);
      const json = await kiln(root, ['doctor', '--json'], { env });
      expect(json.exitCode).toBe(0);
      const checks: Check[] = JSON.parse(json.stdout).checks;
      const byName = (n: string) => checks.find((c) => c.name === n);
      expect(byName('ccache')).toMatchObject({ found: false, required: false, optional: true });
      expect(byName('node-api-headers')).toMatchObject({ required: false, optional: true });
      if (process.platform !== 'darwin') {
        expect(byName('lipo')).toMatchObject({ required: false, optional: true });
      }
      expect(byName('node-addon-api')).toBeUndefined();
    },
  );

  it('a package with C++ sources is told node-addon-api is missing; one that declares it fails', async () => {
    const root = makePackage({ 'src/addon.cc': '#include <napi.h>\n' });
    const r = await kiln(root, ['doctor', '--json']);
    const checks: Check[] = JSON.parse(r.stdout).checks;
    expect(checks.find((c) => c.name === 'node-addon-api')).toMatchObject({
      found: false,
      required: false,
    });
    expect(checks.find((c) => c.name === 'node-addon-api')?.optional).toBeUndefined();

    const declared = makePackage({});
    const pkg = path.join(declared, 'package.json');
    const json = JSON.parse(readFileSync(pkg, 'utf8'));
    writeFileSync(pkg, JSON.stringify({ ...json, dependencies: { 'node-addon-api': '^8.0.0' } }));
    const d = await kiln(declared, ['doctor']);
    expect(d.stdout).toMatch(
      /^MISS\s+node-addon-api\s+not installed, but package.json declares it/m,
    );
    expect(d.exitCode).toBe(1);
  });
});

describe('kiln doctor reports what a build would use', () => {
  const host = hostTriple();
  const checksOf = async (
    root: string,
    args: string[],
    env: Record<string, string | undefined>,
  ) => {
    const r = await kiln(root, ['doctor', '--json', ...args], { env });
    expect(r.stdout, r.all).toMatch(/^\{/);
    const checks: Check[] = JSON.parse(r.stdout).checks;
    return (name: string) => checks.find((c) => c.name === name);
  };
  /** No compiler variables from the test's own environment. */
  const clean = {
    CC: undefined,
    CXX: undefined,
    AR: undefined,
    HOST_CC: undefined,
    TARGET_CC: undefined,
    CROSS_COMPILE: undefined,
    KILN_CC_WRAPPER: undefined,
    PKG_CONFIG_PATH: undefined,
    PKG_CONFIG_LIBDIR: undefined,
    PKG_CONFIG_SYSROOT_DIR: undefined,
  };

  it('names the compiler from CC_<host triple> and the KILN_CC_WRAPPER in front of it', async () => {
    const fake = installFakeToolchain(['my cc', 'ccache', 'cc', 'ar']);
    const compiler = path.join(fake.dir, 'my cc');
    const byName = await checksOf(makePackage({}), [], {
      ...clean,
      PATH: fake.dir,
      FAKE_CC_LOG: fake.log,
      [`CC_${host}`]: compiler,
      KILN_CC_WRAPPER: 'ccache',
    });
    expect(byName('cc')).toMatchObject({
      found: true,
      path: compiler,
      from: `CC_${host}`,
      wrapper: 'ccache',
    });
    expect(byName('cc')!.detail).toContain(`${compiler} (from CC_${host}, through ccache)`);
    // Doctor asked that compiler its version, not the default `cc`.
    expect(fake.calls()).toContainEqual({ name: 'my cc', args: ['--version'] });
    expect(fake.calls().filter((c) => c.name === 'cc')).toEqual([]);
  });

  it('lists PKG_CONFIG_PATH first, then PKG_CONFIG_LIBDIR in place of the defaults', async () => {
    const first = mkdtempSync(path.join(os.tmpdir(), 'kiln pc path '));
    const libdir = mkdtempSync(path.join(os.tmpdir(), 'kiln-pc-libdir-'));
    const root = makePackage({});
    const withPath = await checksOf(root, [], { ...clean, PKG_CONFIG_PATH: first });
    expect(withPath('pkg-config dirs')!.dirs![0]).toBe(first);
    const withLibdir = await checksOf(root, [], {
      ...clean,
      PKG_CONFIG_PATH: first,
      PKG_CONFIG_LIBDIR: libdir,
    });
    expect(withLibdir('pkg-config dirs')).toMatchObject({ found: true, dirs: [first, libdir] });
  });

  it('with --target reports the cross compiler and archiver the build would pick', async () => {
    const target = 'aarch64-unknown-linux-gnu';
    const gnu = installFakeToolchain([
      'cc',
      'ar',
      'clang',
      'llvm-ar',
      'aarch64-linux-gnu-gcc',
      'aarch64-linux-gnu-ar',
    ]);
    const llvm = installFakeToolchain(['cc', 'ar', 'clang', 'llvm-ar']);
    const root = makePackage({});
    for (const [fake, cc, ar] of [
      [gnu, 'aarch64-linux-gnu-gcc', 'aarch64-linux-gnu-ar'],
      [llvm, 'clang', 'llvm-ar'],
    ] as const) {
      const byName = await checksOf(root, ['--target', target], { ...clean, PATH: fake.dir });
      expect(byName('cc')).toMatchObject({ found: true, path: path.join(fake.dir, cc) });
      expect(byName('ar')).toMatchObject({ found: true, path: path.join(fake.dir, ar) });
      // The same answer as the build's own toolchain resolution.
      const saved = process.env.PATH;
      process.env.PATH = fake.dir;
      try {
        const tc = await resolveToolchain(
          testContext({ root, env: { PATH: fake.dir, FAKE_CC_LOG: fake.log }, target }).ctx,
        );
        expect([tc.cc.path, tc.ar.path]).toEqual([byName('cc')!.path, byName('ar')!.path]);
      } finally {
        process.env.PATH = saved;
      }
    }
  });

  it('refuses an unknown target as a usage error', async () => {
    const r = await kiln(makePackage({}), ['doctor', '--target', 'aarch64-unknown-linux-gnux']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('aarch64-unknown-linux-gnux');
  });
});

describe('kiln in an installed package', () => {
  it('imports only Node built-ins and its own dependencies (no devDependency such as execa)', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const allowed = new Set([pkg.name as string, ...Object.keys(pkg.dependencies ?? {})]);
    const bad: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, e.name);
        if (e.isDirectory()) walk(file);
        else if (e.name.endsWith('.js')) {
          const text = readFileSync(file, 'utf8');
          // Static imports and exports at a line start, and import('x') calls; specifiers have no spaces.
          const specs =
            /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"\s]+)['"]|\bimport\(\s*['"]([^'"\s]+)['"]\s*\)/gm;
          for (const m of text.matchAll(specs)) {
            const spec = (m[1] ?? m[2])!;
            // Bundled code may name a built-in without `node:` (`fs`, `path`).
            if (spec.startsWith('.') || isBuiltin(spec)) continue;
            const name = spec.startsWith('@')
              ? spec.split('/').slice(0, 2).join('/')
              : spec.split('/')[0]!;
            if (!allowed.has(name)) bad.push(`${path.relative(REPO_ROOT, file)}: ${spec}`);
          }
        }
      }
    };
    walk(path.join(REPO_ROOT, 'dist'));
    expect(bad).toEqual([]);
  });
});
