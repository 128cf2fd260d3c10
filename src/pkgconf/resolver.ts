/**
 * Finds packages by name (search dirs, `-uninstalled.pc`, Provides) and walks the dependency
 * graph the way pkgconf 1.8.1 does: pre-order DFS from a virtual root, a package skipped only
 * when already on the current path (cycles cut, diamonds revisited).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isKilnError, KilnError } from '../errors.js';
import { isFile, joinPc, listDirNames, listPcFiles } from './files.js';
import type { Fragment } from './fragments.js';
import { copyFragment } from './fragments.js';
import {
  emptyPackage,
  type InvalidPackage,
  isInvalid,
  loadPackage,
  type PcPackage,
  type PrivateDependency,
} from './package.js';
import type { ResolveProblem } from './problems.js';
import { filterSystemFragments } from './system-dirs.js';
import { type Dependency, providesSatisfies, satisfies } from './version.js';

/** Package visits allowed in one walk (real graphs need a few hundred). */
export const MAX_VISITS = 200_000;

/** pkgconf's own version, reported by the built-in `pkg-config`/`pkgconf` packages. */
export const PKGCONF_VERSION = '1.8.1';

export interface ResolverOptions {
  searchDirs: string[];
  /** The compiled default search path (the built-in `pc_path` variable). */
  pcPath: string[];
  /** `-I` dirs left out of cflags (see system-dirs.ts). */
  systemIncludeDirs: string[];
  /** `-L` dirs left out of libs (see system-dirs.ts). */
  systemLibDirs: string[];
  /** The personality's lists, before the environment (the built-in `pc_system_*` variables). */
  pcSystemIncludeDirs?: string[];
  pcSystemLibDirs?: string[];
  /** `PKG_CONFIG_SYSROOT_DIR` (undefined or empty: none). */
  sysroot?: string | undefined;
  fdoSysrootRules?: boolean;
  topBuildDir?: string | undefined;
  defineVariables?: Readonly<Record<string, string>>;
  keepSystemCflags?: boolean;
  keepSystemLibs?: boolean;
  disableUninstalled?: boolean;
  noProvides?: boolean;
  ignoreConflicts?: boolean;
  maxTraverseDepth?: number;
  /** Called with every `.pc` file read (for freshness tracking). */
  onFile?: (file: string) => void;
  /**
   * Called once for each file that cannot be read or parsed while scanning files that were not
   * asked for by name (Provides, `--list-all`); such a file is skipped, never fatal.
   */
  onSkippedFile?: (file: string, error: KilnError) => void;
}

export { listPcFiles } from './files.js';
export type { ResolveProblem } from './problems.js';
export { describeProblem } from './problems.js';

export interface Collected {
  fragments: Fragment[];
  problems: ResolveProblem[];
}

export interface WalkOptions {
  /** Walk `Requires.private` too. */
  searchPrivate: boolean;
  /** Skip the subtrees of `Requires.internal` deps (still resolved). */
  skipInternal?: boolean;
  visit?: (pkg: PcPackage, isPrivate: boolean) => void;
}

export class Resolver {
  readonly options: ResolverOptions;
  readonly globals = new Map<string, string>();
  private readonly byName = new Map<string, PcPackage | undefined>();
  private readonly byFile = new Map<string, PcPackage | InvalidPackage>();
  private readonly dirs: string[];
  private readonly dirListings = new Map<string, Set<string>>();
  /** Invalid files met while searching (skipped as pkgconf does, reported on a miss). */
  readonly invalidFiles: InvalidPackage[] = [];
  /** Files that could not be read or parsed, with their error. */
  readonly brokenFiles = new Map<string, KilnError>();
  /** The subset that could not be opened or read at all. */
  private readonly unreadableFiles = new Set<string>();

  constructor(options: ResolverOptions) {
    this.options = options;
    this.dirs = [...options.searchDirs];
    // pkgconf 1.8.1: pc_sysrootdir is `/` when PKG_CONFIG_SYSROOT_DIR is unset, and empty
    // when it is set to the empty string (which turns no rewriting on).
    this.globals.set('pc_sysrootdir', options.sysroot ?? '/');
    this.globals.set('pc_top_builddir', options.topBuildDir ?? '$(top_builddir)');
    for (const [k, v] of Object.entries(options.defineVariables ?? {})) this.globals.set(k, v);
  }

  get searchDirs(): readonly string[] {
    return this.dirs;
  }

  /**
   * Reads and parses one file (cached by path). A file that cannot be read, or that is malformed
   * or hostile, raises PKG_INVALID naming it (the same error on every call).
   */
  loadFile(file: string): PcPackage | InvalidPackage {
    const cached = this.byFile.get(file);
    if (cached) return cached;
    const failed = this.brokenFiles.get(file);
    if (failed) throw failed;
    this.options.onFile?.(file);
    let pkg: PcPackage | InvalidPackage;
    try {
      const text = readFileSync(file, 'utf8');
      pkg = loadPackage(file, text, {
        globals: this.globals,
        sysroot: this.options.sysroot,
        fdoSysrootRules: this.options.fdoSysrootRules ?? false,
      });
    } catch (e) {
      const error = isKilnError(e)
        ? e
        : new KilnError('PKG_INVALID', `cannot read ${file}: ${(e as Error).message}`, {
            hint: 'Fix the permissions of the .pc file or remove it (a dangling symlink counts too).',
          });
      if (!isKilnError(e)) this.unreadableFiles.add(file);
      this.brokenFiles.set(file, error);
      throw error;
    }
    this.byFile.set(file, pkg);
    if (isInvalid(pkg)) this.invalidFiles.push(pkg);
    return pkg;
  }

