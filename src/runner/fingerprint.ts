import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { hashBytes } from '../util/fs.js';

/** What a file looked like when the build read it. `hash: null` means it did not exist. */
export interface FileStamp {
  hash: string | null;
  size: number;
  mtimeMs: number;
}

/**
 * Everything a finished build depended on. Written last, after the manifest, so a build that
 * stops half-way leaves no fingerprint and the next run is dirty.
 */
export interface Fingerprint {
  version: 1;
  kilnVersion: string;
  target: string;
  profile: string;
  features: string[];
  configFile: string;
  /** Paths relative to the package root when inside it, so a moved package stays fresh. */
  files: Record<string, FileStamp>;
  env: Record<string, string | null>;
  outputs: string[];
}

export interface FreshnessQuery {
  kilnVersion: string;
  features: string[];
  root: string;
  env: NodeJS.ProcessEnv;
}

export type Freshness = { fresh: true } | { fresh: false; reason: string };

export const FINGERPRINT_FILE = path.join('.kiln', 'fingerprint.json');

export function readFingerprint(outDir: string): Fingerprint | undefined {
  try {
    const fp = JSON.parse(readFileSync(path.join(outDir, FINGERPRINT_FILE), 'utf8')) as Fingerprint;
    return fp.version === 1 ? fp : undefined;
  } catch {
    // A missing or torn fingerprint only means "not known to be fresh": the build reruns.
    return undefined;
  }
}

/**
 * Decides freshness from the stored fingerprint alone, synchronously and without loading the
 * config: this is the path every `npm install` and test run takes. Checks are ordered
 * cheapest first; the first difference found is the reason reported.
 */
export function checkFreshness(fp: Fingerprint | undefined, q: FreshnessQuery): Freshness {
  if (!fp) return { fresh: false, reason: 'no previous build' };
  if (fp.kilnVersion !== q.kilnVersion) {
    return { fresh: false, reason: `kiln version changed (${fp.kilnVersion} → ${q.kilnVersion})` };
  }
  const features = [...q.features].sort().join(',');
  if (fp.features.join(',') !== features) {
    return {
      fresh: false,
      reason: `features changed (${fp.features.join(',') || 'none'} → ${features || 'none'})`,
    };
  }
  for (const [name, value] of Object.entries(fp.env)) {
    const now = q.env[name] ?? null;
    if (now !== value) return { fresh: false, reason: `env ${name} changed` };
  }
  for (const [rel, stamp] of Object.entries(fp.files)) {
    const changed = fileChanged(path.resolve(q.root, rel), stamp);
    if (changed) return { fresh: false, reason: `${rel} ${changed}` };
  }
  for (const rel of fp.outputs) {
    if (!exists(path.resolve(q.root, rel))) return { fresh: false, reason: `${rel} is missing` };
  }
  return { fresh: true };
}

/** Returns why a file no longer matches its stamp, or undefined when it does. */
function fileChanged(file: string, stamp: FileStamp): string | undefined {
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(file);
  } catch {
    st = undefined;
  }
  if (!st) return stamp.hash === null ? undefined : 'was removed';
  if (stamp.hash === null) return 'was created';
  // mtime+size equal: trust it (the fast path); otherwise the content hash decides, so a
  // touched-but-identical file is still fresh.
  if (st.size === stamp.size && st.mtimeMs === stamp.mtimeMs) return undefined;
  if (st.isDirectory())
    return listingHash(file) === stamp.hash ? undefined : 'has new or removed files';
  return hashBytes(readFileSync(file)) === stamp.hash ? undefined : 'changed';
}

export function stampFile(file: string): FileStamp {
  try {
    const st = statSync(file);
    if (st.isDirectory()) return { hash: listingHash(file), size: st.size, mtimeMs: st.mtimeMs };
    return { hash: hashBytes(readFileSync(file)), size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return { hash: null, size: 0, mtimeMs: 0 };
  }
}

/**
 * A directory is tracked by the names it holds (its mtime moves whenever an entry is added,
 * removed or renamed; the listing decides, so an editor's swap file that came and went is no change).
 */
function listingHash(dir: string): string {
  return `dir:${hashBytes(readdirSync(dir).sort().join('\0'))}`;
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** A path as stored in the fingerprint: relative inside the package, absolute outside it. */
export function storedPath(file: string, root: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file);
}
