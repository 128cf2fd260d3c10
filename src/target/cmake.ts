import { KilnError } from '../errors.js';
import { ARCHES, CMAKE_PROCESSORS, OSES } from './tables.js';
import {
  appleArchName,
  isApple,
  isUniversal,
  type Triple,
  toTriple,
  universalParts,
} from './triple.js';

/** CMAKE_SYSTEM_NAME for a target (`Linux`, `Darwin`, `Windows`, `FreeBSD`, `Android`, `iOS`, ...). */
export function cmakeSystemName(target: Triple | string): string {
  const t = toTriple(target);
  // Android is a Linux kernel to the triple but its own system to CMake (Android platform module).
  if (t.os === 'linux' && t.env?.startsWith('android')) return 'Android';
  const name = OSES[t.os]?.cmake;
  if (!name) {
    throw new KilnError('TARGET_UNSUPPORTED', `CMake has no system name for ${t.triple}`, {
      hint: 'Pass a CMake toolchain file that sets CMAKE_SYSTEM_NAME (cmake({ toolchainFile })), or build for a target of Linux, macOS, Windows, FreeBSD, Android or iOS.',
    });
  }
  return name;
}

/**
 * CMAKE_SYSTEM_PROCESSOR: what CMake itself reports when running natively on the target, since
 * that is what projects test. Linux and Android get `uname -m` (`aarch64`, `armv7l`, `ppc64le`);
 * Apple `arm64`/`x86_64`; Windows `AMD64`/`ARM64`/`X86`; FreeBSD `amd64` (see CMAKE_PROCESSORS).
 * For `universal-apple-darwin` there is no single processor: set CMAKE_OSX_ARCHITECTURES instead.
 */
export function cmakeSystemProcessor(target: Triple | string): string {
  const t = toTriple(target);
  const info = ARCHES[t.arch];
  if (isUniversal(t) || !info) {
    throw new KilnError('TARGET_UNSUPPORTED', `${t.triple} has no single CMAKE_SYSTEM_PROCESSOR`, {
      hint: 'Configure with CMAKE_OSX_ARCHITECTURES="x86_64;arm64" instead (cmakeOsxArchitectures).',
    });
  }
  if (isApple(t)) return appleArchName(t);
  return CMAKE_PROCESSORS[t.os]?.[t.arch] ?? info.uname;
}

/** CMAKE_OSX_ARCHITECTURES for an Apple target: `arm64`, `x86_64`, or `x86_64;arm64` for universal. */
export function cmakeOsxArchitectures(target: Triple | string): string {
  const t = toTriple(target);
  if (!isApple(t)) {
    throw new KilnError(
      'TARGET_UNSUPPORTED',
      `CMAKE_OSX_ARCHITECTURES applies to Apple targets, not ${t.triple}`,
    );
  }
  // One fat compile per source: every part's -arch, in lipo order.
  return universalParts(t).map(appleArchName).join(';');
}
