import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FINGERPRINT_FILE, resolveLocation } from '../location/index.js';
import { statOrUndefined } from '../state/stamp.js';
import { manifestPathFor, readManifestFile } from './io.js';
import type { Manifest } from './schema.js';

export interface ReadManifestOptions {
  /** Package root. Default: process.cwd(). */
  cwd?: string;
  /** Default: the host. */
  target?: string;
  /** Default: release. */
  profile?: string;
  release?: boolean;
  outBase?: string;
}

/** Where the manifest of a package, target and profile lives. */
export function manifestLocation(options: ReadManifestOptions = {}): string {
  return manifestPathFor(resolveLocation(options).outDir);
}

/** Reads the link manifest `kiln build` wrote for a package, target and profile (validated). */
export function readManifest(options: ReadManifestOptions = {}): Promise<Manifest> {
  return readManifestFile(manifestLocation(options));
}

/** Where a manifest was found, and whether it is another profile's than the one asked for. */
export interface LocatedManifest {
  file: string;
  profile: string;
  /** Set when the default profile had no manifest and the most recently built one was used. */
  followed?: { from: string; to: string };
}

/**
 * Like `manifestLocation`, but when no profile was asked for and the default profile's manifest
 * is missing, the profile built most recently for the target (the newest fingerprint among the
 * target's outDirs) is used: after `kiln build --debug`, a plain `kiln print` reads that build
 * rather than failing on a Release build that never happened.
 */
export function locateManifest(options: ReadManifestOptions = {}): LocatedManifest {
  const { outDir, profile: p } = resolveLocation(options);
  const profile = p.name;
  const file = manifestPathFor(outDir);
  if (options.profile || options.release || statOrUndefined(file)) return { file, profile };
  const targetDir = path.dirname(outDir);
  let newest: { profile: string; mtimeMs: number } | undefined;
  let names: string[] = [];
  try {
    names = readdirSync(targetDir);
  } catch {
    // No build for this target at all: the default's "No link manifest" says what to do.
  }
  for (const name of names) {
    const fp = statOrUndefined(path.join(targetDir, name, FINGERPRINT_FILE));
    const manifest = statOrUndefined(manifestPathFor(path.join(targetDir, name)));
    if (fp && manifest && (!newest || fp.mtimeMs > newest.mtimeMs)) {
      newest = { profile: name, mtimeMs: fp.mtimeMs };
    }
  }
  if (!newest) return { file, profile };
  return {
    file: manifestPathFor(path.join(targetDir, newest.profile)),
    profile: newest.profile,
    followed: { from: profile, to: newest.profile },
  };
}
