import { isKilnError } from '../errors.js';
import type { BuildContext } from '../runner/types.js';
import { deploymentTarget } from '../target/apple.js';
import { isApple, type Triple } from '../target/triple.js';
import { sdkPath } from './apple-sdk.js';
import { discoverTool } from './discover.js';
import { lookupToolEnv } from './env.js';
import { detectCompiler } from './family.js';
import { splitShellWords } from './shellwords.js';
import { targetFlags } from './target-flags.js';
import type { Tool, Toolchain } from './types.js';

export { envNames, lookupToolEnv } from './env.js';
export { isClang, isGnuLike } from './family.js';
export { shellJoin, shellQuote, splitShellWords } from './shellwords.js';
export type { CompilerFamily, CompilerInfo, Tool, Toolchain } from './types.js';

export interface ResolveToolchainOptions {
  /** Build for this triple instead of `ctx.target` (the parts of a universal Apple build). */
  target?: Triple;
}

/**
 * The C/C++ toolchain for a target, discovered the way cc-rs does it (see docs in README):
 * `CC`/`CXX`/`AR`/`RANLIB`/`CFLAGS`/`CXXFLAGS`/`LDFLAGS` in their target-specific forms, cross
 * prefixes, compiler wrappers, family detection, Apple and sysroot flags. Memoised per build and
 * target, so every step of a build sees the same compilers.
 *
 * Sysroot: `KILN_SYSROOT` (in the same target-specific forms, e.g. `KILN_SYSROOT_aarch64_unknown_linux_gnu`)
 * adds `--sysroot=<dir>` to every compile and link. Apple SDK: `SDKROOT` adds `-isysroot`.
 */
export function resolveToolchain(
  ctx: BuildContext,
  options: ResolveToolchainOptions = {},
): Promise<Toolchain> {
  const target = options.target ?? ctx.target;
  return ctx.cache(`kiln:toolchain:${target.triple}`, () => computeToolchain(ctx, target));
}

/**
 * A C-only build must work where no C++ compiler is installed (Debian's `gcc` package has no
 * g++): a missing C++ compiler is recorded on the tool (`missing`) and thrown by whoever needs it.
 */
function discoverCxx(ctx: BuildContext, target: Triple): Tool {
  try {
    return discoverTool(ctx, 'cxx', target)!;
  } catch (err) {
    if (!isKilnError(err) || err.code !== 'TOOL_NOT_FOUND') throw err;
    const name = /"([^"]+)"/.exec(err.message)?.[1] ?? 'c++';
    return { program: name, args: [], path: name, compilerArgs: [], missing: err };
  }
}

/**
 * Variables gcc and clang read by themselves (extra include and library dirs): not passed by
 * Kiln, but they change what a compile or link produces, so they are inputs of the build.
 */
const COMPILER_ENV = [
  'CPATH',
  'C_INCLUDE_PATH',
  'CPLUS_INCLUDE_PATH',
  'OBJC_INCLUDE_PATH',
  'LIBRARY_PATH',
  'GCC_EXEC_PREFIX',
  'COMPILER_PATH',
  'SOURCE_DATE_EPOCH',
];

/**
 * What cl.exe, clang-cl, lib.exe and link.exe read by themselves: the header and library search
 * paths of a developer prompt, and extra options (`CL`, `_CL_`, `LINK`, `_LINK_`).
 */
const MSVC_ENV = ['INCLUDE', 'EXTERNAL_INCLUDE', 'LIB', 'LIBPATH', 'CL', '_CL_', 'LINK', '_LINK_'];

async function computeToolchain(ctx: BuildContext, target: Triple): Promise<Toolchain> {
  for (const name of target.env === 'msvc' ? MSVC_ENV : COMPILER_ENV) ctx.getEnv(name);
  const cc = discoverTool(ctx, 'cc', target)!;
  const cxx = discoverCxx(ctx, target);
  const ar = discoverTool(ctx, 'ar', target)!;
  const ranlib = discoverTool(ctx, 'ranlib', target);
  // MSVC-style targets link with link.exe / lld-link, not through the compiler driver.
  const linker = target.env === 'msvc' ? discoverTool(ctx, 'link', target) : undefined;
  const [ccInfo, cxxInfo] = await Promise.all([
    detectCompiler(ctx, cc, 'c'),
    cxx.missing ? detectCompiler(ctx, cc, 'c') : detectCompiler(ctx, cxx, 'c++'),
  ]);
  const flagsFrom = (variable: string): string[] => {
    const hit = lookupToolEnv(ctx, variable, target, { emptyIsUnset: false });
    return hit ? splitShellWords(hit.value, hit.name) : [];
  };
  const sysroot = lookupToolEnv(ctx, 'KILN_SYSROOT', target, { emptyIsUnset: true })?.value.trim();
  const apple = isApple(target);
  const version = apple ? deploymentTarget(ctx, target) : '';
  // The SDK only when SDKROOT or xcrun says where it is: static libraries build without one.
  const sdkRoot = apple ? await sdkPath(ctx) : undefined;
  const common = { target, host: ctx.host, sysroot, sdkRoot, macosVersion: version };
  return {
    target,
    host: ctx.host,
    cross: target.triple !== ctx.host.triple,
    cc,
    cxx,
    ar,
    ranlib,
    ...(linker ? { linker } : {}),
    ccInfo,
    cxxInfo,
    targetFlags: targetFlags({ ...common, info: ccInfo }),
    cxxTargetFlags: targetFlags({ ...common, info: cxxInfo }),
    cflags: flagsFrom('CFLAGS'),
    cxxflags: flagsFrom('CXXFLAGS'),
    ldflags: flagsFrom('LDFLAGS'),
    sysroot,
  };
}
