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

/**
 * Tool candidates for cross compiling to `target`, best first: the GNU cross toolchain
 * (`aarch64-linux-gnu-gcc`, `-g++`, `-gcc-ar` then `-ar`, `-gcc-ranlib` then `-ranlib`), then
 * clang with `--target=` and the LLVM archiver. `gcc-ar` comes first because it understands LTO
 * objects. Apple and MSVC targets have no GNU cross tools: clang (and `clang-cl`) only.
 * Toolchain discovery walks these in order and takes the first one on PATH.
 */
export function crossToolNames(target: Triple | string): CrossToolNames {
  const t = toTriple(target);
  const clangArgs = isApple(t) ? [] : [`--target=${clangTarget(t)}`];
  const llvm = {
    cc: { program: 'clang', args: clangArgs },
    cxx: { program: 'clang++', args: clangArgs },
    ar: { program: 'llvm-ar', args: [] },
    ranlib: { program: 'llvm-ranlib', args: [] },
  };
  if (isApple(t)) {
    // Apple clang picks the arch from -arch; plain clang needs --target with the deployment
    // version, which appleCompileFlags adds, so no args here.
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
  const p = gnuCrossPrefix(t);
  const tool = (name: string): ToolCandidate => ({ program: `${p}${name}`, args: [] });
  const extraCc: ToolCandidate[] =
    t.env?.startsWith('musl') && t.arch === 'x86_64' ? [{ program: 'musl-gcc', args: [] }] : [];
  return {
    cc: [tool('gcc'), tool('cc'), ...extraCc, llvm.cc],
    cxx: [tool('g++'), tool('c++'), llvm.cxx],
    ar: [tool('gcc-ar'), tool('ar'), llvm.ar],
    ranlib: [tool('gcc-ranlib'), tool('ranlib'), llvm.ranlib],
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
