import { KilnError } from '../errors.js';
import { ARCHES } from './tables.js';
import { isApple, isUniversal, type Triple, toTriple } from './triple.js';

/**
 * The `--target=` value for clang. Apple targets use Apple's spelling with the deployment target
 * in it (`arm64-apple-macos11.0`, `x86_64-apple-macos10.13`), because clang on a non-Apple host
 * ignores `-arch` and only the triple selects Mach-O output; the version in the triple is the
 * same one `-mmacosx-version-min` carries, so the two never disagree. Other targets pass through
 * in LLVM's spelling (`riscv64gc` → `riscv64`).
 *
 * @param deploymentTarget macOS version (see `deploymentTarget()`); without it `macos` carries none.
 * @throws TARGET_UNSUPPORTED for `universal-apple-darwin`: one clang invocation makes one arch; build
 *   each of `universalParts()` and merge with `lipoMerge()`.
 */
export function clangTarget(target: Triple | string, deploymentTarget?: string): string {
  const t = toTriple(target);
  if (isUniversal(t)) {
    throw new KilnError('TARGET_UNSUPPORTED', `clang cannot compile for ${t.triple} in one step`, {
      hint: 'Compile each of x86_64-apple-darwin and aarch64-apple-darwin, then merge with lipo (lipoMerge).',
    });
  }
  const info = ARCHES[t.arch];
  if (isApple(t)) {
    const arch = info?.apple ?? t.arch;
    const os = t.os === 'darwin' ? 'macos' : t.os;
    const version = deploymentTarget ?? t.osVersion ?? '';
    return `${arch}-apple-${os}${version}${t.env ? `-${t.env}` : ''}`;
  }
  const arch = info?.clang ?? t.arch;
  return [arch, t.vendor, t.os, ...(t.env ? [t.env] : [])].join('-');
}
