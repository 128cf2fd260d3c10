import { KilnError } from '../errors.js';
import { clangTarget } from './clang.js';
import { appleArchName, isUniversal, type Triple, toTriple, universalParts } from './triple.js';

/**
 * Default macOS deployment targets when neither `MACOSX_DEPLOYMENT_TARGET` nor the triple says.
 *
 * - arm64: 11.0, the first macOS on Apple silicon (clang raises anything lower to it anyway).
 * - x86_64: 10.13. It is the oldest macOS on which libc++ provides what common C++17 code uses
 *   (libc++ marks `std::optional` and `std::variant`'s exceptions available from 10.13) and older
 *   than every macOS the supported Node releases run on, so an addon never demands a newer OS
 *   than Node itself does. cc-rs picks the SDK version instead, which makes a binary built on the
 *   newest Xcode refuse to load on older Macs; Kiln prefers a stable, documented floor.
 */
export const DEFAULT_DEPLOYMENT_TARGET = { x86_64: '10.13', arm64: '11.0' } as const;

/**
 * Where tracked environment reads come from: a build context (anything with `getEnv`), or a plain
 * getter in tests. Spelled structurally so target/ stays free of the runner's types.
 */
export type EnvSource =
  | { getEnv(name: string): string | undefined }
  | ((name: string) => string | undefined);

function readEnv(source: EnvSource, name: string): string | undefined {
  return typeof source === 'function' ? source(name) : source.getEnv(name);
}

/**
 * The macOS deployment target for one Apple arch: `MACOSX_DEPLOYMENT_TARGET` (read through the
 * context so a change reruns the build), else the version in the triple
 * (`x86_64-apple-macosx10.15`), else `DEFAULT_DEPLOYMENT_TARGET`. arm64 never goes below 11.0.
 * For `universal-apple-darwin` this is the x86_64 part's value; call it per part for exact flags.
 *
 * @throws TARGET_INVALID when the variable is not a version such as `11.0` or `10.15.4`.
 */
export function deploymentTarget(env: EnvSource, target: Triple | string): string {
  const t = toTriple(target);
  const fromEnv = readEnv(env, 'MACOSX_DEPLOYMENT_TARGET')?.trim();
  if (fromEnv && !/^\d+(\.\d+){0,2}$/.test(fromEnv)) {
    throw new KilnError(
      'TARGET_INVALID',
      `MACOSX_DEPLOYMENT_TARGET="${fromEnv}" is not a macOS version`,
      {
        hint: 'Set it to a version such as 11.0 or 10.15, or unset it to use the default.',
      },
    );
  }
  const arch = isUniversal(t) ? 'x86_64' : appleArchName(t);
  const fallback =
    arch === 'arm64' ? DEFAULT_DEPLOYMENT_TARGET.arm64 : DEFAULT_DEPLOYMENT_TARGET.x86_64;
  const wanted = normaliseVersion(fromEnv || t.osVersion || fallback);
  if (arch === 'arm64' && compareVersions(wanted, DEFAULT_DEPLOYMENT_TARGET.arm64) < 0) {
    return DEFAULT_DEPLOYMENT_TARGET.arm64;
  }
  return wanted;
}

function normaliseVersion(v: string): string {
  return v.includes('.') ? v : `${v}.0`;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * `-arch` and `-mmacosx-version-min` for Apple clang / gcc-style drivers on a Mac, e.g.
 * `['-arch', 'arm64', '-mmacosx-version-min=11.0']`. For `universal-apple-darwin` both arches are
 * listed (`-arch x86_64 -arch arm64`), which a Mac's clang turns into a fat object in one step;
 * Kiln itself builds each arch separately and merges with `lipoMerge`, which also works off a Mac.
 * Pass these on compile AND link lines.
 */
export function appleFlags(target: Triple | string, deploymentTarget: string): string[] {
  const t = toTriple(target);
  const arches = universalParts(t).flatMap((p) => ['-arch', appleArchName(p)]);
  return [...arches, `-mmacosx-version-min=${deploymentTarget}`];
}

/**
 * Every target flag a compile or link line for one Apple arch needs: `--target=` (clang on any
 * host, see `clangTarget`) followed by `appleFlags`. Use `clang: false` for a driver that does not
 * take `--target=` (gcc). Toolchain discovery puts this list in `Toolchain.targetFlags`.
 */
export function appleCompileFlags(
  target: Triple | string,
  deploymentTarget: string,
  options: { clang?: boolean } = {},
): string[] {
  const t = toTriple(target);
  const flags = appleFlags(t, deploymentTarget);
  return options.clang === false
    ? flags
    : [`--target=${clangTarget(t, deploymentTarget)}`, ...flags];
}

// The link info is spelled structurally (a manifest LinkInfo fits) so target/ needs no manifest/.

/** `-F<dir>` for every framework search path, for compile lines (framework headers) and links. */
export function frameworkSearchFlags(info: {
  readonly searchPaths: readonly { readonly kind: string; readonly path: string }[];
}): string[] {
  const dirs = info.searchPaths.filter((s) => s.kind === 'framework').map((s) => `-F${s.path}`);
  return [...new Set(dirs)];
}

/**
 * Link flags for the frameworks of a LinkInfo: `-F<dir>` for framework search paths, then
 * `-framework <Name>` for every lib of kind `framework`, in order, each once.
 */
export function frameworkFlags(info: {
  readonly libs: readonly { readonly kind: string; readonly name: string }[];
  readonly searchPaths: readonly { readonly kind: string; readonly path: string }[];
}): string[] {
  const names = [...new Set(info.libs.filter((l) => l.kind === 'framework').map((l) => l.name))];
  return [...frameworkSearchFlags(info), ...names.flatMap((n) => ['-framework', n])];
}
