/**
 * Turns the statements of one `.pc` file into a package: eager variable expansion in file order,
 * keyword fields, dependency lists and fragment lists, as pkgconf 1.8.1 builds them.
 */
import path from 'node:path';
import { dequote, parseValue, sysrootPrefixRaw } from './expand.js';
import { addFragments, type Fragment, splitArgv } from './fragments.js';
import { parsePcText } from './parser.js';
import { type Dependency, parseDependencyList } from './version.js';

export interface PrivateDependency extends Dependency {
  /** From `Requires.internal`: resolved, but its Cflags are not collected. */
  internal: boolean;
}

export interface PcPackage {
  /** The module id: the file name without `.pc` (`foo-uninstalled` stays as is in 1.8.1). */
  id: string;
  /** The file as found (not resolved through symlinks). */
  file: string;
  name: string;
  description: string;
  version: string;
  /** Variables in definition order, values fully expanded. */
  variables: Map<string, string>;
  requires: Dependency[];
  requiresPrivate: PrivateDependency[];
  conflicts: Dependency[];
  provides: Dependency[];
  cflags: Fragment[];
  cflagsPrivate: Fragment[];
  libs: Fragment[];
  libsPrivate: Fragment[];
  uninstalled: boolean;
  /** Built-in virtual package (`pkg-config`, `pkgconf`). */
  builtin: boolean;
}

/**
 * A package with no dependencies and no flags yet: a `.pc` file's fields fill it in as they are
 * read; a built-in package stays so. The keys keep the order of `PcPackage`.
 */
export function emptyPackage(
  head: Pick<
    PcPackage,
    'id' | 'file' | 'name' | 'description' | 'version' | 'variables' | 'uninstalled' | 'builtin'
  >,
): PcPackage {
  return {
    id: head.id,
    file: head.file,
    name: head.name,
    description: head.description,
    version: head.version,
    variables: head.variables,
    requires: [],
    requiresPrivate: [],
    conflicts: [],
    provides: [],
    cflags: [],
    cflagsPrivate: [],
    libs: [],
    libsPrivate: [],
    uninstalled: head.uninstalled,
    builtin: head.builtin,
  };
}

export interface LoadOptions {
  /** Global variables (define-variable, pc_sysrootdir, pc_top_builddir), consulted first. */
  globals: ReadonlyMap<string, string>;
  /** `PKG_CONFIG_SYSROOT_DIR` as set (empty: set but no rewriting; undefined: unset). */
  sysroot: string | undefined;
  /** Apply freedesktop sysroot rules (no prefixing of raw values). */
  fdoSysrootRules: boolean;
}

/** Why a file was skipped: pkgconf treats an incomplete file as absent. */
export interface InvalidPackage {
  invalid: true;
  file: string;
  reason: string;
}

const FRAGMENT_FIELDS = {
  cflags: 'cflags',
  'cflags.private': 'cflagsPrivate',
  libs: 'libs',
  'libs.private': 'libsPrivate',
} as const;

export function moduleId(file: string): string {
  const base = path.basename(file);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** pkgconf escapes spaces in `pcfiledir` so `-I${pcfiledir}/include` stays one argument. */
function pcfiledir(file: string): string {
  const dir = path.dirname(file);
  return dir.replace(/ /g, '\\ ');
}

export function loadPackage(
  file: string,
  text: string,
  options: LoadOptions,
): PcPackage | InvalidPackage {
  const variables = new Map<string, string>();
  const sysroot = options.fdoSysrootRules ? undefined : options.sysroot;
  // pcfiledir is stored like any other value, so the sysroot rewrite applies to it too.
  variables.set('pcfiledir', sysrootPrefixRaw(pcfiledir(file), sysroot));
  // Debian's 1.8.1 patch: a file outside the sysroot gets a package-local empty pc_sysrootdir
  // (the global shadows it in lookups, but --print-variables lists it).
  if (options.sysroot && !file.startsWith(options.sysroot)) variables.set('pc_sysrootdir', '');
  const scope = {
    globals: options.globals,
    locals: variables,
    file,
    sysroot,
    dedupeSysroot: options.sysroot,
  };
  const pcSysroot = options.globals.get('pc_sysrootdir') ?? '/';
  const id = moduleId(file);
  const pkg = emptyPackage({
    id,
    file,
    name: '',
    description: '',
    version: '',
    variables,
    uninstalled: id.endsWith('-uninstalled'),
    builtin: false,
  });
  const seen = new Set<string>();
  for (const st of parsePcText(text)) {
    if (st.kind === 'variable') {
      // 1.8.1 forgets the old value before expanding, so `prefix=${prefix}` becomes empty.
      variables.delete(st.key);
      variables.set(st.key, parseValue(dequote(st.value), scope));
      continue;
    }
    const key = st.key.toLowerCase();
    const value = parseValue(st.value, scope);
    switch (key) {
      case 'name':
        pkg.name = value;
        seen.add('Name');
        break;
      case 'description':
        pkg.description = value;
        seen.add('Description');
        break;
      case 'version': {
        // pkgconf cuts the version at the first space or tab ("malformed version field").
        const cut = value.search(/[ \t]/);
        pkg.version = cut >= 0 ? value.slice(0, cut) : value;
        seen.add('Version');
        break;
      }
      case 'requires':
        pkg.requires.push(...parseDependencyList(value));
        break;
      case 'requires.private':
      case 'requires.internal':
        for (const d of parseDependencyList(value)) {
          addPrivateDependency(pkg.requiresPrivate, {
            ...d,
            internal: key === 'requires.internal',
          });
        }
        break;
      case 'conflicts':
        pkg.conflicts.push(...parseDependencyList(value));
        break;
      case 'provides':
        pkg.provides.push(...parseDependencyList(value));
        break;
      case 'cflags':
      case 'cflags.private':
      case 'libs':
      case 'libs.private': {
        // An unterminated quote drops the whole field, as pkgconf does (with a warning).
        const args = splitArgv(value);
        if (args) addFragments(pkg[FRAGMENT_FIELDS[key]], args, pcSysroot);
        break;
      }
      default:
        // URL, License, Cflags.shared, ...: meaningless to pkgconf 1.8.1.
        break;
    }
  }
  for (const required of ['Name', 'Description', 'Version']) {
    if (!seen.has(required)) {
      return { invalid: true, file, reason: `file does not declare a \`${required}' field` };
    }
  }
  return pkg;
}

/**
 * pkgconf 1.8.1 lets a plain entry win over a `Requires.internal` entry of the same name in the
 * private list (whichever came first); entries of equal kind are all kept.
 */
function addPrivateDependency(list: PrivateDependency[], dep: PrivateDependency): void {
  const i = list.findIndex((d) => d.name === dep.name && d.internal !== dep.internal);
  if (i >= 0) {
    if (dep.internal) return;
    list.splice(i, 1);
  }
  list.push(dep);
}

export function isInvalid(p: PcPackage | InvalidPackage): p is InvalidPackage {
  return (p as InvalidPackage).invalid === true;
}
