import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KilnError } from '../../errors.js';
import type { Define, LinkInfo, LinkLib, SearchPath } from '../../manifest/schema.js';
import type { Installer, Reply, TargetObject } from './file-api.js';
import { type LinkItem, libFromFile, mergeOrder, parseLinkFragments } from './link-line.js';
import { PROBE_BASELINE, PROBE_PREFIX } from './probe.js';

export type CmakeLibKind = 'static' | 'dylib';

/** One library target of the project, as discovered. */
export interface CmakeTarget {
  /** CMake target name. */
  name: string;
  kind: CmakeLibKind;
  /** The file to link: installed path when the project installs it, else the build-tree file. */
  path: string;
  /** Where the build tree has it. */
  buildPath: string;
  installed: boolean;
  /**
   * A DLL's own file, when `path` is its import library (Windows): what must sit beside the
   * program (or on PATH) at run time.
   */
  runtime?: string | undefined;
  /** Other library targets of the project it links against (dependencies first-level and transitive). */
  dependencies: string[];
  /** Its full link line as CMake computes it for a consumer: itself first, then what it needs. */
  links: LinkLib[];
}

/** A loadable module of the project (a Node addon, a plugin): an artifact, never a link input. */
export interface CmakeModule {
  name: string;
  /** The built file (`build/Release/addon.node` for a cmake-js project). */
  path: string;
  /** `addon` for a `.node` file, else `file`. */
  kind: 'addon' | 'file';
}

export interface Discovery {
  link: LinkInfo;
  targets: CmakeTarget[];
  /** Module libraries (MODULE_LIBRARY, or a shared library whose file is a `.node`). */
  modules?: CmakeModule[];
  /** Every library target the project defines (for error messages and `targets` validation). */
  available: string[];
}

const LIBRARY_TYPES: Record<string, CmakeLibKind> = {
  STATIC_LIBRARY: 'static',
  SHARED_LIBRARY: 'dylib',
};

/**
 * Link metadata without the user naming libraries: library targets from the codemodel, their
 * installed files from the directory objects' installers (prefix + destination + file name,
 * never guessed: destinations may be lib64, lib/<triplet> or absolute), and their link lines
 * (order, `-lm`, other targets) from the never-built probe consumers.
 */
