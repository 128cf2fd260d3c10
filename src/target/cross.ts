import path from 'node:path';
import { clangTarget } from './clang.js';
import { ARCHES } from './tables.js';
import { gnuCrossPrefix, isApple, type Triple, toTriple } from './triple.js';

/** One way to invoke a tool: the program and the arguments that must precede Kiln's own. */
export interface ToolCandidate {
  program: string;
  args: string[];
}

export interface CrossToolNames {
  cc: ToolCandidate[];
  cxx: ToolCandidate[];
  ar: ToolCandidate[];
  ranlib: ToolCandidate[];
}

export interface CrossToolOptions {
  /**
   * The GNU tool prefix to use instead of the triple's (`CROSS_COMPILE`, e.g. `arm-none-linux-`).
   * When given, only that prefix is tried before clang: the user said which tools to use.
   */
  prefix?: string | undefined;
}

/**
 * Tool candidates for cross compiling to `target`, best first. This is the one list toolchain
 * discovery walks (the first one on PATH wins), so it is the order a build picks in:
 *
 * 1. the GNU cross toolchain by Debian's prefix (`aarch64-linux-gnu-gcc`, `-cc`; `-g++`, `-c++`;
 *    `-ar` then `-gcc-ar`; `-ranlib` then `-gcc-ranlib`),
 * 2. the same by the full triple when that differs (`aarch64-unknown-linux-gnu-gcc`: what
 *    crosstool-NG and the Homebrew cross toolchains install),
 * 3. `musl-gcc` for x86_64 musl (the musl wrapper around the host gcc),
 * 4. clang with `--target=` and the LLVM archiver.
 *
 * Apple targets have no GNU cross tools: clang only (Apple clang picks the arch from `-arch`;
 * plain clang gets `--target` with the deployment version from appleCompileFlags). MSVC targets
 * get `cl`, then `clang-cl`.
 */
export function crossToolNames(
  target: Triple | string,
  options: CrossToolOptions = {},
): CrossToolNames {
  const t = toTriple(target);
  const clangArgs = isApple(t) ? [] : [`--target=${clangTarget(t)}`];
  const llvm = {
    cc: { program: 'clang', args: clangArgs },
    cxx: { program: 'clang++', args: clangArgs },
    ar: { program: 'llvm-ar', args: [] },
    ranlib: { program: 'llvm-ranlib', args: [] },
  };
  if (isApple(t)) {
    return { cc: [llvm.cc], cxx: [llvm.cxx], ar: [llvm.ar], ranlib: [llvm.ranlib] };
  }
  if (t.os === 'windows' && t.env === 'msvc') {
    return {
      cc: [{ program: 'cl', args: [] }, { program: 'clang-cl', args: clangArgs }, llvm.cc],
      cxx: [{ program: 'cl', args: [] }, { program: 'clang-cl', args: clangArgs }, llvm.cxx],
      ar: [{ program: 'lib', args: [] }, { program: 'llvm-lib', args: [] }, llvm.ar],
      ranlib: [],
    };
  }
  const prefixes = options.prefix
    ? [options.prefix]
    : [...new Set([gnuCrossPrefix(t), `${t.triple}-`])];
  const tools = (...names: string[]): ToolCandidate[] =>
    prefixes.flatMap((p) => names.map((name) => ({ program: `${p}${name}`, args: [] })));
  const extraCc: ToolCandidate[] =
    t.env?.startsWith('musl') && t.arch === 'x86_64' ? [{ program: 'musl-gcc', args: [] }] : [];
  return {
    cc: [...tools('gcc', 'cc'), ...extraCc, llvm.cc],
    cxx: [...tools('g++', 'c++'), llvm.cxx],
    // Plain `ar` first (binutils' ar loads gcc's LTO plugin from bfd-plugins by itself);
    // `gcc-ar` for a toolchain that ships only that.
    ar: [...tools('ar', 'gcc-ar'), llvm.ar],
    ranlib: [...tools('ranlib', 'gcc-ranlib'), llvm.ranlib],
  };
}

export interface QemuRunner {
  /** `qemu-aarch64`, `qemu-arm`, ... */
  program: string;
  /** `['-L', sysroot]` so the target's dynamic loader and libc are found. */
  args: string[];
  /** Where Debian/Ubuntu's cross libc packages install the target's libraries. */
  sysroot: string;
}

/**
 * How to run a Linux binary built for `target` on another Linux machine: qemu user mode with the
 * Debian-layout sysroot `/usr/<gnu-prefix>` (`/usr/aarch64-linux-gnu`, what `libc6-dev-arm64-cross`
 * installs). Returns undefined for non-Linux targets, where qemu user mode cannot help.
 * `QEMU_LD_PREFIX` in the child's environment overrides `-L`, as qemu documents.
 */
export function qemuFor(target: Triple | string): QemuRunner | undefined {
  const t = toTriple(target);
  const qemu = ARCHES[t.arch]?.qemu;
  if (t.os !== 'linux' || !qemu) return undefined;
  const sysroot = `/usr/${gnuCrossPrefix(t).slice(0, -1)}`;
  return { program: `qemu-${qemu}`, args: ['-L', sysroot], sysroot };
}

// The CMake names used to live here; code importing them from this module keeps working.
export { cmakeOsxArchitectures, cmakeSystemName, cmakeSystemProcessor } from './cmake.js';

/** The `<triple>-` prefix of a GNU cross tool (`x86_64-w64-mingw32-ar` → `x86_64-w64-mingw32-`). */
export function gnuToolPrefix(toolPath: string): string | undefined {
  const m = /^(.*?-)(?:gcc-)?ar(?:\.exe)?$/i.exec(path.basename(toolPath));
  // `llvm-ar` names no target: the MinGW dlltool is then looked up by the target's own prefix.
  return m && !/^llvm-$/i.test(m[1]!) ? m[1] : undefined;
}