  /**
   * Like `loadFile`, for a file met while scanning a directory rather than asked for by name:
   * a broken file is reported once (`onSkippedFile`) and skipped, so one bad `.pc` file never
   * fails the lookup of an unrelated package.
   */
  loadScanned(file: string): PcPackage | InvalidPackage | undefined {
    const known = this.brokenFiles.has(file);
    try {
      return this.loadFile(file);
    } catch (e) {
      if (!isKilnError(e)) throw e;
      if (!known) this.options.onSkippedFile?.(file, e);
      return undefined;
    }
  }

  private builtin(name: string): PcPackage | undefined {
    if (name !== 'pkg-config' && name !== 'pkgconf') return undefined;
    const variables = new Map<string, string>([
      ['pc_path', this.options.pcPath.join(':')],
      [
        'pc_system_includedirs',
        (this.options.pcSystemIncludeDirs ?? this.options.systemIncludeDirs).join(':'),
      ],
      ['pc_system_libdirs', (this.options.pcSystemLibDirs ?? this.options.systemLibDirs).join(':')],
    ]);
    return emptyPackage({
      id: name,
      file: '',
      name: 'pkgconf',
      description: 'Package compiler and linker metadata toolkit',
      version: PKGCONF_VERSION,
      variables,
      uninstalled: false,
      builtin: true,
    });
  }

  /**
   * A file found by its name in a search dir. One that cannot be opened (a dangling symlink, no
   * permission) is passed over as if absent, as pkgconf does, and reported like a scanned one;
   * one that opens but is malformed or hostile still fails the lookup.
   */
  private loadNamed(file: string): PcPackage | InvalidPackage | undefined {
    const known = this.brokenFiles.has(file);
    try {
      return this.loadFile(file);
    } catch (e) {
      if (!isKilnError(e) || !this.unreadableFiles.has(file)) throw e;
      if (!known) this.options.onSkippedFile?.(file, e);
      return undefined;
    }
  }

  /** Finds a package by name: a `.pc` path, a built-in, then each search dir, then Provides. */
  find(name: string): PcPackage | undefined {
    if (this.byName.has(name)) return this.byName.get(name);
    const found = this.findUncached(name);
    if (found === undefined || found.id === name) {
      this.byName.set(name, found);
      return found;
    }
    // pkgconf caches packages by id: `foo` found as `foo-uninstalled` (or by path) misses the
    // cache on every lookup and becomes a new package, so the DFS does not see it on its path.
    this.byName.set(found.id, found);
    return { ...found };
  }

  private findUncached(name: string): PcPackage | undefined {
    if (name.toLowerCase().endsWith('.pc') && isFile(name)) {
      const p = this.loadFile(name);
      // pkgconf adds the file's dir to the search list so its dependencies resolve.
      const dir = path.dirname(name);
      if (!this.dirs.includes(dir)) this.dirs.push(dir);
      return isInvalid(p) ? undefined : p;
    }
    const b = this.builtin(name);
    if (b) return b;
    for (const dir of this.dirs) {
      if (!this.options.disableUninstalled) {
        const u = joinPc(dir, `${name}-uninstalled.pc`);
        if (this.inDir(dir, `${name}-uninstalled.pc`)) {
          // An invalid -uninstalled file is skipped; the installed one in the same dir is tried.
          const p = this.loadNamed(u);
          if (p && !isInvalid(p)) return p;
        }
      }
      const f = joinPc(dir, `${name}.pc`);
      if (this.inDir(dir, `${name}.pc`)) {
        const p = this.loadNamed(f);
        if (p && !isInvalid(p)) return p;
      }
    }
    return undefined;
  }

  /**
   * One readdir per search dir instead of a stat per candidate file: a query touches every dir
   * for every package name, and this is the hot path of an in-process lookup.
   */
  private inDir(dir: string, file: string): boolean {
    let names = this.dirListings.get(dir);
    if (!names) {
      names = new Set(listDirNames(dir));
      this.dirListings.set(dir, names);
    }
    return names.has(file);
  }

  /**
   * pkgconf 1.8.1 falls back to scanning every `.pc` file of every dir in readdir order for a
   * versioned `Provides` entry that satisfies the request; the first match wins.
   */
  findProvider(dep: Dependency): PcPackage | undefined {
    if (this.options.noProvides) return undefined;
    for (const dir of this.dirs) {
      for (const file of listPcFiles(dir)) {
        const p = this.loadScanned(file);
        if (p === undefined || isInvalid(p)) continue;
        if (p.provides.some((pr) => pr.name === dep.name && providesSatisfies(pr, dep))) return p;
      }
    }
    return undefined;
  }

