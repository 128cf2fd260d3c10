/**
 * The environment pkgconf 1.8.1 reads, turned into resolver options. Used by the drop-in CLI
 * (plain variable names) and by the plugin (target-specific forms resolved first).
 */
import { collapseSlashes } from './expand.js';
import type { ResolverOptions } from './resolver.js';
import { buildSearchDirs, defaultPersonality, type HostInfo } from './search-path.js';
import { systemDirsFromEnv } from './system-dirs.js';

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
  const system = systemDirsFromEnv(getEnv, personality);
  const destdir = getEnv('DESTDIR');
  const depth = getEnv('PKG_CONFIG_MAXIMUM_TRAVERSE_DEPTH');
  const options: ResolverOptions = {
    searchDirs,
    pcPath: personality.defaultDirs,
    pcSystemIncludeDirs: personality.systemIncludeDirs,
    pcSystemLibDirs: personality.systemLibDirs,
    ...system,
    sysroot,
    fdoSysrootRules:
      getEnv('PKG_CONFIG_FDO_SYSROOT_RULES') !== undefined ||
      (destdir !== undefined && !!sysroot && destdir === sysroot),
    topBuildDir: getEnv('PKG_CONFIG_TOP_BUILD_DIR'),
    defineVariables: input.defineVariables ?? {},
    disableUninstalled: getEnv('PKG_CONFIG_DISABLE_UNINSTALLED') !== undefined,
    ignoreConflicts: getEnv('PKG_CONFIG_IGNORE_CONFLICTS') !== undefined,
  };
  if (depth !== undefined && /^\d+$/.test(depth)) options.maxTraverseDepth = Number(depth);
  return options;
}
