import { type Stats, statSync } from 'node:fs';
import { FINGERPRINT_FILE } from '../location/index.js';
import {
  type FileStamp,
  isNullableStringMap,
  isRecord,
  isStampMap,
  isStringArray,
  readStateSync,
  type StateKind,
  stampChangeSync,
} from '../state/index.js';
import { masqueradeTarget } from '../toolchain/masquerade.js';
import { findExecutable } from '../toolchain/which.js';
import { joinPath, relativeInside, resolvePath } from '../util/paths.js';

/**
 * Everything a finished build depended on and everything it left behind. Written last, after
 * the manifest, so a build that stops half-way leaves no fingerprint and the next run is dirty.
 */
export interface Fingerprint {
  kilnVersion: string;
  /**
   * The Node that ran the build (`process.version`): an addon compiled against the running
   * Node's headers is what a clean build makes only under that Node. Absent in older ones.
   */
  node?: string;
  target: string;
  profile: string;
  features: string[];
  /** Which package built into this outDir, and where it was: a moved package is rebuilt. */
  package: { name: string; root: string };
  configFile: string;
  /** Inputs. Paths relative to the package root when inside it, absolute outside it. */
  files: Record<string, FileStamp>;
  env: Record<string, string | null>;
  /** Programs looked up by name on PATH, and what each resolved to (null: not found). */
  tools: Record<string, string | null>;
  /**
   * Programs found as a compiler cache's masquerade link (`cc` → ccache), and the real path of
   * the program each runs (`masqueradeTarget`). Absent in fingerprints of builds with none.
   */
  dispatches?: Record<string, string | null>;
  /** Outputs, stamped when written: one changed or removed since makes the build dirty. */
  outputs: Record<string, FileStamp>;
  /**
   * How the build was planned, when it can be planned again without its config (see
   * `judgeFingerprint`). Checked where it is used: a fingerprint without one is valid.
   */
  plan?: unknown;
}

export interface FreshnessQuery {
  kilnVersion: string;
  /** The Node the build would run under. Default: this process's (`process.version`). */
  node?: string;
  features: string[];
  root: string;
  env: NodeJS.ProcessEnv;
  /**
   * PATH lookups already made by this run (a workspace build checks the same compilers for every
   * package): name → resolved path or null. A relative path with a slash is never memoised.
   */
  toolLookups?: Map<string, string | null> | undefined;
  /**
   * Stats already taken by this run, by absolute path (undefined: the file is missing). A
   * workspace's packages list their dependencies' manifests, archives and headers among their
   * inputs: each is statted once per run rather than once per dependent.
   */
  stats?: Map<string, Stats | undefined> | undefined;
}

export type Freshness = { fresh: true } | { fresh: false; reason: string };

// Where the fingerprint lives is part of the outDir layout (location/), which manifest/ reads too.
export { FINGERPRINT_FILE };

export const FINGERPRINT: StateKind<Fingerprint> = {
  kind: 'kiln-fingerprint',
  version: 2,
  valid: (d): d is Fingerprint =>
    isRecord(d) &&
    typeof d.kilnVersion === 'string' &&
    (d.node === undefined || typeof d.node === 'string') &&
    typeof d.target === 'string' &&
    typeof d.profile === 'string' &&
    isStringArray(d.features) &&
    isRecord(d.package) &&
    typeof d.package.name === 'string' &&
    typeof d.package.root === 'string' &&
    typeof d.configFile === 'string' &&
    isStampMap(d.files) &&
    isNullableStringMap(d.env) &&
    isNullableStringMap(d.tools) &&
    (d.dispatches === undefined || isNullableStringMap(d.dispatches)) &&
    isStampMap(d.outputs),
};

/** The stored fingerprint, or undefined when there is none that can be trusted. */
export function readFingerprint(outDir: string): Fingerprint | undefined {
  return readStateSync(joinPath(outDir, FINGERPRINT_FILE), FINGERPRINT);
}

/**
 * Decides freshness from the stored fingerprint alone, synchronously and without loading the
 * config: this is the path every `npm install` and test run takes. Checks are ordered
 * cheapest first; the first difference found is the reason reported.
 */