export async function discover(options: {
  reply: Reply;
  buildDir: string;
  installDir: string;
  selected: readonly string[] | undefined;
  /** False when `cmake --install` did not run: the build tree's files are the ones to link. */
  installed?: boolean;
}): Promise<Discovery> {
  const { reply, buildDir, installDir } = options;
  const targets = reply.targets;
  const own = targets.filter((t) => !t.name.startsWith(PROBE_PREFIX));
  // Nothing links a module (dlopen()ed, or require()d as a `.node`): reporting it as a library
  // would hand consumers `-laddon` for a file no linker finds.
  const modules = own.filter((t) => isModule(t, buildDir));
  const libs = own.filter((t) => LIBRARY_TYPES[t.type] && !modules.includes(t));
  const available = libs.map((t) => t.name);
  const installs =
    options.installed === false ? new Map<string, string[]>() : installedFiles(reply, installDir);
  const fileToTarget = new Map<string, string>();
  for (const t of libs) for (const f of buildFiles(t, buildDir)) fileToTarget.set(f, t.name);
  // Link lines name the real file of a versioned shared library (`libkit_core.so.1.2.0`, or
  // `libkit_core.1.2.0.dylib`) while the artifact is the namelink: same folder, same library name.
  const targetOf = (file: string): string | undefined => {
    const exact = fileToTarget.get(file);
    if (exact) return exact;
    const lib = libFromFile(file);
    if (!lib) return undefined;
    for (const [f, name] of fileToTarget) {
      const other = libFromFile(f);
      if (
        path.dirname(f) === path.dirname(file) &&
        other?.name === lib.name &&
        other.kind === lib.kind
      ) {
        return name;
      }
    }
    return undefined;
  };
  const byId = new Map(targets.map((t) => [t.id, t]));

  const chosen = chooseTargets(libs, installs, options.selected, available);
  const linkPath = (t: TargetObject): { path: string; installed: boolean } => {
    const inst = installs.get(t.name);
    if (inst && inst.length > 0) return { path: pickLinkFile(inst), installed: true };
    return { path: buildFiles(t, buildDir)[0]!, installed: false };
  };
  const selfLib = (t: TargetObject): LinkLib => {
    const p = linkPath(t).path;
    return { name: libFromFile(p)?.name ?? t.name, kind: LIBRARY_TYPES[t.type]!, path: p };
  };

  const searchPaths: SearchPath[] = [];
  const rpaths: string[] = [];
  const ldflags: string[] = [];
  const defines: Define[] = [];
  const buildIncludes: string[] = [];
  const result: CmakeTarget[] = [];
  const lines: LinkLib[][] = [];
  let needsCxxRuntime = false;
  // The top-level directory's own definitions reach every probe: not the library's to export.
  const directoryDefines = new Set(
    (targets.find((p) => p.name === PROBE_BASELINE)?.compileGroups ?? []).flatMap((g) =>
      (g.defines ?? []).map((d) => d.define),
    ),
  );
  for (const t of chosen) {
    const probe = targets.find((p) => p.name === `${PROBE_PREFIX}${t.name}`);
    let items: LinkItem[];
    if (probe?.link?.commandFragments) {
      const parsed = parseLinkFragments(probe.link.commandFragments, { buildDir, targetOf });
      items = parsed.items;
      // CMake links a consumer of C++ code with the C++ driver (link.language CXX), which adds
      // the C++ runtime implicitly; a consumer linking with the C driver must name it.
      if (probe.link.language === 'CXX') needsCxxRuntime = true;
      searchPaths.push(...parsed.searchPaths);
      rpaths.push(...parsed.rpaths);
      for (const g of probe.compileGroups ?? []) {
        for (const d of g.defines ?? []) {
          if (!directoryDefines.has(d.define)) defines.push(parseDefine(d.define));
        }
        for (const inc of g.includes ?? []) buildIncludes.push(inc.path);
      }
    } else {
      // No probe (the project set CMAKE_PROJECT_INCLUDE itself, or enables no C/C++): the target
      // and the libraries it depends on in build order; external deps stay unknown.
      items = [t, ...depsOf(t, byId)].map((d) => ({ type: 'target', name: d.name }));
    }
    const line: LinkLib[] = [];
    for (const item of items) {
      if (item.type === 'flag') ldflags.push(item.flag);
      else if (item.type === 'lib') line.push(item.lib);
      else {
        const dep = libs.find((l) => l.name === item.name);
        if (dep) line.push(selfLib(dep));
      }
    }
    if (line.length === 0 || line[0]!.path !== selfLib(t).path) line.unshift(selfLib(t));
    lines.push(line);
    const lp = linkPath(t);
    const files = lp.installed ? (installs.get(t.name) ?? []) : buildFiles(t, buildDir);
    const dll = files.find((f) => /\.dll$/i.test(f) && f !== lp.path);
    result.push({
      name: t.name,
      kind: LIBRARY_TYPES[t.type]!,
      path: lp.path,
      buildPath: buildFiles(t, buildDir)[0]!,
      installed: lp.installed,
      ...(dll ? { runtime: dll } : {}),
      dependencies: depsOf(t, byId).map((d) => d.name),
      links: line,
    });
  }

  if (needsCxxRuntime) lines.push(cxxRuntime(reply));
  const ordered = mergeOrder(lines, (l) => `${l.kind}:${l.path ?? l.name}`);
  const rank = (t: CmakeTarget) => ordered.findIndex((l) => l.path === t.path);
  result.sort((a, b) => rank(a) - rank(b));
  for (const lib of ordered) {
    if (lib.kind === 'dylib' && lib.path) {
      const dir = path.dirname(lib.path);
      searchPaths.push({ kind: 'native', path: dir });
      // The installed copy loses CMake's build RPATH; consumers need the folder to load it.
      if (!isSystemDir(dir)) rpaths.push(dir);
    }
  }
  const anyInstalled = result.some((t) => t.installed);
  const installInclude = path.join(installDir, 'include');
  // Installed projects: the install's include dir (the probe's include dirs are the
  // BUILD_INTERFACE ones, in the source tree). Projects without install rules: the probe's.
  const includes = anyInstalled && existsSync(installInclude) ? [installInclude] : buildIncludes;
  return {
    link: {
      libs: ordered,
      searchPaths: uniqueBy(searchPaths, (s) => `${s.kind}:${s.path}`),
      includes: [...new Set(includes)],
      defines: uniqueBy(defines, (d) => `${d.name}=${d.value ?? ''}`),
      cflags: [],
      ldflags: [...new Set(ldflags)],
      rpaths: [...new Set(rpaths)],
    },
    targets: result,
    modules: modules.map((t) => {
      const file = buildFiles(t, buildDir)[0] ?? path.join(buildDir, t.nameOnDisk ?? t.name);
      return { name: t.name, path: file, kind: file.endsWith('.node') ? 'addon' : 'file' };
    }),
    available,
  };
}

function isModule(t: TargetObject, buildDir: string): boolean {
  if (t.type === 'MODULE_LIBRARY') return true;
  return (
    t.type === 'SHARED_LIBRARY' &&
    (t.nameOnDisk?.endsWith('.node') || buildFiles(t, buildDir).some((f) => f.endsWith('.node')))
  );
}

