import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect } from 'vitest';
import { currentHost } from '../../src/plugins/addon/prebuilds.js';
import { KILN_BIN, kiln, REPO_ROOT } from '../support/package.js';
import { itWith } from '../support/tools.js';

const it = itWith('cc', 'npm');

const ADDON_C = `#include <node_api.h>

static napi_value hello(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value s;
  napi_create_string_utf8(env, "hello from the addon", NAPI_AUTO_LENGTH, &s);
  return s;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "hello", NAPI_AUTO_LENGTH, hello, NULL, &fn);
  napi_set_named_property(env, exports, "hello", fn);
  return exports;
}
`;

const CONFIG = `import { addon, defineConfig } from 'kilnjs';

export default defineConfig({
  plugins: [addon({ name: 'hello', sources: ['src/hello.c'], prebuild: true })],
});
`;

const INDEX = `import { loadAddon } from 'kilnjs';

export const addon = loadAddon('hello', { root: import.meta.url });
`;

const host = currentHost({});
const single = `${host.platform}-${host.arch}`;
const prebuildRel = `prebuilds/${single}/hello.napi${host.platform === 'linux' ? `.${host.libc}` : ''}.node`;

let base: string;
let kilnStub: string;
let kilnTarball: string;
let prebuildFixture: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/**
 * A `kilnjs` that forwards to this checkout's built CLI and library. It has no dependencies of its
 * own, so `npm install --offline` installs it without a registry and never touches the
 * checkout's node_modules (a `file:` link to the checkout itself would have npm reify it).
 */
function makeKilnStub(dir: string): void {
  const version = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
  write(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'kilnjs',
      version,
      type: 'module',
      bin: { kiln: 'bin/kiln.js' },
      exports: { '.': './index.js' },
    }),
  );
  write(
    path.join(dir, 'bin', 'kiln.js'),
    `#!/usr/bin/env node\nimport ${JSON.stringify(new URL(`file://${KILN_BIN}`).href)};\n`,
  );
  chmodSync(path.join(dir, 'bin', 'kiln.js'), 0o755);
  const lib = new URL(`file://${path.join(REPO_ROOT, 'dist', 'index.js')}`).href;
  write(path.join(dir, 'index.js'), `export * from ${JSON.stringify(lib)};\n`);
}

/** The addon package's sources, with `install: kiln install` and kilnjs as a dependency. */
function makeAddonPackage(dir: string): void {
  write(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'hello-addon',
        version: '1.0.0',
        type: 'module',
        main: 'index.js',
        files: ['index.js', 'build.config.ts', 'src', 'prebuilds'],
        scripts: { install: 'kiln install' },
        dependencies: { kilnjs: `file:${kilnTarball}` },
      },
      null,
      2,
    ),
  );
  write(path.join(dir, 'build.config.ts'), CONFIG);
  write(path.join(dir, 'src', 'hello.c'), ADDON_C);
  write(path.join(dir, 'index.js'), INDEX);
}

/** `npm pack` of `dir`, with its `prebuilds/` replaced by `prebuilds` (or removed when null). */
async function pack(name: string, prebuilds: Record<string, string> | null): Promise<string> {
  const dir = path.join(base, `src ${name}`);
  makeAddonPackage(dir);
  for (const [rel, from] of Object.entries(prebuilds ?? {})) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), readFileSync(from));
  }
  const out = path.join(base, 'tarballs', name);
  mkdirSync(out, { recursive: true });
  await execa('npm', ['pack', '--pack-destination', out, '--ignore-scripts'], {
    cwd: dir,
    env: npmEnv(),
  });
  return path.join(out, 'hello-addon-1.0.0.tgz');
}

function npmEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    npm_config_cache: path.join(base, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    NO_COLOR: '1',
    ...extra,
  };
}

interface Installed {
  dir: string;
  pkg: string;
  output: string;
  exitCode: number;
  compilerCalls: string[];
}

/**
 * `npm install <tarball>` in a fresh folder, offline, with `CC` a wrapper that records each call
 * (then runs the real cc), so a test can tell whether anything was compiled.
 */
async function npmInstall(
  tarball: string,
  env: Record<string, string> = {},
  name = 'app',
): Promise<Installed> {
  const dir = path.join(base, `fresh ${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  const log = path.join(base, `cc-calls-${name}.log`);
  const wrapper = path.join(base, `recording cc ${name}`);
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec cc "$@"\n`);
  chmodSync(wrapper, 0o755);
  const r = await execa(
    'npm',
    ['install', '--offline', '--foreground-scripts', '--no-package-lock', tarball],
    { cwd: dir, env: npmEnv({ CC: wrapper, ...env }), reject: false, all: true, timeout: 240_000 },
  );
  return {
    dir,
    pkg: path.join(dir, 'node_modules', 'hello-addon'),
    output: r.all ?? '',
    exitCode: r.exitCode ?? 1,
    compilerCalls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [],
  };
}

/** Imports the installed package (which calls loadAddon) in a fresh Node process. */
async function helloFrom(dir: string): Promise<string> {
  const r = await execa(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const m = await import('hello-addon'); console.log(m.addon.hello());",
    ],
    { cwd: dir },
  );
  return r.stdout.trim();
}

