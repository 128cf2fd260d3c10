import path from 'node:path';
import { outDirFor } from '../runner/paths.js';
import { resolveProfile } from '../runner/profile.js';
import { hostTriple, parseTriple } from '../target/triple.js';
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
  const root = path.resolve(options.cwd ?? process.cwd());
  const target = parseTriple(options.target ?? hostTriple()).triple;
  const profile = resolveProfile(options.profile, options.release).name;
  return manifestPathFor(outDirFor(root, target, profile, options.outBase));
}

/** Reads the link manifest `kiln build` wrote for a package, target and profile (validated). */
export function readManifest(options: ReadManifestOptions = {}): Promise<Manifest> {
  return readManifestFile(manifestLocation(options));
}
