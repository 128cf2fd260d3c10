import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import type { BuildContext } from '../../runner/types.js';
import { gnuToolPrefix } from '../../target/cross.js';
import { toNode } from '../../target/node.js';
import { isApple } from '../../target/triple.js';
import type { Toolchain } from '../../toolchain/types.js';
import {
  declaredDependency,
  readPackageJson as readPackageJsonFile,
} from '../../util/package-json.js';
import { findNodeAddonApi, findNodeApiHeaders } from '../addon/headers.js';
import { configurationDir } from '../addon/layout.js';
import { nodeImportLibrary, writeDelayLoadHook } from '../addon/windows.js';

/**
 * The cmake-js release whose variables Kiln provides (the 7.x design, which npm's 8.0.0 keeps).
 * Projects test `if(CMAKE_JS_VERSION)`; a few compare it.
 */
export const CMAKE_JS_COMPAT_VERSION = '7.4.0';

/** The keys cmake-js reads from the `"cmake-js"` object of the package's package.json. */
const CONFIG_KEYS = ['runtime', 'runtimeVersion', 'arch'] as const;

/** The configuration keys every multi-config generator and CMake's own build types use. */
const CONFIGS = ['DEBUG', 'RELEASE', 'RELWITHDEBINFO', 'MINSIZEREL'];

interface PackageJson {
  'cmake-js'?: unknown;
  binary?: { napi_versions?: unknown };
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
  peerDependencies?: Record<string, unknown>;
}

function readPackageJson(root: string): PackageJson | undefined {
  return readPackageJsonFile(root, 'the cmake step reads its "cmake-js" and "binary" fields') as
    | PackageJson
    | undefined;
}

/**
 * Whether `cmake()` provides cmake-js's variables when the `cmakeJs` option is left out: the
 * project's top-level CMakeLists.txt reads a `CMAKE_JS_*` variable, or the project is the package
 * itself and its package.json has a `"cmake-js"` object. A vendored library in a sub-folder of a
 * cmake-js package is not a cmake-js project: its outputs must stay in Kiln's build tree.
 */
export function detectCmakeJs(packageRoot: string, sourceDir: string): boolean {
  const lists = path.join(sourceDir, 'CMakeLists.txt');
  if (existsSync(lists) && /\bCMAKE_JS_(?:INC|SRC|LIB|VERSION)\b/.test(readFileSync(lists, 'utf8')))
    return true;
  if (path.resolve(sourceDir) !== path.resolve(packageRoot)) return false;
  const pkg = readPackageJson(packageRoot);
  return typeof pkg?.['cmake-js'] === 'object' && pkg['cmake-js'] !== null;
}

export interface CmakeJsConfig {
  runtime: string;
  runtimeVersion: string;
  arch: string;
}

/** The `"cmake-js"` object of package.json, validated; defaults are the running Node and the target's arch. */
export function readCmakeJsConfig(
  packageRoot: string,
  defaults: CmakeJsConfig,
  warn: (message: string) => void,
): CmakeJsConfig {
  const raw = readPackageJson(packageRoot)?.['cmake-js'];
  if (raw === undefined) return defaults;
  const where = `${path.join(packageRoot, 'package.json')} "cmake-js"`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new KilnError('CONFIG_INVALID', `${where} must be an object`, {
      hint: 'cmake-js reads { "runtime": "node", "runtimeVersion": "...", "arch": "x64" } there.',
    });
  }
  const out = { ...defaults };
  for (const [key, value] of Object.entries(raw)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      warn(`${where}: "${key}" is not a cmake-js setting Kiln reads; it is ignored`);
      continue;
    }
    if (typeof value !== 'string' || value === '') {
      throw new KilnError('CONFIG_INVALID', `${where}.${key} must be a non-empty string`, {
        hint: `Set "${key}" to a string, or remove it to use ${defaults[key as keyof CmakeJsConfig]}.`,
      });
    }
    out[key as keyof CmakeJsConfig] = value;
  }
  if (out.runtime !== 'node') {
    // Node-API addons load in Electron and NW.js unchanged; their V8 headers are not available offline.
    warn(
      `${where}.runtime is "${out.runtime}": Kiln compiles against Node's headers (Node-API is the same in every runtime)`,
    );
  }
  return out;
}

