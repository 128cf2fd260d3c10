import { KilnError } from '../errors.js';
import { ARCHES, type NodeArch, type NodePlatform, OSES } from './tables.js';
import { isUniversal, parseTriple, type Triple, toTriple, universalParts } from './triple.js';

export type { NodeArch, NodePlatform } from './tables.js';

/** The C library of a Linux target, as Node's ecosystem names it (package.json `libc`, node-gyp-build). */
export type NodeLibc = 'glibc' | 'musl';

/** A target in Node's terms: what `process.platform` / `process.arch` say when running on it. */
export interface NodeTarget {
  platform: NodePlatform;
  arch: NodeArch;
  /** Linux only: `glibc` or `musl` (package.json's `libc` field, node-gyp-build's libc tag). */
  libc?: NodeLibc;
  /** 32- and 64-bit ARM: the architecture version (`7`, `8`), node-gyp-build's `armv` tag. */
  armv?: string;
}

/**
 * Maps a triple to Node's names. `powerpc64le-unknown-linux-gnu` and AIX's `powerpc64` are both
 * `ppc64` to Node. A universal Apple target has no single arch: map `universalParts()` instead,
 * or use `prebuildName()`, which knows node-gyp-build's `darwin-x64+arm64`.
 */
export function toNode(target: Triple | string): NodeTarget {
  const t = toTriple(target);
  if (isUniversal(t)) {
    throw new KilnError('TARGET_UNSUPPORTED', `${t.triple} has no single Node arch`, {
      hint: 'Map each of its parts (x86_64-apple-darwin, aarch64-apple-darwin) or use prebuildName(), which names the folder darwin-x64+arm64.',
    });
  }
  const arch = ARCHES[t.arch];
  const os = OSES[t.os];
  const platform: NodePlatform | undefined = t.env?.startsWith('android') ? 'android' : os?.node;
  if (!arch?.node || !platform) {
    throw new KilnError('TARGET_UNSUPPORTED', `Node.js does not run on ${t.triple}`, {
      hint: 'Node-API addons can be built for the platforms Node ships for: linux, darwin, win32, freebsd, openbsd, aix, ...',
    });
  }
  const result: NodeTarget = { platform, arch: arch.node };
  if (platform === 'linux') result.libc = t.env?.startsWith('musl') ? 'musl' : 'glibc';
  if (arch.armv) result.armv = arch.armv;
  return result;
}

/** Node's names → triple (32-bit ARM means ARMv7 hard-float, the only 32-bit ARM Node ships for). */
const ARCH_FROM_NODE: Readonly<Record<string, string>> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'i686',
  arm: 'armv7',
  ppc64: 'powerpc64le',
  ppc: 'powerpc',
  s390x: 's390x',
  s390: 's390',
  riscv64: 'riscv64gc',
  loong64: 'loongarch64',
  mips: 'mips',
  mipsel: 'mipsel',
};

/**
 * The triple Kiln builds for when Node reports `platform` / `arch` (and, on Linux, `libc`, default
 * glibc). Throws TARGET_INVALID listing the accepted values when either is unknown.
 */
export function fromNode(platform: string, arch: string, libc?: NodeLibc | undefined): Triple {
  let a = ARCH_FROM_NODE[arch];
  if (!a) {
    throw new KilnError('TARGET_INVALID', `Unknown Node arch "${arch}" (platform ${platform})`, {
      hint: `process.arch is one of ${Object.keys(ARCH_FROM_NODE).join(', ')}.`,
    });
  }
  const arm32 = a === 'armv7';
  switch (platform) {
    case 'linux': {
      const env = (libc === 'musl' ? 'musl' : 'gnu') + (arm32 ? 'eabihf' : '');
      return parseTriple(`${a}-unknown-linux-${env}`);
    }
    case 'android':
      return parseTriple(`${a}-unknown-linux-${arm32 ? 'androideabi' : 'android'}`);
    case 'darwin':
      return parseTriple(`${a}-apple-darwin`);
    case 'win32':
      return parseTriple(`${a}-pc-windows-msvc`);
    case 'aix':
      // AIX is big-endian POWER; Node's `ppc64` means little-endian only on Linux.
      if (a === 'powerpc64le') a = 'powerpc64';
      return parseTriple(`${a}-ibm-aix`);
    case 'sunos':
      return parseTriple(`${a}-pc-solaris`);
    case 'freebsd':
    case 'openbsd':
    case 'netbsd':
      return parseTriple(`${a}-unknown-${platform}`);
    default:
      throw new KilnError('TARGET_INVALID', `Unknown Node platform "${platform}" (arch ${arch})`, {
        hint: 'process.platform is one of linux, darwin, win32, freebsd, openbsd, netbsd, aix, sunos, android.',
      });
  }
}

