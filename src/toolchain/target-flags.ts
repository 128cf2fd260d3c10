import type { BuildContext } from '../runner/types.js';
import { appleArchName, isApple, isUniversal, type Triple, universalParts } from '../target/triple.js';
import { isClang } from './family.js';
import type { CompilerInfo } from './types.js';

/** macOS version assumed when neither MACOSX_DEPLOYMENT_TARGET nor the triple names one. */
export const DEFAULT_MACOS_VERSION = '11.0';

export interface TargetFlagInput {
  target: Triple;
  host: Triple;
  info: CompilerInfo;
  sysroot: string | undefined;
  /** Apple SDK path (`-isysroot`), when known. */
  sdkRoot: string | undefined;
  /** Apple deployment target. */
  macosVersion: string;
}

/**
 * Flags every compile and link for the target needs. Only target-derived flags are produced:
 * nothing describing the build machine (`-m64`, `-march=native`) is ever added, so a cross
 * compiler never sees a host flag.
 */
export function targetFlags(input: TargetFlagInput): string[] {
  const { target, host, info } = input;
  const flags: string[] = [];
  if (isApple(target)) {
    if (isUniversal(target)) {
      // One fat compile; the cc plugin builds the parts separately and merges with lipo instead.
      for (const part of universalParts(target)) flags.push('-arch', appleArchName(part));
    } else {
      flags.push('-arch', appleArchName(target));
      if (isClang(info) && target.triple !== host.triple) {
        flags.push(`--target=${appleArchName(target)}-apple-macosx`);
      }
    }
    flags.push(`-mmacosx-version-min=${input.macosVersion}`);
    if (input.sdkRoot) flags.push('-isysroot', input.sdkRoot);
  } else if (isClang(info) && target.triple !== host.triple) {
    flags.push(`--target=${target.triple}`);
  }
  if (input.sysroot) flags.push(`--sysroot=${input.sysroot}`);
  return flags;
}

/** `MACOSX_DEPLOYMENT_TARGET`, else the version in the triple (`x86_64-apple-macosx12.0`), else 11.0. */
export function macosVersion(ctx: Pick<BuildContext, 'getEnv'>, target: Triple): string {
  return ctx.getEnv('MACOSX_DEPLOYMENT_TARGET')?.trim() || target.osVersion || DEFAULT_MACOS_VERSION;
}
