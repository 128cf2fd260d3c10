import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * node-gyp-build's prebuild rules, in one place for `loadAddon` and `kiln install`, so the file
 * that install checks is the file the package loads at run time (and the one node-gyp-build
 * itself would load from the same folder).
 *
 * Folders are `prebuilds/<platform>-<arch>[+<arch>...]`; files are prebuildify's dot-separated
 * tags ending in `.node`: a runtime (`node`, `electron`, `node-webkit`), `napi` or `abi<N>`,
 * `uv<N>`, `armv<N>`, `glibc`/`musl`. Words that are none of these (the addon name in
 * `binding.napi.glibc.node`) are ignored for matching.
 */

export type PrebuildRuntime = 'node' | 'electron' | 'node-webkit';
export type PrebuildLibc = 'glibc' | 'musl';

/** What a prebuild must match: node-gyp-build's view of the running process. */
export interface PrebuildHost {
  platform: string;
  arch: string;
  runtime: PrebuildRuntime;
  /** NODE_MODULE_VERSION, e.g. `127`. */
  abi: string;
  /** libuv major version. */
  uv: string;
  /** ARM version (`7`, `8` on arm64), empty elsewhere. */
  armv: string;
  libc: PrebuildLibc;
}

/**
 * The running process as node-gyp-build sees it, including its overrides: `npm_config_arch` and
 * `npm_config_platform` (an install for another machine), `LIBC`, `ARM_VERSION`.
 */
export function currentHost(env: NodeJS.ProcessEnv = process.env): PrebuildHost {
  const arch = env.npm_config_arch || process.arch;
  const platform = env.npm_config_platform || process.platform;
  const vars = (process.config?.variables ?? {}) as { arm_version?: string | number };
  const versions = process.versions as NodeJS.ProcessVersions & { electron?: string; nw?: string };
  const runtime: PrebuildRuntime =
    versions.electron || env.ELECTRON_RUN_AS_NODE
      ? 'electron'
      : versions.nw
        ? 'node-webkit'
        : 'node';
  const libc =
    env.LIBC === 'musl' || env.LIBC === 'glibc'
      ? env.LIBC
      : platform === 'linux' && existsSync('/etc/alpine-release')
        ? 'musl'
        : 'glibc';
  return {
    platform,
    arch,
    runtime,
    abi: process.versions.modules,
    uv: (process.versions.uv ?? '').split('.')[0] ?? '',
    armv: env.ARM_VERSION || (arch === 'arm64' ? '8' : String(vars.arm_version ?? '')),
    libc,
  };
}

export interface PrebuildFolder {
  name: string;
  platform: string;
  architectures: string[];
}

/** `darwin-x64+arm64` → its platform and arches; anything else (`linux-x64-musl`) is no folder. */
export function parsePrebuildFolder(name: string): PrebuildFolder | undefined {
  const parts = name.split('-');
  if (parts.length !== 2) return undefined;
  const [platform, arches] = parts as [string, string];
  const architectures = arches.split('+');
  if (!platform || !architectures.every(Boolean)) return undefined;
  return { name, platform, architectures };
}

/**
 * The one folder node-gyp-build looks in: this platform, holding this arch, single-arch before
 * multi-arch. It never falls back to a second folder when the first holds no matching file.
 */
export function choosePrebuildFolder(
  names: readonly string[],
  host: PrebuildHost,
): string | undefined {
  return [...names]
    .sort()
    .map(parsePrebuildFolder)
    .filter(
      (f): f is PrebuildFolder =>
        !!f && f.platform === host.platform && f.architectures.includes(host.arch),
    )
    .sort((a, b) => a.architectures.length - b.architectures.length)[0]?.name;
}

export interface PrebuildTags {
  file: string;
  /**
   * The first word when it is not a tag (`binding` in `binding.napi.node`); undefined when the
   * file starts with a runtime, as prebuildify names it without `--name` (`node.napi.node`).
   */
  name?: string;
  runtime?: PrebuildRuntime;
  napi?: boolean;
  abi?: string;
  uv?: string;
  armv?: string;
  libc?: PrebuildLibc;
  /** How many tags the name carries: more tags is a more specific build. */
  specificity: number;
}

