import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { findRunningNodeHeaders } from '../../../src/plugins/addon/headers.js';
import {
  cmakeJsSetup,
  detectCmakeJs,
  napiVersionFor,
  npmConfigDefines,
  readCmakeJsConfig,
} from '../../../src/plugins/cmake/cmake-js.js';
import { createTestBuild } from '../../../src/testing.js';
import { kiln, makePackage, REPO_ROOT } from '../../support/package.js';
import { itWith } from '../../support/tools.js';
import { cmakeConfig, runBuild } from './support.js';

const FIXTURE = path.join(REPO_ROOT, 'native-fixtures', 'cmake-js');

/** The fixture copied to a package root (a folder with a space and non-ASCII letters), cmake-js style. */
function cmakeJsPackage(pkg: Record<string, unknown>, call = `cmake({ source: '.' })`): string {
  const root = makePackage({ 'build.config.ts': cmakeConfig(call) }, { dirName: 'addon pkg ü' });
  cpSync(FIXTURE, root, { recursive: true });
  writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'cjs-fixture', version: '1.0.0', type: 'module', ...pkg }, null, 2),
  );
  return root;
}

function readVars(buildDir: string): Record<string, string> {
  const text = readFileSync(path.join(buildDir, 'cmake-js-vars.txt'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('cmake plugin: cmake-js projects', () => {
  itWith(
    'cmake',
    'gcc',
    'readelf',
  )(
    'sets cmake-js variables, puts the addon and its shared library in build/Release, reports the library only',
    async () => {
      const root = cmakeJsPackage({
        'cmake-js': { runtime: 'node' },
        binary: { napi_versions: [3, 8, 99] },
      });
      const { project, result } = await runBuild(root);
      const release = path.join(root, 'build', 'Release');
      const vars = readVars(project.buildDir);
      expect(vars).toMatchObject({
        CMAKE_JS_INC: findRunningNodeHeaders()!.includeDir,
        CMAKE_JS_SRC: '',
        CMAKE_JS_LIB: '',
        NODE_RUNTIME: 'node',
        NODE_RUNTIMEVERSION: process.versions.node,
        NODE_ARCH: process.arch,
        // The highest listed version this Node supports (99 is beyond any).
        NAPI_VERSION: '8',
        CMAKE_BUILD_TYPE: 'Release',
        CMAKE_LIBRARY_OUTPUT_DIRECTORY: release,
      });
      expect(vars.CMAKE_JS_VERSION).toMatch(/^\d+\.\d+\.\d+$/);

      // The addon and the library it links sit together; the addon finds it through $ORIGIN.
      const addon = path.join(release, 'cjs_addon.node');
      expect(existsSync(addon)).toBe(true);
      expect(existsSync(path.join(release, 'libgreet.so.1'))).toBe(true);
      const dyn = (await execa('readelf', ['-d', addon])).stdout;
      expect(dyn).toMatch(/R(UN)?PATH.*\$ORIGIN/);
      // Moved elsewhere (the absolute build path gone from reach), it still loads.
      const moved = path.join(os.tmpdir(), `kiln-cjs-moved-${process.pid}`);
      mkdirSync(moved, { recursive: true });
      cpSync(release, moved, { recursive: true, verbatimSymlinks: true });
      for (const dir of [release, moved]) {
        const run = await execa(process.execPath, [
          '-e',
          `const m = require(${JSON.stringify(path.join(dir, 'cjs_addon.node'))}); console.log(m.greet(), m.napiVersion)`,
        ]);
        expect(run.stdout).toBe('hello from greet 8');
      }

      // The module is an artifact, never a library to link.
      expect(project.modules).toEqual(
        expect.arrayContaining([
          { name: 'cjs_addon', path: addon, kind: 'addon' },
          { name: 'greet_plugin', path: path.join(release, 'libgreet_plugin.so'), kind: 'file' },
        ]),
      );
      expect(project.modules).toHaveLength(2);
      expect(result.manifest.libs.map((l) => l.name)).toEqual(['greet']);
      expect(result.manifest.artifacts).toContainEqual(
        expect.objectContaining({ kind: 'addon', path: addon }),
      );
      // Only usage requirements: add_definitions() and include_directories(CMAKE_JS_INC) stay in.
      expect(result.manifest.defines).toEqual([{ name: 'GREET_SHARED', value: '1' }]);
      expect(result.manifest.includes).toEqual([path.join(root, 'greet')]);
    },
  );

  itWith('cmake', 'gcc')(
    'kiln print --libs --cflags names neither the addon nor add_definitions()',
    async () => {
      const root = cmakeJsPackage({ 'cmake-js': {} });
      const r = await kiln(root, ['build']);
      expect(r.exitCode, r.all).toBe(0);
      const flags = await kiln(root, ['print', '--cflags', '--libs']);
      expect(flags.exitCode, flags.all).toBe(0);
      expect(flags.stdout).toContain('-DGREET_SHARED=1');
      expect(flags.stdout).not.toContain('HAVE_CONFIG_H');
      expect(flags.stdout).not.toContain('cjs_addon');
      // No binary.napi_versions: NAPI_VERSION is left to the headers, as cmake-js does.
      expect(existsSync(path.join(root, 'build', 'Release', 'cjs_addon.node'))).toBe(true);
    },
  );

  itWith('cmake', 'gcc')(
    'the debug profile writes build/Debug with CMAKE_BUILD_TYPE Debug',
    async () => {
      const root = cmakeJsPackage({ binary: { napi_versions: [4] } });
      const { project } = await runBuild(root, { profile: 'debug' });
      const vars = readVars(project.buildDir);
      expect(vars.CMAKE_BUILD_TYPE).toBe('Debug');
      expect(existsSync(path.join(root, 'build', 'Debug', 'cjs_addon.node'))).toBe(true);
      expect(existsSync(path.join(root, 'build', 'Release'))).toBe(false);
    },
  );
});

describe('cmake plugin: cmake-js rebuilds', () => {
  itWith('cmake', 'gcc')(
    'a second build runs no cmake; a deleted addon or changed napi_versions builds again',
    async () => {
      const root = cmakeJsPackage({ binary: { napi_versions: [4] } });
      await runBuild(root);
      const again = await runBuild(root);
      expect(again.cmake).toEqual([]);

      const addon = path.join(root, 'build', 'Release', 'cjs_addon.node');
      rmSync(addon);
      const rebuilt = await runBuild(root);
      expect(rebuilt.cmake.map((argv) => argv[0])).toEqual(['--build']);
      expect(existsSync(addon)).toBe(true);

      const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
      writeFileSync(
        path.join(root, 'package.json'),
        JSON.stringify({ ...pkg, binary: { napi_versions: [5] } }),
      );
      const changed = await runBuild(root);
      expect(changed.project.configured).toBe(true);
      expect(readVars(changed.project.buildDir).NAPI_VERSION).toBe('5');
    },
  );
});

describe('cmake-js settings', () => {
  it('detects a cmake-js project by its CMakeLists or a package.json "cmake-js" object at the root', () => {
    const root = makePackage({
      'CMakeLists.txt': `project(x)\ninclude_directories(\${CMAKE_JS_INC})\n`,
      'vendor/lib/CMakeLists.txt': 'project(lib)\n',
    });
    expect(detectCmakeJs(root, root)).toBe(true);
    expect(detectCmakeJs(root, path.join(root, 'vendor', 'lib'))).toBe(false);
    const other = makePackage({ 'CMakeLists.txt': 'project(x)\n' });
    expect(detectCmakeJs(other, other)).toBe(false);
    writeFileSync(path.join(other, 'package.json'), JSON.stringify({ 'cmake-js': {} }));
    expect(detectCmakeJs(other, other)).toBe(true);
    // A vendored project of a cmake-js package is not one.
    mkdirSync(path.join(other, 'vendor'));
    expect(detectCmakeJs(other, path.join(other, 'vendor'))).toBe(false);
  });

  it('picks the highest binary.napi_versions entry the running Node supports', () => {
    const root = makePackage({});
    const write = (pkg: unknown) =>
      writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg));
    write({ binary: { napi_versions: [3, 6, 9, 10] } });
    expect(napiVersionFor(root, 9)).toBe(9);
    expect(napiVersionFor(root, 8)).toBe(6);
    write({});
    expect(napiVersionFor(root, 9)).toBeUndefined();
    write({ binary: { napi_versions: [12] } });
    expect(() => napiVersionFor(root, 9)).toThrow(/supports Node-API up to 9/);
    write({ binary: { napi_versions: '8' } });
    expect(() => napiVersionFor(root, 9)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('reads runtime, runtimeVersion and arch; warns about other keys and other runtimes', () => {
    const root = makePackage({});
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({
        'cmake-js': { runtime: 'electron', runtimeVersion: '30.0.0', arch: 'arm64', foo: 1 },
      }),
    );
    const warnings: string[] = [];
    const config = readCmakeJsConfig(
      root,
      { runtime: 'node', runtimeVersion: '20.0.0', arch: 'x64' },
      (m) => warnings.push(m),
    );
    expect(config).toEqual({ runtime: 'electron', runtimeVersion: '30.0.0', arch: 'arm64' });
    expect(warnings.join('\n')).toMatch(/"foo" is not a cmake-js setting/);
    expect(warnings.join('\n')).toMatch(/runtime is "electron"/);
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ 'cmake-js': { arch: 5 } }));
    expect(() =>
      readCmakeJsConfig(root, { runtime: 'node', runtimeVersion: '1', arch: 'x64' }, () => {}),
    ).toThrow(/"cmake-js"\.arch must be a non-empty string/);
  });

  it('CMAKE_JS_INC follows the addon headers rule and adds node-addon-api; outputs go to build/Release', async () => {
    const root = makePackage({});
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ devDependencies: { 'node-api-headers': '*', 'node-addon-api': '*' } }),
    );
    const modules = path.join(REPO_ROOT, 'node_modules');
    for (const name of ['node-api-headers', 'node-addon-api'])
      symlinkSync(path.join(modules, name), path.join(root, 'node_modules', name), 'dir');
    // An x86_64 target: NODE_ARCH below is its Node arch.
    const { ctx } = createTestBuild({
      root,
      target: 'x86_64-unknown-linux-gnu',
      profile: 'release',
    });
    const setup = await cmakeJsSetup(ctx, path.join(root, 'step'));
    expect(setup.entries.get('CMAKE_JS_INC')).toBe(
      // As require() resolves them (the real folders behind the links).
      [
        path.join(realpathSync(path.join(modules, 'node-api-headers')), 'include'),
        realpathSync(path.join(modules, 'node-addon-api')),
      ].join(';'),
    );
    expect(setup.entries.get('NODE_ARCH')).toBe('x64');
    expect(setup.entries.has('NAPI_VERSION')).toBe(false);
    const release = path.join(root, 'build', 'Release');
    expect(setup.outputDir).toBe(release);
    for (const key of [
      'CMAKE_LIBRARY_OUTPUT_DIRECTORY',
      'CMAKE_RUNTIME_OUTPUT_DIRECTORY',
      'CMAKE_LIBRARY_OUTPUT_DIRECTORY_RELEASE',
      'CMAKE_RUNTIME_OUTPUT_DIRECTORY_DEBUG',
    ])
      expect(setup.entries.get(key), key).toBe(release);
    expect(setup.entries.get('CMAKE_BUILD_RPATH')).toBe('$ORIGIN');
  });

  itWith('llvm-dlltool')(
    "Windows: the addon plugin's delay-load hook and node.lib, generated from node-api-headers' .def files",
    async () => {
      const root = makePackage({});
      const { ctx } = createTestBuild({
        root,
        target: 'x86_64-pc-windows-msvc',
        profile: 'release',
      });
      const win = await cmakeJsSetup(ctx, path.join(root, 'step'));
      // C, so a `project(x C)` cmake-js project compiles it.
      expect(win.entries.get('CMAKE_JS_SRC')).toMatch(/win_delay_load_hook\.c$/);
      expect(readFileSync(win.entries.get('CMAKE_JS_SRC')!, 'utf8')).toContain('GetModuleHandleA');
      expect(win.entries.get('CMAKE_JS_NODELIB_DEF')).toMatch(/node\.def$/);
      const lib = win.entries.get('CMAKE_JS_LIB')!;
      expect(lib).toBe(win.entries.get('CMAKE_JS_NODELIB_TARGET'));
      expect(path.basename(lib)).toBe('node.lib');
      const members = await execa('llvm-nm', [lib]);
      expect(members.stdout).toContain('__imp_napi_create_function');
      expect(win.toolchainLines.join('\n')).toContain('/DELAYLOAD:NODE.EXE');
    },
  );

  it('npm config cmake_<name> becomes a define, read as a tracked variable; cmake_js_* does not', () => {
    const set = { npm_config_cmake_flavour: 'ng', npm_config_cmake_js_g: 'x' };
    Object.assign(process.env, set);
    try {
      const read: string[] = [];
      const defines = npmConfigDefines({
        getEnv: (name) => {
          read.push(name);
          return process.env[name];
        },
      });
      expect([...defines]).toEqual([['flavour', 'ng']]);
      expect(read).toEqual(['npm_config_cmake_flavour']);
    } finally {
      for (const k of Object.keys(set)) delete process.env[k];
    }
  });
});
