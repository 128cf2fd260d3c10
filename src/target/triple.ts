import { readdirSync } from 'node:fs';
import { KilnError } from '../errors.js';
import { fromNode } from './node.js';
import { ARCH_ALIASES, ARCHES, ENVS, EXAMPLE_TRIPLES, OS_ALIASES, OSES } from './tables.js';

/** A target triple split into its parts, normalised (`arm64` → `aarch64`, `macosx11.0` → `darwin`). */
export interface Triple {
  /** The normalised triple, e.g. `aarch64-apple-darwin` (never carries the OS version). */
  triple: string;
  /** Canonical arch: `x86_64`, `aarch64`, `i686`, `armv7`, `riscv64gc`, `powerpc64le`, `universal`, ... */
  arch: string;
  /** `unknown`, `apple`, `pc` or `ibm`: normalised per OS so equal targets compare equal. */
  vendor: string;
  /** `linux`, `darwin`, `windows`, `freebsd`, `aix`, ... */
  os: string;
  /** `gnu`, `musl`, `gnueabihf`, `msvc`, ...; undefined where the OS has a single ABI (darwin, freebsd). */
  env: string | undefined;
  /**
   * OS version embedded in the triple, if any. For Apple it is always the macOS version
   * (`x86_64-apple-macosx11.0` → `11.0`; Darwin kernel versions such as `darwin20` become `11.0`).
   */
  osVersion?: string | undefined;
}

/**
 * Parses a target triple and normalises it. Accepted forms:
 *
 * - `arch-vendor-os[-env]`: `x86_64-unknown-linux-gnu`, `x86_64-pc-windows-msvc`,
 *   `aarch64-apple-darwin`, `x86_64-apple-macosx11.0`, `x86_64-w64-mingw32`, `universal-apple-darwin`
 * - `arch-os-env` (Debian's multiarch names): `aarch64-linux-gnu`, `arm-linux-gnueabihf`
 * - `arch-os`: `aarch64-darwin`, `x86_64-linux` (the OS's default env is assumed)
 *
 * Arch spellings are unified (`arm64`/`aarch64`, `amd64`/`x64`/`x86_64`, `i386`/`i686`,
 * `riscv64`/`riscv64gc`, `ppc64le`/`powerpc64le`), the vendor is normalised per OS (gcc's
 * `x86_64-pc-linux-gnu` equals `x86_64-unknown-linux-gnu`), and a missing env gets the OS default
 * (`gnu`, `gnueabihf` for 32-bit ARM, `msvc` on Windows). Throws TARGET_INVALID naming the input.
 */
export function parseTriple(input: string): Triple {
  const text = input.trim().toLowerCase();
  const parts = text.split('-');
  if (parts.length < 2 || parts.length > 4 || parts.some((p) => !/^[a-z0-9_.]+$/.test(p))) {
    throw invalid(input, 'expected arch-vendor-os[-env]');
  }
  const arch = canonicalArch(parts[0]!);
  if (!arch) throw invalid(input, `unknown architecture "${parts[0]}"`);

  const rest = parts.slice(1);
  let vendorPart: string | undefined;
  let osPart: string;
  let envPart: string | undefined;
  if (rest.length === 1) {
    osPart = rest[0]!;
  } else if (rest.length === 2 && splitOs(rest[0]!) && ENVS.has(rest[1]!)) {
    // Debian multiarch form, `aarch64-linux-gnu`: no vendor.
    [osPart, envPart] = rest as [string, string];
  } else if (rest.length === 2) {
    [vendorPart, osPart] = rest as [string, string];
  } else {
    [vendorPart, osPart, envPart] = rest as [string, string, string];
  }

  const os = splitOs(osPart);
  if (!os) throw invalid(input, `unknown operating system "${osPart}"`);
  // Vendors are free-form (`alpine`, `redhat`, `w64`), but never start with a digit or hold a dot.
  if (vendorPart !== undefined && !/^[a-z][a-z0-9_]*$/.test(vendorPart)) {
    throw invalid(input, `unknown vendor "${vendorPart}"`);
  }
  if (envPart !== undefined && !ENVS.has(envPart)) {
    throw invalid(input, `unknown environment "${envPart}"`);
  }
  const info = OSES[os.os]!;
  let env = envPart ?? os.env ?? info.defaultEnv;
  if (envPart === undefined && os.os === 'linux' && /^arm/.test(arch) && env === 'gnu') {
    // Every 32-bit ARM Linux Node runs on is hard-float.
    env = 'gnueabihf';
  }
  if (arch === 'universal' && os.os !== 'darwin') {
    throw invalid(input, 'universal binaries exist only for Apple targets');
  }
  const vendor = info.vendor;
  const triple = [arch, vendor, os.os, ...(env ? [env] : [])].join('-');
  return { triple, arch, vendor, os: os.os, env, osVersion: os.version };
}

/** Like parseTriple, but passes an already parsed triple through. */
export function toTriple(t: Triple | string): Triple {
  return typeof t === 'string' ? parseTriple(t) : t;
}

