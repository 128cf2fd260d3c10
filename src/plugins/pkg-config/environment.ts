/**
 * The environment pkgconf 1.8.1 reads, turned into resolver options. Used by the drop-in CLI
 * (plain variable names) and by the plugin (target-specific forms resolved first).
 */
import { collapseSlashes } from './expand.js';
import type { ResolverOptions } from './resolver.js';
import {
  buildSearchDirs,
  defaultPersonality,
  type HostInfo,
  splitPathList,
} from './search-path.js';

export type EnvReader = (name: string) => string | undefined;

/** Every variable that changes what the resolver finds or prints (for messages and tracking). */
export const SEARCH_ENV_VARS = [
  'PKG_CONFIG_PATH',
  'PKG_CONFIG_LIBDIR',
  'PKG_CONFIG_SYSROOT_DIR',
] as const;

export interface EnvOptionsInput {
  /** Reads the variables that locate `.pc` files (may apply target-specific forms). */
  getSearchEnv: EnvReader;
  /** Reads every other pkgconf variable (plain names). */
  getEnv: EnvReader;
  host: HostInfo;
  /** Extra globals (`--define-variable`), applied over nothing else. */
  defineVariables?: Readonly<Record<string, string>>;
  /** `--with-path` dirs: appended after the defaults, dropped when PKG_CONFIG_LIBDIR is set (1.8.1). */
  withPath?: readonly string[];
  /** When cross-compiling with a sysroot and no LIBDIR, look under the sysroot's default dirs. */
  sysrootDefaults?: boolean;
}

export function resolverOptionsFromEnv(input: EnvOptionsInput): ResolverOptions {
  const { getEnv, getSearchEnv } = input;
  const personality = defaultPersonality(input.host);
  const sysroot = getSearchEnv('PKG_CONFIG_SYSROOT_DIR');
  const defaults =
    input.sysrootDefaults && sysroot
      ? personality.defaultDirs.map((d) => collapseSlashes(sysroot + d))
      : personality.defaultDirs;
  const searchDirs = buildSearchDirs(
    getSearchEnv('PKG_CONFIG_PATH'),
    getSearchEnv('PKG_CONFIG_LIBDIR'),
    [...defaults, ...(input.withPath ?? [])],
  );
  const incOverride = getEnv('PKG_CONFIG_SYSTEM_INCLUDE_PATH');
  const libOverride = getEnv('PKG_CONFIG_SYSTEM_LIBRARY_PATH');
  // pkgconf always appends the compiler's own search-path variables to the filter lists.
  const systemIncludeDirs = [
    ...(incOverride !== undefined ? splitPathList(incOverride) : personality.systemIncludeDirs),
    ...splitPathList(getEnv('CPATH')),
    ...splitPathList(getEnv('C_INCLUDE_PATH')),
    ...splitPathList(getEnv('CPLUS_INCLUDE_PATH')),
    ...splitPathList(getEnv('OBJC_INCLUDE_PATH')),
  ].map(collapseSlashes);
  const systemLibDirs = [
    ...(libOverride !== undefined ? splitPathList(libOverride) : personality.systemLibDirs),
    ...splitPathList(getEnv('LIBRARY_PATH')),
  ].map(collapseSlashes);
  const destdir = getEnv('DESTDIR');
  const depth = getEnv('PKG_CONFIG_MAXIMUM_TRAVERSE_DEPTH');
  const options: ResolverOptions = {
    searchDirs,
    pcPath: personality.defaultDirs,
    systemIncludeDirs,
    systemLibDirs,
    sysroot,
    fdoSysrootRules:
      getEnv('PKG_CONFIG_FDO_SYSROOT_RULES') !== undefined ||
      (destdir !== undefined && !!sysroot && destdir === sysroot),
    topBuildDir: getEnv('PKG_CONFIG_TOP_BUILD_DIR'),
    defineVariables: input.defineVariables ?? {},
    // Presence is what counts: pkgconf does not read the value.
    keepSystemCflags: getEnv('PKG_CONFIG_ALLOW_SYSTEM_CFLAGS') !== undefined,
    keepSystemLibs: getEnv('PKG_CONFIG_ALLOW_SYSTEM_LIBS') !== undefined,
    disableUninstalled: getEnv('PKG_CONFIG_DISABLE_UNINSTALLED') !== undefined,
    ignoreConflicts: getEnv('PKG_CONFIG_IGNORE_CONFLICTS') !== undefined,
  };
  if (depth !== undefined && /^\d+$/.test(depth)) options.maxTraverseDepth = Number(depth);
  return options;
}
