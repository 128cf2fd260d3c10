import { appleCompileFlags } from '../target/apple.js';
import { clangTarget } from '../target/clang.js';
import { isApple, type Triple } from '../target/triple.js';
import { isClang } from './family.js';
import type { CompilerInfo } from './types.js';

export interface TargetFlagInput {
  target: Triple;
  host: Triple;
  info: CompilerInfo;
  sysroot: string | undefined;
  /** Apple SDK path (`-isysroot`), when known. */
  sdkRoot: string | undefined;
  /** Apple deployment target (from `deploymentTarget()` of the target module). */
  macosVersion: string;
}

/**
 * Flags every compile and link for the target needs. Only target-derived flags are produced:
 * nothing describing the build machine (`-m64`, `-march=native`) is ever added, so a cross
 * compiler never sees a host flag.
 *
 * Apple: `--target=<arch>-apple-macos<version>` for clang (off a Mac clang ignores `-arch`; the
 * triple is what selects Mach-O), `-arch`, and `-mmacosx-version-min` — one deployment target
 * shared with the cmake plugin. Other targets: clang gets `--target=` only when cross compiling
 * (a native clang already defaults to the host), gcc gets nothing: its target is its prefix.
 */
export function targetFlags(input: TargetFlagInput): string[] {
  const { target, host, info } = input;
  const flags: string[] = [];
  if (info.family === 'msvc') return msvcTargetFlags(input);
  if (isApple(target)) {
    flags.push(
      ...appleCompileFlags(target, input.macosVersion, {
        clang: isClang(info) && target.arch !== 'universal',
      }),
    );
    if (input.sdkRoot) flags.push('-isysroot', input.sdkRoot);
  } else if (isClang(info) && target.triple !== host.triple) {
    flags.push(`--target=${clangTarget(target)}`);
  }
  if (input.sysroot) flags.push(`--sysroot=${input.sysroot}`);
  return flags;
}

/**
 * cl.exe has one binary per target (`Hostx64\arm64\cl.exe`): no flag. clang-cl is told the
 * triple when it is not the build machine's, and a sysroot is its `/winsysroot:` (a folder
 * holding `VC` and `Windows Kits` as xwin or a Visual Studio copy lays them out).
 */
function msvcTargetFlags(input: TargetFlagInput): string[] {
  if (!input.info.clangCl) return [];
  const flags: string[] = [];
  if (input.target.triple !== input.host.triple)
    flags.push(`--target=${clangTarget(input.target)}`);
  if (input.sysroot) flags.push(`/winsysroot:${input.sysroot}`);
  return flags;
}