/** Reads the tags of a prebuild file name; undefined when it does not end in `.node`. */
export function parsePrebuildFile(file: string): PrebuildTags | undefined {
  const words = file.split('.');
  if (words.pop() !== 'node') return undefined;
  const tags: PrebuildTags = { file, specificity: 0 };
  words.forEach((word, i) => {
    if (word === 'node' || word === 'electron' || word === 'node-webkit') tags.runtime = word;
    else if (word === 'napi') tags.napi = true;
    else if (word.startsWith('abi')) tags.abi = word.slice(3);
    else if (word.startsWith('uv')) tags.uv = word.slice(2);
    else if (word.startsWith('armv')) tags.armv = word.slice(4);
    else if (word === 'glibc' || word === 'musl') tags.libc = word;
    else {
      if (i === 0) tags.name = word;
      return;
    }
    tags.specificity++;
  });
  return tags;
}

/**
 * Whether the file may load in `host`. A `node.napi` file counts for every runtime (Electron
 * loads Node-API addons built for Node); an `abi` tag is only checked for non-Node-API builds.
 */
export function matchesHost(tags: PrebuildTags, host: PrebuildHost): boolean {
  const agnostic = tags.runtime === 'node' && !!tags.napi;
  if (tags.runtime && tags.runtime !== host.runtime && !agnostic) return false;
  if (tags.abi && tags.abi !== host.abi && !tags.napi) return false;
  if (tags.uv && tags.uv !== host.uv) return false;
  if (tags.armv && tags.armv !== host.armv) return false;
  if (tags.libc && tags.libc !== host.libc) return false;
  return true;
}

/** node-gyp-build's preference: this exact runtime, then an `abi` build over `napi`, then more tags. */
export function comparePrebuilds(host: PrebuildHost) {
  return (a: PrebuildTags, b: PrebuildTags): number => {
    if (a.runtime !== b.runtime) return a.runtime === host.runtime ? -1 : 1;
    if (a.abi !== b.abi) return a.abi ? -1 : 1;
    if (a.specificity !== b.specificity) return a.specificity > b.specificity ? -1 : 1;
    return 0;
  };
}

/**
 * The best file for `host` among `files` (names in one prebuild folder), or undefined. With
 * `name`, only that addon's files and unnamed ones (`node.napi.node`) count, so a package with
 * two addons loads each from its own file; node-gyp-build, which knows no names, picks among all.
 * Ties keep the sorted file order, so the choice does not depend on the directory's order.
 */
export function choosePrebuildFile(
  files: readonly string[],
  host: PrebuildHost,
  name?: string,
): string | undefined {
  return [...files]
    .sort()
    .map(parsePrebuildFile)
    .filter((t): t is PrebuildTags => !!t && matchesHost(t, host))
    .filter((t) => name === undefined || t.name === undefined || t.name === name)
    .sort(comparePrebuilds(host))[0]?.file;
}

/**
 * The best file of each addon in one prebuild folder, for `kiln install`, which does not load
 * the build config to learn the addon names: named files grouped by name, unnamed ones
 * (`node.napi.node`) together. `unmatched` names the addons with files but none for `host`: the
 * package then cannot load from prebuilds alone.
 */
export function choosePrebuildFiles(
  files: readonly string[],
  host: PrebuildHost,
): { chosen: string[]; unmatched: string[] } {
  const groups = new Map<string | undefined, string[]>();
  for (const file of [...files].sort()) {
    const tags = parsePrebuildFile(file);
    if (!tags) continue;
    groups.set(tags.name, [...(groups.get(tags.name) ?? []), file]);
  }
  const chosen: string[] = [];
  const unmatched: string[] = [];
  for (const [name, group] of groups) {
    const best = choosePrebuildFile(group, host);
    if (best) chosen.push(best);
    else unmatched.push(name ?? group[0]!);
  }
  return { chosen, unmatched };
}

export interface PrebuildLookup {
  /** The folder node-gyp-build would look in, absolute; undefined when none fits the host. */
  folder?: string;
  /** The chosen file, absolute. */
  file?: string;
}

/** The `prebuilds/` lookup under `root` for one addon (or any, without `name`). */
export function findPrebuild(root: string, host: PrebuildHost, name?: string): PrebuildLookup {
  const base = path.join(root, 'prebuilds');
  const folderName = choosePrebuildFolder(listDir(base), host);
  if (!folderName) return {};
  const folder = path.join(base, folderName);
  const file = choosePrebuildFile(listDir(folder), host, name);
  return file ? { folder, file: path.join(folder, file) } : { folder };
}

/** A folder's entries; a missing or unreadable folder has none, as in node-gyp-build. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
