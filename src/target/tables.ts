/**
 * The facts Kiln knows about each architecture and operating system, in one place so the parser,
 * the Node mapping, the cross-tool names, qemu and CMake all agree.
 */

/** Values of `process.arch` that Node has shipped for. */
export type NodeArch =
  | 'arm'
  | 'arm64'
  | 'ia32'
  | 'loong64'
  | 'mips'
  | 'mipsel'
  | 'ppc'
  | 'ppc64'
  | 'riscv64'
  | 's390'
  | 's390x'
  | 'x64';

/** Values of `process.platform`. */
export type NodePlatform =
  | 'aix'
  | 'android'
  | 'darwin'
  | 'freebsd'
  | 'linux'
  | 'netbsd'
  | 'openbsd'
  | 'sunos'
  | 'win32';

export interface ArchInfo {
  /** `process.arch`, when Node runs on it. */
  node?: NodeArch;
  /** Apple's `-arch` name, for the arches Apple toolchains know. */
  apple?: string;
  /** The arch word of GNU cross tools (`arm` in `arm-linux-gnueabihf-gcc`). */
  gnu: string;
  /** The arch word clang's `--target=` understands, when it differs from the canonical name. */
  clang?: string;
  /** The qemu user-mode emulator suffix (`qemu-<name>`). */
  qemu?: string;
  /** What `uname -m` prints on Linux, which is what CMake puts in CMAKE_SYSTEM_PROCESSOR. */
  uname: string;
  /** ELF `e_machine`. */
  elf?: number;
  /** ARM architecture version, the `armv` tag of prebuildify / node-gyp-build. */
  armv?: string;
}

/**
 * Canonical arch names follow Rust (and so napi-rs, which Node users meet first): `aarch64`, not
 * `arm64`; `riscv64gc`; `armv7`. `universal` is Kiln's (and napi-rs's) "both Apple arches".
 */
export const ARCHES: Readonly<Record<string, ArchInfo>> = {
  x86_64: { node: 'x64', apple: 'x86_64', gnu: 'x86_64', qemu: 'x86_64', uname: 'x86_64', elf: 62 },
  aarch64: {
    node: 'arm64',
    apple: 'arm64',
    gnu: 'aarch64',
    qemu: 'aarch64',
    uname: 'aarch64',
    elf: 183,
    armv: '8',
  },
  i686: { node: 'ia32', apple: 'i386', gnu: 'i686', qemu: 'i386', uname: 'i686', elf: 3 },
  armv7: {
    node: 'arm',
    apple: 'armv7',
    gnu: 'arm',
    qemu: 'arm',
    uname: 'armv7l',
    elf: 40,
    armv: '7',
  },
  armv6: { node: 'arm', gnu: 'arm', qemu: 'arm', uname: 'armv6l', elf: 40, armv: '6' },
  arm: { node: 'arm', gnu: 'arm', qemu: 'arm', uname: 'armv6l', elf: 40, armv: '6' },
  powerpc64le: { node: 'ppc64', gnu: 'powerpc64le', qemu: 'ppc64le', uname: 'ppc64le', elf: 21 },
  powerpc64: {
    node: 'ppc64',
    apple: 'ppc64',
    gnu: 'powerpc64',
    qemu: 'ppc64',
    uname: 'ppc64',
    elf: 21,
  },
  powerpc: { node: 'ppc', apple: 'ppc', gnu: 'powerpc', qemu: 'ppc', uname: 'ppc', elf: 20 },
  s390x: { node: 's390x', gnu: 's390x', qemu: 's390x', uname: 's390x', elf: 22 },
  s390: { node: 's390', gnu: 's390', uname: 's390', elf: 22 },
  riscv64gc: {
    node: 'riscv64',
    gnu: 'riscv64',
    clang: 'riscv64',
    qemu: 'riscv64',
    uname: 'riscv64',
    elf: 243,
  },
  loongarch64: {
    node: 'loong64',
    gnu: 'loongarch64',
    qemu: 'loongarch64',
    uname: 'loongarch64',
    elf: 258,
  },
  mips: { node: 'mips', gnu: 'mips', qemu: 'mips', uname: 'mips', elf: 8 },
  mipsel: { node: 'mipsel', gnu: 'mipsel', qemu: 'mipsel', uname: 'mips', elf: 8 },
  mips64el: { gnu: 'mips64el', qemu: 'mips64el', uname: 'mips64', elf: 8 },
  wasm32: { gnu: 'wasm32', uname: 'wasm32' },
  universal: { gnu: 'universal', uname: 'universal' },
};

