import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FINGERPRINT_FILE, type Fingerprint, readFingerprint } from '../runner/fingerprint.js';
import {
  type FileStamp,
  fsNow,
  hashBytes,
  isNullableStringMap,
  isRecord,
  isStampMap,
  readStateSync,
  type StateKind,
  stampChangeSync,
  stampSync,
  writeState,
} from '../state/index.js';
import { findExecutable } from '../toolchain/which.js';
import type { BuildNode } from './graph.js';

/**
 * What a no-op `kiln build --workspaces` found, in one file: every package's fingerprint merged
 * (each input and output once, absolute), the fingerprint files themselves, and what discovery
 * read (the root package.json, the folders its globs list and each package folder's listing).
 * While all of it is unchanged, every fingerprint is still the one checked, and each would pass
 * its check again: the next no-op stats each file once and reads nothing else. Anything changed,
 * and the per-package checks decide, exactly as without it.
 */
export interface WorkspaceSummary {
  kilnVersion: string;
  /** target, profile and out base: one summary per combination. */
  key: string;
  env: Record<string, string | null>;
  tools: Record<string, string | null>;
  files: Record<string, FileStamp>;
  /** In the order they are reported (dependencies first). */
  packages: { name: string; manifest: string }[];
}

const SUMMARY: StateKind<WorkspaceSummary> = {
  kind: 'kiln-workspace-fresh',
  version: 1,
  valid: (d): d is WorkspaceSummary =>
    isRecord(d) &&
    typeof d.kilnVersion === 'string' &&
    typeof d.key === 'string' &&
    isNullableStringMap(d.env) &&
    isNullableStringMap(d.tools) &&
    isStampMap(d.files) &&
    Array.isArray(d.packages) &&
    d.packages.every(
      (p) => isRecord(p) && typeof p.name === 'string' && typeof p.manifest === 'string',
    ),
};

/**
 * Where the summary of a workspace lives: beside other tools' caches, outside every package,
 * named by its key (which includes the root: a node_modules shared between checkouts holds one
 * per checkout, and each is only ever read for its own).
 */
export function summaryFile(root: string, key: string): string {
  return path.join(
    root,
    'node_modules',
    '.cache',
    'kiln',
    `workspace-${hashBytes(key).slice(0, 16)}.json`,
  );
}

/** Globs the summary can stand for: `dir/*` and plain folders. Others always take discovery. */
const SIMPLE = /^[^*?[\]{}!()+@]+(\/\*)?$/;

/**
 * The packages, when the summary says every one is fresh; undefined when there is none, it is
 * for another Kiln, target or profile, or anything it lists changed.
 */
export function freshFromSummary(
  root: string,
  key: string,
  kilnVersion: string,
  env: NodeJS.ProcessEnv,
): WorkspaceSummary['packages'] | undefined {
  const s = readStateSync(summaryFile(root, key), SUMMARY);
  if (!s || s.kilnVersion !== kilnVersion || s.key !== key) return undefined;
  for (const [name, value] of Object.entries(s.env)) {
    if ((env[name] ?? null) !== value) return undefined;
  }
  for (const [name, resolved] of Object.entries(s.tools)) {
    if ((findExecutable(name, root) ?? null) !== resolved) return undefined;
  }
  for (const [file, stamp] of Object.entries(s.files)) {
    if (stampChangeSync(file, stamp) !== undefined) return undefined;
  }
  return s.packages;
}

export interface CheckedPackage {
  name: string;
  root: string;
  manifest: string;
  fingerprint: Fingerprint;
  /** The fingerprint file, stamped before it was read (see `startSummary`). */
  fingerprintStamp?: [file: string, stamp: FileStamp] | undefined;
}

/** Stamps taken before discovery and the fingerprint reads, for the summary written after. */
export interface SummaryStart {
  takenAt: number;
  files: Record<string, FileStamp>;
}

/**
 * Takes, before discovery runs, the stamps of what discovery reads: the globs' source and the
 * folders they list, with each entry's listing (a folder that gains a package.json or a build
 * config is then seen). Taken first, so a change made while the workspace is being checked can
 * only make the summary look stale, never make it describe less than what was checked. Also
 * the moment every later stamp is judged racy against. Undefined when no summary can stand for
 * this workspace's globs.
 */