export function checkFreshness(fp: Fingerprint | undefined, q: FreshnessQuery): Freshness {
  if (!fp) return { fresh: false, reason: 'no previous build' };
  for (const change of fingerprintChanges(fp, q)) return { fresh: false, reason: change.reason };
  return { fresh: true };
}

/** One way the world differs from a stored fingerprint. */
export interface FingerprintChange {
  /**
   * What differs: the build itself (Kiln's version, the package's place, its features), an
   * environment variable, a program on PATH, an input file, or an output.
   */
  kind: 'build' | 'env' | 'tool' | 'file' | 'output';
  /** The variable, program, or stored path; empty for `build`. */
  name: string;
  /** For files and outputs: how it changed (`was modified`, `was removed`, ...). */
  change?: string;
  /** The sentence `kiln build` reports. */
  reason: string;
}

/**
 * Every difference between the fingerprint and now, cheapest checks first; lazily, so the
 * Fresh check stops at the first while a caller that must know them all (may the recorded
 * plan be replayed?) walks on.
 */
export function* fingerprintChanges(
  fp: Fingerprint,
  q: FreshnessQuery,
): Generator<FingerprintChange> {
  if (fp.kilnVersion !== q.kilnVersion) {
    yield {
      kind: 'build',
      name: '',
      reason: `kiln version changed (${fp.kilnVersion} → ${q.kilnVersion})`,
    };
  }
  const node = q.node ?? process.version;
  if (fp.node !== undefined && fp.node !== node) {
    yield { kind: 'build', name: '', reason: `Node changed (${fp.node} → ${node})` };
  }
  if (fp.package.root !== q.root) {
    yield { kind: 'build', name: '', reason: `the package moved (from ${fp.package.root})` };
  }
  const features = [...q.features].sort().join(',');
  if (fp.features.join(',') !== features) {
    yield {
      kind: 'build',
      name: '',
      reason: `features changed (${fp.features.join(',') || 'none'} → ${features || 'none'})`,
    };
  }
  for (const [name, value] of Object.entries(fp.env)) {
    const now = q.env[name] ?? null;
    if (now !== value) yield { kind: 'env', name, reason: `env ${name} changed` };
  }
  const lookup = (name: string): string | null => {
    const memo = name.includes('/') ? undefined : q.toolLookups;
    let now = memo?.get(name);
    if (now === undefined) {
      now = findExecutable(name, q.root) ?? null;
      memo?.set(name, now);
    }
    return now;
  };
  for (const [name, resolved] of Object.entries(fp.tools)) {
    const now = lookup(name);
    if (now !== resolved) {
      yield { kind: 'tool', name, reason: `${name} now resolves to ${now ?? 'nothing'} on PATH` };
    }
  }
  for (const [name, recorded] of Object.entries(fp.dispatches ?? {})) {
    const found = lookup(name);
    const now = found === null ? null : (masqueradeTarget(found, q.root) ?? null);
    if (now !== recorded) {
      const reason = `${name} now runs ${now ?? 'no compiler'} through its compiler cache`;
      yield { kind: 'tool', name, reason };
    }
  }
  const statFile = q.stats ? memoStat(q.stats) : undefined;
  for (const [rel, stamp] of Object.entries(fp.files)) {
    const changed = stampChangeSync(resolvePath(q.root, rel), stamp, statFile);
    if (changed) yield { kind: 'file', name: rel, change: changed, reason: `${rel} ${changed}` };
  }
  for (const [rel, stamp] of Object.entries(fp.outputs)) {
    const changed = stampChangeSync(resolvePath(q.root, rel), stamp, statFile);
    if (changed) {
      const word = changed === 'was removed' ? 'is missing' : 'was modified';
      yield { kind: 'output', name: rel, change: changed, reason: `${rel} ${word}` };
    }
  }
}

function memoStat(memo: Map<string, Stats | undefined>): (file: string) => Stats | undefined {
  return (file) => {
    if (memo.has(file)) return memo.get(file);
    let st: Stats | undefined;
    try {
      st = statSync(file);
    } catch {
      st = undefined;
    }
    memo.set(file, st);
    return st;
  };
}

/** A path as stored in the fingerprint: relative inside the package, absolute outside it. */
export function storedPath(file: string, root: string): string {
  return relativeInside(root, file) || resolvePath(file);
}