/**
 * cmake-js's choice of `NAPI_VERSION`: the highest of package.json `binary.napi_versions` that the
 * running Node supports. Undefined when the package lists none (cmake-js then sets nothing).
 */
export function napiVersionFor(
  packageRoot: string,
  supported: number = Number(process.versions.napi),
): number | undefined {
  const raw = readPackageJson(packageRoot)?.binary?.napi_versions;
  if (raw === undefined) return undefined;
  const where = `${path.join(packageRoot, 'package.json')} "binary.napi_versions"`;
  if (!Array.isArray(raw) || !raw.every((v) => Number.isInteger(v) && v > 0)) {
    throw new KilnError('CONFIG_INVALID', `${where} must be a list of Node-API versions`, {
      hint: 'Write it as "binary": { "napi_versions": [8] }.',
    });
  }
  const usable = (raw as number[]).filter((v) => v <= supported);
  if (usable.length === 0) {
    throw new KilnError(
      'CONFIG_INVALID',
      `${where} lists ${raw.join(', ')}, but this Node (${process.version}) supports Node-API up to ${supported}`,
      { hint: `Add a version up to ${supported} to the list, or build with a newer Node.` },
    );
  }
  return Math.max(...usable);
}

/** What a cmake-js project expects on top of Kiln's own entries, and where its addon lands. */
export interface CmakeJsSetup {
  entries: Map<string, string>;
  /** `<package>/build/Release` or `build/Debug`: the addon and the shared libraries it links. */
  outputDir: string;
  /** Lines appended to the generated toolchain file (flags cmake-js adds). */
  toolchainLines: string[];
}

/**
 * The variables cmake-js passes (research: node-anchors §2.1), computed for this build:
 * headers by the addon plugin's rule, nan and node-addon-api when the package can resolve them, runtime,
 * arch and Node-API version from package.json, and output folders that put every library and
 * module of the project into `build/<Release|Debug>`, where `bindings` and `node-gyp-build` look
 * and where an `$ORIGIN` runpath finds the shared libraries next to the addon.
 */