  /** Resolves one dependency: by name (then version check), else by Provides. */
  resolve(dep: Dependency, parent: string): { pkg: PcPackage } | { problem: ResolveProblem } {
    const pkg = this.find(dep.name);
    if (pkg) {
      if (satisfies(pkg.version, dep.op, dep.version)) return { pkg };
      return { problem: { kind: 'version', dep, parent, found: pkg } };
    }
    const provider = this.findProvider(dep);
    // Like an id mismatch above, a provider is a fresh package for every lookup.
    if (provider) return { pkg: { ...provider } };
    return { problem: { kind: 'not-found', dep, parent } };
  }

  /**
   * Pre-order DFS from a virtual root requiring `world`. Problems are collected and the walk
   * goes on with the siblings, so every missing dep at a level is reported.
   */
  walk(world: readonly Dependency[], opts: WalkOptions): ResolveProblem[] {
    const problems: ResolveProblem[] = [];
    let visits = 0;
    const onPath = new Set<PcPackage>();
    const maxDepth = this.options.maxTraverseDepth ?? 2000;
    // pkgconf keeps one client-wide "private" flag: set entering any Requires.private list,
    // cleared leaving any, so after a nested private walk the rest of the outer one is public.
    let isPrivate = false;
    const walkList = (
      parent: PcPackage | undefined,
      list: readonly (Dependency | PrivateDependency)[],
      depth: number,
    ): void => {
      const parentId = parent ? parent.id : 'virtual:world';
      for (const dep of list) {
        const r = this.resolve(dep, parentId);
        if ('problem' in r) {
          problems.push(r.problem);
          continue;
        }
        if (onPath.has(r.pkg)) continue;
        if (opts.skipInternal && (dep as PrivateDependency).internal) continue;
        traverse(r.pkg, depth);
      }
    };
    const traverse = (pkg: PcPackage, depth: number): void => {
      if (depth <= 0) return;
      // pkgconf 1.8 revisits a shared dependency once per path, so layered diamonds cost 2^depth
      // visits; a budget turns a hostile graph into an error instead of a hang.
      if (++visits > MAX_VISITS) {
        throw new KilnError(
          'PKG_INVALID',
          `the dependency graph under ${pkg.file || pkg.id} is too large to walk`,
          {
            hint: `More than ${MAX_VISITS} package visits: the .pc files' Requires form an exponential graph. Fix or remove them.`,
          },
        );
      }
      onPath.add(pkg);
      opts.visit?.(pkg, isPrivate);
      if (!this.options.ignoreConflicts) this.checkConflicts(pkg, problems);
      const before = problems.length;
      walkList(pkg, pkg.requires, depth - 1);
      if (opts.searchPrivate && problems.length === before) {
        isPrivate = true;
        walkList(pkg, pkg.requiresPrivate, depth - 1);
        isPrivate = false;
      }
      onPath.delete(pkg);
    };
    // The virtual root counts as one level, as in pkgconf.
    if (maxDepth > 1) walkList(undefined, world, maxDepth - 1);
    return problems;
  }

  /** 1.8.1 checks a package's Conflicts only against its own Requires of the same name. */
  private checkConflicts(pkg: PcPackage, problems: ResolveProblem[]): void {
    for (const rule of pkg.conflicts) {
      for (const dep of pkg.requires) {
        if (dep.name !== rule.name) continue;
        const other = this.find(dep.name);
        if (other && satisfies(other.version, rule.op, rule.version)) {
          problems.push({ kind: 'conflict', pkg, rule, other });
        }
      }
    }
  }

  /** Cflags in pkgconf order (de-duplicated), then Cflags.private with `--static`. */
  collectCflags(world: readonly Dependency[], isStatic: boolean): Collected {
    const list: Fragment[] = [];
    // pkgconf collects Cflags with Requires.private always walked, so a missing private
    // dependency fails here even when validation passed.
    const problems = this.walk(world, {
      searchPrivate: true,
      skipInternal: true,
      // Only the libs walk copies fragments as private; Cflags always go through de-duplication.
      visit: (pkg) => {
        for (const f of pkg.cflags) copyFragment(list, f, false);
      },
    });
    if (isStatic && problems.length === 0) {
      this.walk(world, {
        searchPrivate: true,
        skipInternal: true,
        visit: (pkg) => {
          for (const f of pkg.cflagsPrivate) list.push({ ...f });
        },
      });
    }
    return {
      fragments: filterSystemFragments(list, this.options, this.options.keepSystemCflags),
      problems,
    };
  }

  /** Libs in pkgconf order; with `--static` each package's Libs.private follows its Libs. */
  collectLibs(world: readonly Dependency[], isStatic: boolean): Collected {
    const list: Fragment[] = [];
    const problems = this.walk(world, {
      searchPrivate: isStatic,
      visit: (pkg, priv) => {
        for (const f of pkg.libs) copyFragment(list, f, priv);
        if (isStatic) for (const f of pkg.libsPrivate) copyFragment(list, f, true);
      },
    });
    return {
      fragments: filterSystemFragments(list, this.options, this.options.keepSystemLibs),
      problems,
    };
  }
}