/**
 * The prebuild folder name node-gyp-build looks up: `<platform>-<arch>`, with `+` between the
 * arches of a multi-arch binary (`darwin-x64+arm64` for `universal-apple-darwin`). libc is not
 * part of the folder: prebuildify tags the file instead (see `prebuildFileName`).
 */
export function prebuildName(target: Triple | string): string {
  const t = toTriple(target);
  const parts = universalParts(t).map((p) => toNode(p));
  return `${parts[0]!.platform}-${parts.map((p) => p.arch).join('+')}`;
}

export interface PrebuildFileOptions {
  /** Runtime tag. Default `node` (a `node.napi` file also loads in Electron, node-gyp-build rule). */
  runtime?: 'node' | 'electron' | 'node-webkit';
  /** `NODE_MODULE_VERSION` for a non-Node-API addon (`abi115`); omit for Node-API (`napi`). */
  abi?: number | string;
  /**
   * Add the libc tag on Linux (`glibc` / `musl`), as `prebuildify --tag-libc`. Default true: an
   * untagged glibc build matches every libc in node-gyp-build and then fails to load on Alpine.
   */
  tagLibc?: boolean;
  /** Overrides the libc derived from the triple. */
  libc?: NodeLibc;
  /** Add the `armv<N>` tag on ARM, as `prebuildify --tag-armv`. Default false. */
  tagArmv?: boolean;
  /** Add the `uv<N>` tag (`prebuildify --tag-uv`). */
  uv?: number | string;
}

/**
 * The addon file name inside the prebuild folder, in prebuildify's tag order:
 * `<runtime>.<napi|abiN>[.uvN][.armvN][.glibc|musl].node`, e.g. `node.napi.node`,
 * `node.napi.musl.node`, `node.napi.armv7.node`. node-gyp-build parses exactly these tags.
 */
export function prebuildFileName(
  target: Triple | string,
  options: PrebuildFileOptions = {},
): string {
  const t = toTriple(target);
  const node = isUniversal(t) ? undefined : toNode(t);
  const libc = options.libc ?? node?.libc;
  const tags: string[] = [options.runtime ?? 'node'];
  tags.push(options.abi === undefined ? napiTag() : abiTag(options.abi));
  if (options.uv !== undefined) tags.push(`uv${options.uv}`);
  if (options.tagArmv && node?.armv) tags.push(`armv${node.armv}`);
  if (libc && options.tagLibc !== false) tags.push(libc);
  return `${tags.join('.')}.node`;
}

/** `prebuilds/<platform>-<arch>/<file>` relative to the package root. */
export function prebuildPath(target: Triple | string, options: PrebuildFileOptions = {}): string {
  return `prebuilds/${prebuildName(target)}/${prebuildFileName(target, options)}`;
}

/**
 * The Node-API tag of a prebuild file name. It is always plain `napi`: prebuildify writes
 * `node.napi.node` and node-gyp-build recognises only the bare `napi` tag, so the Node-API version
 * is not part of the name (it is a compile define, `NAPI_VERSION`). The parameter exists so callers
 * can pass the version they build for and read the rule here rather than guess it.
 */
export function napiTag(_version?: number): 'napi' {
  return 'napi';
}

/** The ABI tag of a non-Node-API addon: `abi115` for NODE_MODULE_VERSION 115. */
export function abiTag(moduleVersion: number | string): string {
  const v = String(moduleVersion);
  if (!/^\d+$/.test(v)) {
    throw new KilnError('TARGET_INVALID', `"${v}" is not a NODE_MODULE_VERSION`, {
      hint: 'Pass process.versions.modules, a number such as 115.',
    });
  }
  return `abi${v}`;
}