export async function cmakeJsSetup(
  ctx: Pick<
    BuildContext,
    'packageRoot' | 'target' | 'profile' | 'log' | 'getEnv' | 'exec' | 'trackFiles' | 'trackTool'
  >,
  stepDir: string,
  toolchain?: Pick<Toolchain, 'ar'>,
): Promise<CmakeJsSetup> {
  const root = ctx.packageRoot;
  const nodeTarget = toNode(ctx.target);
  const config = readCmakeJsConfig(
    root,
    { runtime: 'node', runtimeVersion: process.versions.node, arch: nodeTarget.arch },
    (m) => ctx.log.warn(`cmake: ${m}`),
  );
  const headers = findNodeApiHeaders(root, 'auto');
  const includes = [headers.includeDir];
  // cmake-js adds nan's folder too when the package resolves it (NAN addons: full Node headers).
  const nan = resolvePackageDir(root, 'nan', 'nan.h');
  if (nan) includes.push(nan);
  const addonApi = findNodeAddonApi(root);
  if (addonApi) includes.push(addonApi);
  else if (declares(root, 'node-addon-api')) {
    throw new KilnError(
      'TOOL_NOT_FOUND',
      `node-addon-api not found: ${path.join(root, 'package.json')} declares it but ${root} cannot resolve it`,
      { hint: 'Run: npm install (the dependency is declared but not installed)' },
    );
  }
  const windows = ctx.target.os === 'windows';
  const outputDir = path.join(root, 'build', configurationDir(ctx.profile));
  const e = new Map<string, string>();
  e.set('CMAKE_JS_VERSION', CMAKE_JS_COMPAT_VERSION);
  e.set('CMAKE_JS_INC', includes.join(';'));
  e.set('NODE_RUNTIME', config.runtime);
  e.set('NODE_RUNTIMEVERSION', config.runtimeVersion);
  e.set('NODE_ARCH', config.arch);
  if (windows) {
    // Addons on Windows link node.lib and need the delay-load hook so they bind to whichever
    // executable loaded them: the addon plugin's own generator and hook (see addon/windows.ts).
    const dir = path.join(stepDir, 'kiln-cmake-js');
    const nodeLib = await nodeImportLibrary(
      ctx,
      ctx.target,
      dir,
      toolchain && gnuToolPrefix(toolchain.ar.path),
    );
    e.set('CMAKE_JS_SRC', await writeDelayLoadHook(dir));
    e.set('CMAKE_JS_LIB', nodeLib.path);
    // cmake-js's README has projects regenerate node.lib from these with `${CMAKE_AR} /def:`.
    e.set('CMAKE_JS_NODELIB_DEF', path.join(dir, 'node.def'));
    e.set('CMAKE_JS_NODELIB_TARGET', nodeLib.path);
  } else {
    e.set('CMAKE_JS_SRC', '');
    e.set('CMAKE_JS_LIB', '');
  }
  if (windows && ctx.target.env === 'msvc') {
    // The static C runtime, as cmake-js asks for: a dynamic one crashes some addons freeing memory.
    e.set('CMAKE_MSVC_RUNTIME_LIBRARY', 'MultiThreaded$<$<CONFIG:Debug>:Debug>');
  }
  for (const [key, value] of npmConfigDefines(ctx)) e.set(key, value);
  const napi = napiVersionFor(root);
  if (napi !== undefined) e.set('NAPI_VERSION', String(napi));
  for (const kind of ['LIBRARY', 'RUNTIME']) {
    e.set(`CMAKE_${kind}_OUTPUT_DIRECTORY`, outputDir);
    for (const c of CONFIGS) e.set(`CMAKE_${kind}_OUTPUT_DIRECTORY_${c}`, outputDir);
  }
  if (!windows) {
    // The addon and the project's shared libraries share a folder: a relative runpath keeps the
    // package relocatable (the absolute build-tree path CMake also records stops mattering).
    e.set('CMAKE_BUILD_RPATH', isApple(ctx.target) ? '@loader_path' : '$ORIGIN');
  }
  const toolchainLines: string[] = [];
  // CMake reads the toolchain file more than once per configure: append each flag once.
  const append = (variable: string, flag: string) =>
    toolchainLines.push(
      `if(NOT " \${${variable}} " MATCHES " ${flag} ")`,
      `  string(APPEND ${variable} " ${flag}")`,
      'endif()',
    );
  append('CMAKE_C_FLAGS_INIT', '-DBUILDING_NODE_EXTENSION');
  append('CMAKE_CXX_FLAGS_INIT', '-DBUILDING_NODE_EXTENSION');
  for (const kind of ['SHARED', 'MODULE']) {
    // With node.exe delay-loaded, the hook in CMAKE_JS_SRC decides which module provides Node-API.
    if (windows && ctx.target.env === 'msvc') {
      append(`CMAKE_${kind}_LINKER_FLAGS_INIT`, '/DELAYLOAD:NODE.EXE');
      append(`CMAKE_${kind}_LINKER_FLAGS_INIT`, 'delayimp.lib');
    }
    // Node's symbols are resolved when the addon is loaded, as cmake-js links on macOS.
    if (isApple(ctx.target)) append(`CMAKE_${kind}_LINKER_FLAGS_INIT`, '-undefined dynamic_lookup');
  }
  return { entries: e, outputDir, toolchainLines };
}

/**
 * `npm config set cmake_<NAME>=<value>` reaches install scripts as `npm_config_cmake_<name>`;
 * cmake-js turns each into `-D<NAME>=<value>` (`cmake_js_*` are its own CLI options, skipped).
 * npm lowercases the name; CMake variable names are case-sensitive, so it is passed as npm gives it.
 */
export function npmConfigDefines(ctx: Pick<BuildContext, 'getEnv'>): Map<string, string> {
  const out = new Map<string, string>();
  const names = Object.keys(process.env)
    .filter((k) => /^npm_config_cmake_/i.test(k) && !/^npm_config_cmake_js_/i.test(k))
    .sort();
  for (const name of names) {
    // Read through the context: the variable becomes a tracked input of the build.
    const value = ctx.getEnv(name);
    if (value !== undefined) out.set(name.slice('npm_config_cmake_'.length), value);
  }
  return out;
}

function resolvePackageDir(root: string, name: string, marker: string): string | undefined {
  try {
    const dir = path.dirname(
      createRequire(path.join(root, 'package.json')).resolve(`${name}/package.json`),
    );
    return existsSync(path.join(dir, marker)) ? dir : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw error;
  }
}

function declares(root: string, name: string): boolean {
  return (
    declaredDependency(readPackageJson(root) as Record<string, unknown> | undefined, name) !==
    undefined
  );
}
