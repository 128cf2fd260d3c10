/**
 * Where `.pc` files are looked for, and which include/lib dirs count as "system" — computed
 * without asking a pkg-config binary, matching the compiled defaults of the host's pkgconf.
 */
import { existsSync, statSync } from 'node:fs';
import { collapseSlashes } from './expand.js';

export interface Personality {
  /** The compiled default search dirs (`pc_path`), before existence filtering. */
  defaultDirs: string[];
  systemIncludeDirs: string[];
  systemLibDirs: string[];
}

/** Debian's multiarch tuple for a Kiln/GNU triple's arch and env. */
export function multiarch(arch: string, os: string, env: string | undefined): string | undefined {
  if (os !== 'linux') return undefined;
  const e = env ?? 'gnu';
  switch (arch) {
    case 'x86_64':
      return e === 'gnux32' ? 'x86_64-linux-gnux32' : `x86_64-linux-${e}`;
    case 'aarch64':
      return `aarch64-linux-${e}`;
    case 'i686':
    case 'i386':
      return `i386-linux-${e}`;
    case 'arm':
    case 'armv7':
      return e.includes('hf') ? 'arm-linux-gnueabihf' : `arm-linux-${e}`;
    default:
      return `${arch}-linux-${e}`;
  }
}

export interface HostInfo {
  arch: string;
  os: string;
  env: string | undefined;
}

const personalities = new Map<string, Personality>();

/**
 * Debian-like systems (a `/usr/lib/<multiarch>` dir)
 * get Debian's pkgconf configuration: multiarch dirs first under `/usr/local` then `/usr`,
 * and the multiarch lib dirs as system dirs. Other Linux systems get the plain FHS layout.
 */
function computePersonality(host: HostInfo, exists: (p: string) => boolean): Personality {
  if (host.os === 'darwin') {
    return {
      defaultDirs: [
        '/opt/homebrew/lib/pkgconfig',
        '/opt/homebrew/share/pkgconfig',
        '/usr/local/lib/pkgconfig',
        '/usr/local/share/pkgconfig',
        '/usr/lib/pkgconfig',
      ],
      systemIncludeDirs: ['/usr/include'],
      systemLibDirs: ['/usr/lib'],
    };
  }
  const ma = multiarch(host.arch, host.os, host.env);
  if (ma !== undefined && exists(`/usr/lib/${ma}`)) {
    return {
      defaultDirs: [
        `/usr/local/lib/${ma}/pkgconfig`,
        '/usr/local/lib/pkgconfig',
        '/usr/local/share/pkgconfig',
        `/usr/lib/${ma}/pkgconfig`,
        '/usr/lib/pkgconfig',
        '/usr/share/pkgconfig',
      ],
      systemIncludeDirs: ['/usr/include'],
      // Debian's pkgconf lists every multiarch lib dir it knows, whatever the host.
      systemLibDirs: [
        '/lib',
        '/lib/i386-linux-gnu',
        '/lib/x86_64-linux-gnu',
        '/lib/x86_64-linux-gnux32',
        '/lib32',
        '/libx32',
        '/usr/lib',
        '/usr/lib/i386-linux-gnu',
        '/usr/lib/x86_64-linux-gnu',
        '/usr/lib/x86_64-linux-gnux32',
        '/usr/lib32',
        '/usr/libx32',
        ...(ma.startsWith('x86_64') || ma.startsWith('i386')
          ? []
          : [`/lib/${ma}`, `/usr/lib/${ma}`]),
      ],
    };
  }
  const lib64 = host.arch === 'x86_64' || host.arch === 'aarch64';
  const libdirs = lib64 && exists('/usr/lib64') ? ['/usr/lib64', '/usr/lib'] : ['/usr/lib'];
  return {
    defaultDirs: [
      ...libdirs.map((d) => `${d}/pkgconfig`),
      '/usr/share/pkgconfig',
      '/usr/local/lib/pkgconfig',
      '/usr/local/share/pkgconfig',
    ],
    systemIncludeDirs: ['/usr/include'],
    systemLibDirs: [...libdirs, ...(lib64 && exists('/lib64') ? ['/lib64'] : []), '/lib'],
  };
}

/** Splits a `:`-list; empty entries are skipped as pkgconf does. */
export function splitPathList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(':').filter((s) => s.length > 0);
}

/**
 * Builds the search list like pkgconf 1.8.1: `PKG_CONFIG_PATH`, then `PKG_CONFIG_LIBDIR` when
 * it is set (even empty: no default dirs) or else the defaults. Dirs that do not exist are
 * dropped, and duplicates by string or by device+inode (a symlinked dir) are dropped within each
 * of the two lists; pkgconf concatenates them without comparing one to the other, so a dir in
 * both is searched twice (visible in `--list-all`).
 */
export function buildSearchDirs(
  pkgConfigPath: string | undefined,
  pkgConfigLibdir: string | undefined,
  defaults: readonly string[],
): string[] {
  return [
    ...existingUnique(splitPathList(pkgConfigPath)),
    ...existingUnique(pkgConfigLibdir !== undefined ? splitPathList(pkgConfigLibdir) : defaults),
  ];
}

function existingUnique(candidates: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of candidates) {
    const dir = collapseSlashes(raw);
    if (seen.has(dir)) continue;
    let key: string;
    try {
      const st = statSync(dir);
      if (!st.isDirectory()) continue;
      key = `${st.dev}:${st.ino}`;
    } catch {
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(dir);
    seen.add(key);
    out.push(dir);
  }
  return out;
}

/**
 * The default personality for a platform, memoised (the file-system probes answer the same for
 * the life of the process) unless an `exists` probe is given.
 */
export function defaultPersonality(host: HostInfo, exists?: (p: string) => boolean): Personality {
  if (exists) return computePersonality(host, exists);
  const key = `${host.arch}-${host.os}-${host.env ?? ''}`;
  let p = personalities.get(key);
  if (!p) {
    p = computePersonality(host, existsSync);
    personalities.set(key, p);
  }
  return p;
}
