/**
 * Where a build lives: the package root, the host and target triples, the profile, and the outDir
 * `<root>/<out base>/<target>/<profile>`. `kiln build` (full and fresh paths), `kiln clean`,
 * `kiln print` and `readManifest` all find a build's folder through `resolveLocation`, so they
 * cannot disagree about it.
 */
import path from 'node:path';
import { hostTriple, parseTriple, type Triple } from '../target/triple.js';
import { type Profile, resolveProfile } from './profile.js';

export { type OptLevel, type Profile, profileName, resolveProfile } from './profile.js';

/** Default base of all build outputs, relative to the package root. */
export const OUT_BASE = path.join('build', 'kiln');

/** The build's fingerprint, relative to its outDir: its presence means a build finished there. */
export const FINGERPRINT_FILE = path.join('.kiln', 'fingerprint.json');

export interface LocationOptions {
  /** Package root. Default: process.cwd(). */
  cwd?: string | undefined;
  /** Target triple, in any spelling `parseTriple` accepts. Default: the host. */
  target?: string | undefined;
  /** `release` (the default) or `debug`. */
  profile?: string | undefined;
  /** `--release`: names the default profile. */
  release?: boolean | undefined;
  /** `--debug`: the debug profile (unless `profile` or `release` say otherwise). */
  debug?: boolean | undefined;
  /** Base folder for outputs, relative to the package root. Default: build/kiln. */
  outBase?: string | undefined;
}

export interface Location {
  /** Absolute package root. */
  root: string;
  host: Triple;
  target: Triple;
  profile: Profile;
  /** Absolute out base (`<root>/build/kiln` by default). */
  outBase: string;
  /** Absolute outDir of this target and profile. */
  outDir: string;
}

/**
 * The package root, triples, profile and outDir a command works on.
 *
 * @throws TARGET_INVALID for a target that is not a triple; USAGE for an unknown profile.
 */
export function resolveLocation(options: LocationOptions = {}): Location {
  const root = path.resolve(options.cwd ?? process.cwd());
  const host = parseTriple(hostTriple());
  const target = options.target ? parseTriple(options.target) : host;
  const profile = resolveProfile(options.profile, options.release, options.debug);
  return {
    root,
    host,
    target,
    profile,
    outBase: outBaseFor(root, options.outBase),
    outDir: outDirFor(root, target.triple, profile.name, options.outBase),
  };
}

/** The absolute out base of a package: `base` (default build/kiln) against its root. */
export function outBaseFor(root: string, base?: string): string {
  return path.resolve(root, base ?? OUT_BASE);
}

/** One outDir per target and profile, never shared between them. */
export function outDirFor(root: string, target: string, profile: string, base?: string): string {
  return path.resolve(root, base ?? OUT_BASE, target, profile);
}