export function startSummary(root: string, key: string, patterns: readonly string[]) {
  if (!patterns.every((p) => SIMPLE.test(p))) return undefined;
  try {
    const takenAt = fsNow(path.dirname(summaryFile(root, key)));
    const files: Record<string, FileStamp> = {};
    const own = (f: string) => {
      files[f] = stampSync(f, takenAt);
    };
    own(path.join(root, 'package.json'));
    own(path.join(root, 'pnpm-workspace.yaml'));
    own(root);
    for (const pattern of patterns) {
      const base = path.resolve(root, pattern.replace(/\/\*$/, ''));
      own(base);
      if (!pattern.endsWith('/*')) continue;
      let names: string[] = [];
      try {
        names = readdirSync(base);
      } catch {
        // Recorded as missing just above.
      }
      for (const n of names) own(path.join(base, n));
    }
    return { takenAt, files } satisfies SummaryStart;
  } catch {
    // No place for the cache (read-only node_modules): every run checks each package.
    return undefined;
  }
}

/**
 * Writes the summary of a workspace whose packages were all just found fresh. Skipped (the
 * per-package checks keep deciding) when it could not stand for them exactly: a tool named by
 * a relative path (resolved per package), two packages that recorded the same file or variable
 * differently, or a stamp of something that changed while it was taken.
 */
export async function writeSummary(
  root: string,
  key: string,
  kilnVersion: string,
  start: SummaryStart,
  checked: readonly CheckedPackage[],
): Promise<void> {
  const env: Record<string, string | null> = {};
  const tools: Record<string, string | null> = {};
  const files: Record<string, FileStamp> = {};
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const merge = <T>(into: Record<string, T>, name: string, value: T): boolean => {
    if (name in into && !same(into[name], value)) return false;
    into[name] = value;
    return true;
  };
  for (const [f, stamp] of Object.entries(start.files)) merge(files, f, stamp);
  for (const p of checked) {
    const fp = p.fingerprint;
    if (!p.fingerprintStamp || !merge(files, ...p.fingerprintStamp)) return;
    for (const [n, v] of Object.entries(fp.env)) if (!merge(env, n, v)) return;
    for (const [n, v] of Object.entries(fp.tools)) {
      if (n.includes('/') || n.includes('\\') || !merge(tools, n, v)) return;
    }
    for (const [rel, stamp] of [...Object.entries(fp.files), ...Object.entries(fp.outputs)]) {
      if (!merge(files, path.resolve(p.root, rel), stamp)) return;
    }
  }
  if (Object.values(files).some((s) => s.unstable)) return;
  try {
    await writeState(summaryFile(root, key), SUMMARY, {
      kilnVersion,
      key,
      env,
      tools,
      files,
      packages: checked.map((p) => ({ name: p.name, manifest: p.manifest })),
    });
  } catch {
    // A cache that cannot be written only costs the next run time.
  }
}

/** Dependencies before dependents, ties by name: the order the full build reports them in. */
export function dependencyOrder(graph: Map<string, BuildNode>): BuildNode[] {
  const out: BuildNode[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const node = graph.get(name)!;
    for (const dep of [...node.needs].sort()) visit(dep);
    out.push(node);
  };
  for (const name of [...graph.keys()].sort()) visit(name);
  return out;
}

/**
 * After a workspace build in which every package ended fresh or built: the summary of what it
 * left, so the next no-op reads one file. `start` was taken before discovery.
 */
export async function summarizeBuild(
  root: string,
  key: string,
  kilnVersion: string,
  start: SummaryStart,
  graph: Map<string, BuildNode>,
  outDirOf: (root: string) => string,
  manifestOf: (name: string) => string | undefined,
): Promise<void> {
  try {
    // The fingerprints were written during the build, after `start`: stamped against now.
    const takenAt = fsNow(path.dirname(summaryFile(root, key)));
    const checked: CheckedPackage[] = [];
    for (const node of dependencyOrder(graph)) {
      const outDir = outDirOf(node.pkg.root);
      const file = path.join(outDir, FINGERPRINT_FILE);
      const stamp = stampSync(file, takenAt);
      const fingerprint = readFingerprint(outDir);
      const manifest = manifestOf(node.pkg.name);
      if (!fingerprint || !manifest) return;
      checked.push({
        name: node.pkg.name,
        root: node.pkg.root,
        manifest,
        fingerprint,
        fingerprintStamp: [file, stamp],
      });
    }
    await writeSummary(root, key, kilnVersion, start, checked);
  } catch {
    // Only a cache: the next run checks each package instead.
  }
}

/**
 * What a workspace summary stands for: the root, target, profile and outDir base asked for,
 * under this Node (a package's fingerprint records the Node that built it).
 */
export function summaryKey(
  root: string,
  target: string,
  profile: string,
  outBase: string | undefined,
): string {
  return `${root}\0${target}\0${profile}\0${outBase ?? ''}\0${process.version}`;
}
