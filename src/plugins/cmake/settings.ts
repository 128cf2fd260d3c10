import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LinkInfo } from '../../manifest/schema.js';
import type { Profile } from '../../runner/types.js';
import { cmakeOsxArchitectures } from '../../target/cmake.js';
import { isApple, type Triple } from '../../target/triple.js';
import { formatDefine, type ResolvedOptions } from './options.js';

/** cmake-rs's mapping: opt 0 → Debug; s/z → MinSizeRel; otherwise Release, or RelWithDebInfo with debug info. */
export function buildTypeFor(profile: Profile): string {
  if (profile.optLevel === '0') return 'Debug';
  if (profile.optLevel === 's' || profile.optLevel === 'z') return 'MinSizeRel';
  return profile.debugInfo ? 'RelWithDebInfo' : 'Release';
}

export interface DefineInput {
  options: ResolvedOptions;
  target: Triple;
  buildType: string;
  installDir: string;
  toolchainFile: string;
  probeInclude: string | undefined;
  probeDir: string;
  macosVersion: string | undefined;
  cmakeMajor: number;
  /** Resolved `deps` option. */
  deps: Record<string, LinkInfo>;
  /** cmake-js's variables, when the project is built as cmake-js would. */
  cmakeJs?: Map<string, string> | undefined;
}

/**
 * Every cache entry Kiln passes, in order; later keys win, so user defines come last and may
 * override Kiln's (e.g. `CMAKE_INSTALL_LIBDIR`). Every configure passes the full set: a `-D`
 * left out keeps its old value in the cache (research: "sticky" entries).
 */
export function cacheEntries(input: DefineInput): Map<string, string> {
  const { options, target } = input;
  const d = new Map<string, string>();
  d.set('CMAKE_BUILD_TYPE', input.buildType);
  d.set('CMAKE_INSTALL_PREFIX', input.installDir);
  // GNUInstallDirs picks lib64 on Fedora/openSUSE and lib/<triplet> on Debian for /usr: pinning
  // `lib` keeps install paths predictable (discovery reads the real destinations anyway).
  d.set('CMAKE_INSTALL_LIBDIR', 'lib');
  d.set('CMAKE_TOOLCHAIN_FILE', input.toolchainFile);
  d.set('CMAKE_EXPORT_COMPILE_COMMANDS', 'ON');
  // Static archives end up inside shared objects (Node addons); CMake builds them without -fPIC
  // unless asked (verified: "-O3 -DNDEBUG" only).
  d.set('CMAKE_POSITION_INDEPENDENT_CODE', 'ON');
  if (input.cmakeMajor >= 4) {
    // CMake 4 rejects cmake_minimum_required(VERSION < 3.5), which many vendored projects still have.
    d.set('CMAKE_POLICY_VERSION_MINIMUM', '3.5');
  }
  if (isApple(target)) {
    d.set('CMAKE_OSX_ARCHITECTURES', cmakeOsxArchitectures(target));
    if (input.macosVersion) d.set('CMAKE_OSX_DEPLOYMENT_TARGET', input.macosVersion);
  }
  if (input.probeInclude) {
    d.set('CMAKE_PROJECT_INCLUDE', input.probeInclude);
    d.set('KILN_PROBE_DIR', input.probeDir);
  }
  for (const [k, v] of depEntries(input.deps)) d.set(k, v);
  for (const [k, v] of input.cmakeJs ?? []) d.set(k, v);
  for (const [k, v] of Object.entries(options.defines ?? {})) d.set(k, formatDefine(v));
  return d;
}

/**
 * Link info → what Find modules and find_package read. `<PREFIX>_INCLUDE_DIR` / `_LIBRARY` are
 * the cache entries FindZLIB, FindPNG-style modules check before searching (a set cache entry
 * skips find_path/find_library). A library without a known file is left for find_library, with
 * the dep's search paths added to CMAKE_LIBRARY_PATH so it looks there first.
 */
export function depEntries(deps: Record<string, LinkInfo>): Map<string, string> {
  const d = new Map<string, string>();
  const prefixes: string[] = [];
  const includePath: string[] = [];
  const libraryPath: string[] = [];
  for (const [prefix, info] of Object.entries(deps)) {
    // `.pc` files give `${pcfiledir}/../../include`-style paths; CMake caches what it is given.
    const dirs = info.searchPaths
      .filter((s) => s.kind === 'native')
      .map((s) => path.resolve(s.path));
    const files = info.libs
      .map((l) => (l.path ? path.resolve(l.path) : findLibFile(l.name, l.kind, dirs)))
      .filter(isString);
    const includes = info.includes.map((i) => path.resolve(i));
    if (includes.length > 0) {
      d.set(`${prefix}_INCLUDE_DIR`, includes[0]!);
      d.set(`${prefix}_INCLUDE_DIRS`, includes.join(';'));
    }
    if (files.length > 0) {
      d.set(`${prefix}_LIBRARY`, files[0]!);
      d.set(`${prefix}_LIBRARIES`, files.join(';'));
    }
    includePath.push(...includes);
    libraryPath.push(...dirs, ...files.map((f) => path.dirname(f)));
    for (const dir of [...includes, ...dirs]) prefixes.push(path.dirname(dir));
  }
  if (prefixes.length > 0) d.set('CMAKE_PREFIX_PATH', unique(prefixes).join(';'));
  if (includePath.length > 0) d.set('CMAKE_INCLUDE_PATH', unique(includePath).join(';'));
  if (libraryPath.length > 0) d.set('CMAKE_LIBRARY_PATH', unique(libraryPath).join(';'));
  return d;
}

function findLibFile(name: string, kind: string, dirs: string[]): string | undefined {
  const names =
    kind === 'static'
      ? [`lib${name}.a`, `${name}.lib`]
      : [`lib${name}.so`, `lib${name}.dylib`, `${name}.lib`, `lib${name}.a`];
  for (const dir of dirs) {
    for (const n of names) {
      const file = path.join(dir, n);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

function isString(v: string | undefined): v is string {
  return typeof v === 'string';
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