describe('kiln install through npm install of a packed package', () => {
  beforeAll(async () => {
    base = mkdtempSync(path.join(os.tmpdir(), 'kiln-install- ñ'));
    kilnStub = path.join(base, 'kilnjs stub');
    makeKilnStub(kilnStub);
    // A tarball, not a folder: npm links a folder dependency's bin only after the dependents'
    // install scripts ran, while a packed kilnjs is installed as it is from a registry.
    await execa('npm', ['pack', '--pack-destination', base, '--ignore-scripts'], {
      cwd: kilnStub,
      env: npmEnv(),
    });
    kilnTarball = path.join(base, readdirSync(base).find((f) => f.startsWith('kilnjs-'))!);
    // Build the prebuild the way a package author does: `kiln build` with `prebuild: true`.
    prebuildFixture = path.join(base, 'author');
    makeAddonPackage(prebuildFixture);
    mkdirSync(path.join(prebuildFixture, 'node_modules'));
    symlinkSync(kilnStub, path.join(prebuildFixture, 'node_modules', 'kilnjs'), 'dir');
    const built = await kiln(prebuildFixture, ['build']);
    expect(built.exitCode, built.all).toBe(0);
    expect(existsSync(path.join(prebuildFixture, prebuildRel))).toBe(true);
  }, 240_000);

  it('(a, d) uses a matching prebuild without compiling, and loadAddon loads it', async () => {
    const tarball = await pack('matching', {
      [prebuildRel]: path.join(prebuildFixture, prebuildRel),
    });
    const r = await npmInstall(tarball, {}, 'matching');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain(`kiln install: using ${prebuildRel}`);
    expect(r.compilerCalls).toEqual([]);
    expect(existsSync(path.join(r.pkg, 'build'))).toBe(false);
    // No build/ folder: loadAddon found the prebuildify-named file.
    expect(await helloFrom(r.dir)).toBe('hello from the addon');
  }, 300_000);

  it('(b) builds from source when the only prebuild is for another arch', async () => {
    const otherArch = host.arch === 'x64' ? 'arm64' : 'x64';
    const foreign = `prebuilds/${host.platform}-${otherArch}/${path.basename(prebuildRel)}`;
    const tarball = await pack('foreign', { [foreign]: path.join(prebuildFixture, prebuildRel) });
    const r = await npmInstall(tarball, {}, 'foreign');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain(`kiln install: no prebuild fits ${single}`);
    expect(r.output).toContain('kiln install: built from source');
    expect(r.compilerCalls.some((c) => c.includes('hello.c'))).toBe(true);
    expect(existsSync(path.join(r.pkg, 'build', 'Release', 'hello.node'))).toBe(true);
    expect(await helloFrom(r.dir)).toBe('hello from the addon');
  }, 300_000);

  it('(c) KILN_BUILD_FROM_SOURCE=1 builds even with a matching prebuild', async () => {
    const tarball = await pack('forced', {
      [prebuildRel]: path.join(prebuildFixture, prebuildRel),
    });
    const r = await npmInstall(tarball, { KILN_BUILD_FROM_SOURCE: '1' }, 'forced');
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('KILN_BUILD_FROM_SOURCE is set; building from source (Release)');
    expect(r.output).not.toContain('kiln install: using');
    expect(r.compilerCalls.some((c) => c.includes('hello.c'))).toBe(true);
    expect(existsSync(path.join(r.pkg, 'build', 'Release', 'hello.node'))).toBe(true);
  }, 300_000);
});

describe('kiln install in a package folder', () => {
  it('builds when the matching prebuild does not load here', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-install-broken- '));
    makeAddonPackage(dir);
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'kilnjs'), 'dir');
    write(path.join(dir, prebuildRel), 'not an ELF file');
    const r = await kiln(dir, ['install']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain(`kiln install: ${prebuildRel} does not load here`);
    expect(r.all).toContain('kiln install: built from source');
    expect(existsSync(path.join(dir, 'build', 'Release', 'hello.node'))).toBe(true);
  }, 120_000);

  it('fails clearly with no build config and no prebuild that fits', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-install-none- '));
    write(path.join(dir, 'package.json'), '{"name":"none"}');
    write(path.join(dir, 'prebuilds', 'linux-nosucharch', 'x.napi.node'), '');
    const r = await kiln(dir, ['install']);
    expect(r.exitCode).toBe(2);
    expect(r.all).toContain(`no prebuild fits ${single}`);
    expect(r.all).toContain('no build.config.* to build it from');
    // npm's --build-from-source spelling is honoured too, and says so.
    const forced = await kiln(dir, ['install'], { env: { npm_config_build_from_source: 'true' } });
    expect(forced.exitCode).toBe(2);
    expect(forced.all).toContain('npm_config_build_from_source is set');
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses a matching prebuild without a build config', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-install-only- '));
    write(path.join(dir, 'package.json'), '{"name":"only"}');
    // The load test needs a real addon: build one with kiln in a sibling folder.
    const author = mkdtempSync(path.join(os.tmpdir(), 'kiln-install-author- '));
    makeAddonPackage(author);
    mkdirSync(path.join(author, 'node_modules'));
    symlinkSync(REPO_ROOT, path.join(author, 'node_modules', 'kilnjs'), 'dir');
    expect((await kiln(author, ['build'])).exitCode).toBe(0);
    write(path.join(dir, prebuildRel), '');
    writeFileSync(path.join(dir, prebuildRel), readFileSync(path.join(author, prebuildRel)));
    const r = await kiln(dir, ['install']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim()).toBe(`kiln install: using ${prebuildRel}`);
    const json = await kiln(dir, ['install', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      type: 'install',
      action: 'prebuild',
      file: prebuildRel,
    });

    // A second addon with prebuilds for another libc only: the package cannot load from
    // prebuilds, and with no build config that is an error naming the addon.
    const otherLibc = host.libc === 'glibc' ? 'musl' : 'glibc';
    write(path.join(dir, 'prebuilds', single, `second.napi.${otherLibc}.node`), '');
    const missing = await kiln(dir, ['install']);
    expect(missing.exitCode).toBe(2);
    expect(missing.all).toContain(`no prebuild of second fits ${single}`);
  }, 120_000);
});