function chooseTargets(
  libs: TargetObject[],
  installs: Map<string, string[]>,
  selected: readonly string[] | undefined,
  available: string[],
): TargetObject[] {
  if (selected) {
    return selected.map((name) => {
      const t = libs.find((l) => l.name === name);
      if (!t) {
        throw new KilnError(
          'CONFIG_INVALID',
          `cmake(options).targets: "${name}" is not a static or shared library target of the project`,
          { hint: `Library targets: ${available.join(', ') || '(none)'}.` },
        );
      }
      return t;
    });
  }
  const installed = libs.filter((t) => installs.has(t.name));
  return installed.length > 0 ? installed : libs;
}

/** Library targets `t` depends on (the codemodel's build-order dependencies are transitive). */
function depsOf(t: TargetObject, byId: Map<string, TargetObject>): TargetObject[] {
  return (t.dependencies ?? [])
    .map((d) => byId.get(d.id))
    .filter((d): d is TargetObject => !!d && !!LIBRARY_TYPES[d.type]);
}

/**
 * Files CMake writes for a target in the build tree: the artifacts, and the real file behind a
 * versioned shared library's namelink (consumer link lines name `libfoo.so.1.2.0`, the artifact
 * is the `libfoo.so` link).
 */
function buildFiles(t: TargetObject, buildDir: string): string[] {
  const out: string[] = [];
  for (const a of t.artifacts ?? []) {
    const abs = path.resolve(buildDir, a.path);
    out.push(abs);
    if (t.nameOnDisk) out.push(path.join(path.dirname(abs), t.nameOnDisk));
  }
  return out;
}

/** Installed files per target name, from the `target` installers of every directory object. */
export function installedFiles(reply: Reply, installDir: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const dir of reply.directories) {
    for (const inst of dir?.installers ?? []) {
      if (inst.type !== 'target' || inst.targetIndex === undefined || inst.isExcludeFromAll)
        continue;
      const target = reply.configuration.targets[inst.targetIndex];
      if (!target) continue;
      const files = installerFiles(inst, installDir);
      // Prefer what the linker reads: the import library (DLL platforms) and the namelink.
      const preferred = inst.targetIsImportLibrary || inst.targetInstallNamelink === 'only';
      const list = map.get(target.name) ?? [];
      map.set(target.name, preferred ? [...files, ...list] : [...list, ...files]);
    }
  }
  return map;
}

function installerFiles(inst: Installer, installDir: string): string[] {
  const dest = path.resolve(installDir, inst.destination ?? '');
  return (inst.paths ?? []).map((p) =>
    path.join(dest, typeof p === 'string' ? path.basename(p) : p.to),
  );
}

/** The preferred file first (import lib / namelink); otherwise the shortest name (`libz.so` over `libz.so.1.3`). */
function pickLinkFile(files: string[]): string {
  const first = files[0]!;
  const shortest = [...files].sort((a, b) => path.basename(a).length - path.basename(b).length)[0]!;
  return path.basename(first).length <= path.basename(shortest).length ? first : shortest;
}

/**
 * What linking with the C++ driver adds over the C driver: the CXX implicit link libraries minus
 * the C ones, from toolchains v1 (gcc 12 here: `stdc++ m gcc_s gcc c` vs `gcc gcc_s c`, so `stdc++`
 * and `m`). Without a C toolchain in the reply, the C runtime's own libraries are left out by name.
 */
export function cxxRuntime(reply: Reply): LinkLib[] {
  const implicit = (lang: string) =>
    reply.toolchains?.toolchains.find((t) => t.language === lang)?.compiler.implicit?.linkLibraries;
  const cxx = implicit('CXX') ?? [];
  const c = implicit('C') ?? ['c', 'gcc', 'gcc_s', 'gcc_eh'];
  return [...new Set(cxx.filter((l) => !c.includes(l)))].map((name) => ({ name, kind: 'dylib' }));
}

function parseDefine(text: string): Define {
  const eq = text.indexOf('=');
  return eq < 0 ? { name: text } : { name: text.slice(0, eq), value: text.slice(eq + 1) };
}

function isSystemDir(dir: string): boolean {
  return /^\/(usr\/)?lib(32|64)?(\/|$)/.test(dir);
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Files `cmake --install` wrote (install_manifest.txt, one absolute path per line). */
export async function readInstallManifest(buildDir: string): Promise<string[]> {
  const text = await readFile(path.join(buildDir, 'install_manifest.txt'), 'utf8').catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    },
  );
  return text.split('\n').filter((l) => l.length > 0);
}
