/**
 * System include and library dirs: which ones pkgconf 1.8.1 leaves out of `-I`/`-L` output,
 * computed from the environment and applied in one place for the drop-in CLI, the plugin's
 * built-in resolver and its binary mode. A system `-L` in a build's link metadata would sit in
 * front of a later bundled library's `-L` and make the linker pick the system copy.
 */
import { collapseSlashes } from './expand.js';
import type { Fragment } from './fragments.js';
import type { Personality } from './search-path.js';
import { splitPathList } from './search-path.js';

export interface SystemDirs {
  /** `-I` dirs left out of cflags. */
  systemIncludeDirs: string[];
  /** `-L` dirs left out of libs. */
  systemLibDirs: string[];
  /** `PKG_CONFIG_ALLOW_SYSTEM_CFLAGS` / `--keep-system-cflags`: nothing left out of cflags. */
  keepSystemCflags: boolean;
  /** `PKG_CONFIG_ALLOW_SYSTEM_LIBS` / `--keep-system-libs`: nothing left out of libs. */
  keepSystemLibs: boolean;
}

/**
 * pkgconf 1.8.1's filter lists: `PKG_CONFIG_SYSTEM_INCLUDE_PATH` / `PKG_CONFIG_SYSTEM_LIBRARY_PATH`
 * when set (even empty), else the personality's lists; then the compiler's own search-path
 * variables are always appended (`CPATH`, `C_INCLUDE_PATH`, `CPLUS_INCLUDE_PATH`,
 * `OBJC_INCLUDE_PATH`; `LIBRARY_PATH`). For the keep switches presence counts, not the value.
 */
export function systemDirsFromEnv(
  getEnv: (name: string) => string | undefined,
  personality: Personality,
): SystemDirs {
  const incOverride = getEnv('PKG_CONFIG_SYSTEM_INCLUDE_PATH');
  const libOverride = getEnv('PKG_CONFIG_SYSTEM_LIBRARY_PATH');
  return {
    systemIncludeDirs: [
      ...(incOverride !== undefined ? splitPathList(incOverride) : personality.systemIncludeDirs),
      ...splitPathList(getEnv('CPATH')),
      ...splitPathList(getEnv('C_INCLUDE_PATH')),
      ...splitPathList(getEnv('CPLUS_INCLUDE_PATH')),
      ...splitPathList(getEnv('OBJC_INCLUDE_PATH')),
    ].map(collapseSlashes),
    systemLibDirs: [
      ...(libOverride !== undefined ? splitPathList(libOverride) : personality.systemLibDirs),
      ...splitPathList(getEnv('LIBRARY_PATH')),
    ].map(collapseSlashes),
    keepSystemCflags: getEnv('PKG_CONFIG_ALLOW_SYSTEM_CFLAGS') !== undefined,
    keepSystemLibs: getEnv('PKG_CONFIG_ALLOW_SYSTEM_LIBS') !== undefined,
  };
}

type DirLists = Pick<SystemDirs, 'systemIncludeDirs' | 'systemLibDirs'>;

/** Whether `-<type><dir>` names a system dir: an exact string match, as pkgconf compares. */
export function isSystemDir(type: string, dir: string, dirs: DirLists): boolean {
  if (type === 'I') return dirs.systemIncludeDirs.includes(dir);
  if (type === 'L') return dirs.systemLibDirs.includes(dir);
  return false;
}

/**
 * Removes system `-I` and `-L` fragments from a de-duplicated list (pkgconf filters after
 * de-duplication). Both types are checked in either list; the list's keep switch decides.
 */
export function filterSystemFragments(
  list: Fragment[],
  dirs: DirLists,
  keep: boolean | undefined,
): Fragment[] {
  if (keep) return list;
  return list.filter((f) => !isSystemDir(f.type, f.data, dirs));
}

/**
 * The same filter over printed arguments (a pkg-config binary's output): pkgconf has already
 * applied it, but another `PKG_CONFIG` program may not, and the link metadata must not carry
 * system dirs either way.
 */
export function filterSystemArgs(
  args: readonly string[],
  dirs: DirLists,
  keep: boolean | undefined,
): string[] {
  if (keep) return [...args];
  return args.filter(
    (a) => !(a.length > 2 && a[0] === '-' && isSystemDir(a[1]!, collapseSlashes(a.slice(2)), dirs)),
  );
}
