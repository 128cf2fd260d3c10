import type { KilnError } from '../errors.js';
import type { Triple } from '../target/triple.js';

/** A program with the arguments that must precede every call (`CC="ccache gcc -m64"`). */
export interface Tool {
  /** What gets spawned: the wrapper when there is one (`ccache`), else the tool itself. */
  program: string;
  /** Arguments placed before Kiln's own (`['gcc', '-m64']` after a `ccache` wrapper). */
  args: string[];
  /** The wrapper in use (`ccache`, `sccache`, `distcc`), if any. */
  wrapper?: string | undefined;
  /** The compiler or tool itself, without the wrapper (what CMake should be told). */
  path: string;
  /** The arguments of the tool itself without the wrapper (`['-m64']` for `CC="ccache gcc -m64"`). */
  compilerArgs?: string[] | undefined;
  /** The env var the tool came from (`CC_aarch64_unknown_linux_gnu`), or undefined for a default. */
  fromEnv?: string | undefined;
  /**
   * Environment the tool needs on top of the build's: `INCLUDE`/`LIB` for a cl.exe found through
   * a Visual Studio installation rather than a developer prompt.
   */
  env?: Record<string, string> | undefined;
  /**
   * Set when the tool was not found (only the C++ compiler may be missing: C-only builds work
   * without one). Throw it when the tool is actually needed; `program`/`path` are the name looked for.
   */
  missing?: KilnError | undefined;
}

export type CompilerFamily = 'gcc' | 'clang' | 'apple-clang' | 'msvc';

export interface CompilerInfo {
  family: CompilerFamily;
  version: string;
  /** msvc family: the driver is clang-cl (takes `--target=`, never localises its output). */
  clangCl?: boolean | undefined;
  /** msvc family: the `/showIncludes` line prefix this compiler prints (localised by cl.exe). */
  showIncludesPrefix?: string | undefined;
}

export interface Toolchain {
  target: Triple;
  cc: Tool;
  cxx: Tool;
  ar: Tool;
  ranlib: Tool | undefined;
  /** The linker of MSVC targets (`link.exe`, `lld-link`); GNU-style targets link through the compiler. */
  linker?: Tool | undefined;
  ccInfo: CompilerInfo;
  cxxInfo: CompilerInfo;
  /** Flags every compile and link for the target needs (`--target=`, `-arch`, `-mmacosx-version-min`, `--sysroot`). */
  targetFlags: string[];
  /** The user's CFLAGS / CXXFLAGS / LDFLAGS (target-specific forms resolved), applied last. */
  cflags: string[];
  cxxflags: string[];
  ldflags: string[];
  /** Sysroot in use, when cross compiling with one. */
  sysroot: string | undefined;
  /** Like `targetFlags`, for the C++ compiler (it can be of another family than the C one). */
  cxxTargetFlags?: string[] | undefined;
  /** The build machine, and whether the target differs from it. */
  host?: Triple | undefined;
  cross?: boolean | undefined;
}