function canonicalArch(word: string): string | undefined {
  const name = ARCH_ALIASES[word] ?? word;
  return ARCHES[name] ? name : undefined;
}

/** `macosx11.0` → darwin 11.0; `darwin20` → darwin 11.0; `freebsd13` → freebsd 13; `mingw32` → windows gnu. */
function splitOs(word: string): { os: string; version?: string; env?: string } | undefined {
  const alias = OS_ALIASES[word];
  if (alias) return alias;
  if (OSES[word]) return { os: word };
  const m = /^([a-z_]+?)(\d+(?:\.\d+)*)$/.exec(word);
  if (!m) return undefined;
  const base = OS_ALIASES[m[1]!]?.os ?? (OSES[m[1]!] ? m[1]! : undefined);
  if (!base) return undefined;
  let version = m[2]!;
  if (m[1] === 'darwin') version = darwinToMacos(version);
  else if (base === 'darwin' && !version.includes('.')) version = `${version}.0`;
  return { os: base, version };
}

/**
 * Darwin kernel N is macOS 10.(N-4) up to Darwin 19 (Catalina), then macOS N-9 (Darwin 20 = Big
 * Sur 11) until Apple aligned the numbers with the year: Darwin 25 is macOS 26.
 */
function darwinToMacos(kernel: string): string {
  const major = Number(kernel.split('.')[0]);
  if (major <= 19) return `10.${Math.max(major - 4, 0)}`;
  if (major <= 24) return `${major - 9}.0`;
  return `${major + 1}.0`;
}

function invalid(input: string, reason: string): KilnError {
  return new KilnError('TARGET_INVALID', `"${input}" is not a target triple: ${reason}`, {
    hint: `${nodePairHint(input)}Use arch-vendor-os[-env], e.g. ${EXAMPLE_TRIPLES.join(', ')}.`,
  });
}

const NODE_PAIR_TRIPLES: Readonly<Record<string, string>> = {
  'linux-x64': 'x86_64-unknown-linux-gnu',
  'linux-arm64': 'aarch64-unknown-linux-gnu',
  'linux-arm': 'armv7-unknown-linux-gnueabihf',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
  'win32-x64': 'x86_64-pc-windows-msvc',
  'win32-arm64': 'aarch64-pc-windows-msvc',
  'win32-ia32': 'i686-pc-windows-msvc',
};

/** People often type Node's `linux-x64` where a triple is wanted: say which triple that is. */
function nodePairHint(input: string): string {
  const triple = NODE_PAIR_TRIPLES[input.trim().toLowerCase()];
  return triple ? `"${input}" is Node's platform-arch name; its triple is ${triple}. ` : '';
}

/** The triple of the machine running Node (musl detected from the filesystem on Linux). */
export function hostTriple(
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return fromNode(platform, arch, platform === 'linux' && isMusl() ? 'musl' : undefined).triple;
}

/** musl's loader lives in /lib as ld-musl-<arch>.so.1; cheaper than process.report on the hot path. */
let musl: boolean | undefined;
function isMusl(): boolean {
  // The running system's libc does not change under a process; a workspace asks once per package.
  musl ??= detectMusl();
  return musl;
}

function detectMusl(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    return readdirSync('/lib').some((f) => f.startsWith('ld-musl-'));
  } catch {
    return false;
  }
}

export function isApple(t: Triple): boolean {
  return t.vendor === 'apple' || t.os === 'darwin' || t.os === 'ios';
}

export function isUniversal(t: Triple): boolean {
  return t.arch === 'universal';
}

/** The triples a universal Apple target is built from, in lipo order (x86_64 first, as napi-rs). */
export function universalParts(t: Triple): Triple[] {
  if (!isUniversal(t)) return [t];
  return ['x86_64', 'aarch64'].map((arch) => ({
    triple: `${arch}-apple-${t.os}`,
    arch,
    vendor: 'apple',
    os: t.os,
    env: t.env,
    osVersion: t.osVersion,
  }));
}

/** Apple's `-arch` name (`arm64`, `x86_64`, `i386`). */
export function appleArchName(t: Triple): string {
  return ARCHES[t.arch]?.apple ?? t.arch;
}

/**
 * GNU cross-tool prefix for a target, e.g. `aarch64-linux-gnu-` for `aarch64-unknown-linux-gnu`,
 * `arm-linux-gnueabihf-` for `armv7-unknown-linux-gnueabihf`, `riscv64-linux-gnu-` for
 * `riscv64gc-unknown-linux-gnu` (the names Debian/Ubuntu's `gcc-<prefix>` packages install).
 */
export function gnuCrossPrefix(t: Triple): string {
  const gnuArch = ARCHES[t.arch]?.gnu ?? t.arch;
  if (t.os === 'linux') return `${gnuArch}-linux-${t.env ?? 'gnu'}-`;
  if (t.os === 'windows' && t.env === 'gnu') return `${gnuArch}-w64-mingw32-`;
  return `${t.triple}-`;
}

/** True when code built for `target` cannot run natively on `host`. */
export function isCross(host: Triple, target: Triple): boolean {
  return host.triple !== target.triple;
}