/** Other spellings seen in the wild (LLVM, Debian, Node, Apple, Python's `universal2`). */
export const ARCH_ALIASES: Readonly<Record<string, string>> = {
  arm64: 'aarch64',
  amd64: 'x86_64',
  x64: 'x86_64',
  i386: 'i686',
  i486: 'i686',
  i586: 'i686',
  x86: 'i686',
  ia32: 'i686',
  armv7l: 'armv7',
  armv7a: 'armv7',
  armv7hf: 'armv7',
  armhf: 'armv7',
  thumbv7neon: 'armv7',
  armv6l: 'armv6',
  armel: 'arm',
  ppc64le: 'powerpc64le',
  ppc64el: 'powerpc64le',
  ppc64: 'powerpc64',
  ppc: 'powerpc',
  riscv64: 'riscv64gc',
  loong64: 'loongarch64',
  universal2: 'universal',
};

export interface OsInfo {
  /** The vendor a normalised triple carries for this OS. */
  vendor: string;
  /** The env assumed when the triple has none (`x86_64-unknown-linux` is glibc). */
  defaultEnv?: string;
  /** `process.platform`, when Node runs on it. */
  node?: NodePlatform;
  /** CMAKE_SYSTEM_NAME. */
  cmake: string;
}

export const OSES: Readonly<Record<string, OsInfo>> = {
  linux: { vendor: 'unknown', defaultEnv: 'gnu', node: 'linux', cmake: 'Linux' },
  darwin: { vendor: 'apple', node: 'darwin', cmake: 'Darwin' },
  windows: { vendor: 'pc', defaultEnv: 'msvc', node: 'win32', cmake: 'Windows' },
  freebsd: { vendor: 'unknown', node: 'freebsd', cmake: 'FreeBSD' },
  openbsd: { vendor: 'unknown', node: 'openbsd', cmake: 'OpenBSD' },
  netbsd: { vendor: 'unknown', node: 'netbsd', cmake: 'NetBSD' },
  dragonfly: { vendor: 'unknown', cmake: 'DragonFly' },
  aix: { vendor: 'ibm', node: 'aix', cmake: 'AIX' },
  solaris: { vendor: 'pc', node: 'sunos', cmake: 'SunOS' },
  illumos: { vendor: 'unknown', node: 'sunos', cmake: 'SunOS' },
  ios: { vendor: 'apple', cmake: 'iOS' },
  wasi: { vendor: 'unknown', cmake: 'WASI' },
  emscripten: { vendor: 'unknown', cmake: 'Emscripten' },
  none: { vendor: 'unknown', cmake: 'Generic' },
};

/**
 * CMAKE_SYSTEM_PROCESSOR where CMake reports something other than {@link ArchInfo.uname}, by OS.
 * CMake takes the processor from the machine it runs on (CMAKE_HOST_SYSTEM_PROCESSOR docs):
 * `uname -m` on Linux, Android and Darwin (Apple's names, from {@link ArchInfo.apple});
 * `PROCESSOR_ARCHITECTURE` on Windows; `arch -s` on OpenBSD; `uname -p` (the kernel's
 * MACHINE_ARCH) on the other BSDs, which FreeBSD spells `amd64` and NetBSD `x86_64`.
 * A cross build must name what a native configure would, because projects test the value
 * (`if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")`).
 */
export const CMAKE_PROCESSORS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  windows: { x86_64: 'AMD64', aarch64: 'ARM64', i686: 'X86', armv7: 'ARM' },
  freebsd: {
    x86_64: 'amd64',
    i686: 'i386',
    armv7: 'armv7',
    armv6: 'armv6',
    riscv64gc: 'riscv64',
    powerpc64le: 'powerpc64le',
    powerpc64: 'powerpc64',
  },
  openbsd: { x86_64: 'amd64', i686: 'i386', riscv64gc: 'riscv64' },
  netbsd: { i686: 'i386', riscv64gc: 'riscv64' },
};

/** OS spellings: LLVM's `macosx`, MinGW's `mingw32` (which also says "GNU env"), Node's names. */
export const OS_ALIASES: Readonly<Record<string, { os: string; env?: string }>> = {
  macos: { os: 'darwin' },
  macosx: { os: 'darwin' },
  win32: { os: 'windows' },
  mingw32: { os: 'windows', env: 'gnu' },
  w64: { os: 'windows', env: 'gnu' },
  sunos: { os: 'solaris' },
};

/** Envs (the fourth triple part) Kiln accepts; anything else is more likely a typo than a target. */
export const ENVS: ReadonlySet<string> = new Set([
  'gnu',
  'gnueabi',
  'gnueabihf',
  'gnux32',
  'gnuabi64',
  'gnullvm',
  'musl',
  'musleabi',
  'musleabihf',
  'msvc',
  'android',
  'androideabi',
  'ohos',
  'eabi',
  'eabihf',
  'elf',
  'macabi',
  'sim',
]);

/** Triples people commonly build Node addons for, shown when a triple does not parse. */
export const EXAMPLE_TRIPLES = [
  'x86_64-unknown-linux-gnu',
  'aarch64-unknown-linux-gnu',
  'x86_64-unknown-linux-musl',
  'armv7-unknown-linux-gnueabihf',
  'x86_64-apple-darwin',
  'aarch64-apple-darwin',
  'universal-apple-darwin',
  'x86_64-pc-windows-msvc',
] as const;
