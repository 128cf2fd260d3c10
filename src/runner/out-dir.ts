import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { outBaseFor } from '../location/index.js';
import {
  type FileStamp,
  hashFileSync,
  isRecord,
  isRecordOf,
  readStateSync,
  type StateKind,
  writeState,
} from '../state/index.js';
import { pathExists } from '../util/fs.js';
import { FINGERPRINT_FILE, readFingerprint, storedPath } from './fingerprint.js';

/**
 * Kiln marks every folder it creates for outputs, so `kiln clean` can tell them from folders a
 * user pointed it at by mistake: an outDir holds `.kiln/out-dir.json`, and an out base Kiln
 * created itself (it did not exist before the first build) holds `.kiln-out`.
 */
export const OUT_DIR_MARKER = path.join('.kiln', 'out-dir.json');
export const OUT_BASE_MARKER = '.kiln-out';
/** What an outDir wrote, with the content it wrote, so clean removes only unchanged copies. */
export const OUTPUTS_FILE = path.join('.kiln', 'outputs.json');

interface Marker {
  kiln: 'out-dir' | 'out-base';
  /** The package root the folder belongs to. */
  root: string;
}

/** A file Kiln recorded as an output: its content then, or the symlink target it wrote. */
export interface RecordedOutput {
  /** Absolute path. */
  path: string;
  /** sha256 and size of a regular file; absent when the record does not say (older builds). */
  hash?: string;
  size?: number;
  /** The target of a symlink Kiln wrote (bundled shared-library names). */
  link?: string;
}

interface OutputsRecord {
  /** Paths as the fingerprint stores them: relative inside the package, absolute outside. */
  files: Record<string, { hash: string; size: number } | { link: string }>;
}

const OUTPUTS: StateKind<OutputsRecord> = {
  kind: 'kiln-outputs',
  version: 1,
  valid: (d): d is OutputsRecord =>
    isRecord(d) &&
    isRecordOf(
      d.files,
      (f) =>
        isRecord(f) &&
        (typeof f.link === 'string' || (typeof f.hash === 'string' && typeof f.size === 'number')),
    ),
};

const MARKER: StateKind<Marker> = {
  kind: 'kiln-out-marker',
  version: 1,
  valid: (d): d is Marker =>
    isRecord(d) && (d.kiln === 'out-dir' || d.kiln === 'out-base') && typeof d.root === 'string',
};

/**
 * Marks `outDir` (and the out base, when this call is what creates it) as Kiln's. Runs before
 * the outDir exists; failures are left to the writability check that follows.
 */
export async function claimOutDir(root: string, outDir: string, outBase?: string): Promise<void> {
  const base = outBaseFor(root, outBase);
  try {
    if (!pathExists(base)) {
      await mkdir(base, { recursive: true });
      await writeMarker(path.join(base, OUT_BASE_MARKER), { kiln: 'out-base', root });
    }
    await writeMarker(path.join(outDir, OUT_DIR_MARKER), { kiln: 'out-dir', root });
  } catch {
    // An unwritable outDir is reported by the caller's own check, with its hint.
  }
}

async function writeMarker(file: string, marker: Marker): Promise<void> {
  // Rewritten only when it differs: every build claims its outDir before its first compile.
  const current = readStateSync(file, MARKER);
  if (current?.kiln === marker.kiln && current.root === marker.root) return;
  await writeState(file, MARKER, marker);
}

/**
 * Records the content of each output, after a build wrote them. Entries of the previous record
 * that this build no longer produced (a renamed addon) are kept while their file is unchanged,
 * so clean still removes them. The marker is written again: a clean that ran while this build
 * waited for the lock may have removed it.
 */
export async function recordOutputs(
  root: string,
  outDir: string,
  outputs: ReadonlyMap<string, FileStamp>,
): Promise<void> {
  const files: OutputsRecord['files'] = {};
  for (const old of readRecordedOutputs(root, outDir)) {
    if (!outputs.has(old.path) && outputChanged(old) === undefined) {
      const { path: p, ...stamp } = old;
      if (stamp.link !== undefined) files[storedPath(p, root)] = { link: stamp.link };
      else if (stamp.hash !== undefined)
        files[storedPath(p, root)] = { hash: stamp.hash, size: stamp.size ?? 0 };
    }
  }
  for (const [file, stamp] of outputs) {
    const entry = ledgerEntry(file, stamp);
    if (entry) files[storedPath(file, root)] = entry;
  }
  await writeState(path.join(outDir, OUTPUTS_FILE), OUTPUTS, { files });
  await writeMarker(path.join(outDir, OUT_DIR_MARKER), { kiln: 'out-dir', root });
}

/** A symlink is recorded by its target; a file by the stamp taken when the build wrote it. */
function ledgerEntry(file: string, stamp: FileStamp): OutputsRecord['files'][string] | undefined {
  try {
    const st = lstatSync(file);
    if (st.isSymbolicLink()) return { link: readlinkSync(file) };
    // Directories are never removed one by one: only the outDir they live in goes.
    if (!st.isFile() || stamp.hash === null) return undefined;
    return { hash: stamp.hash, size: stamp.size };
  } catch {
    return undefined;
  }
}

/**
 * What this outDir recorded as its outputs (absolute paths), with the content recorded for
 * each. The one place that knows where that record lives: the outputs record, or, for outDirs
 * written before it existed, the fingerprint's output list (paths only).
 */
export function readRecordedOutputs(root: string, outDir: string): RecordedOutput[] {
  const record = readStateSync(path.join(outDir, OUTPUTS_FILE), OUTPUTS);
  if (record) {
    return Object.entries(record.files).map(([p, stamp]) => ({
      path: path.resolve(root, p),
      ...stamp,
    }));
  }
  // No record (a build that never finished) or a torn one: the fingerprint's outputs.
  return Object.entries(readFingerprint(outDir)?.outputs ?? {}).flatMap(([p, stamp]) =>
    stamp.hash === null
      ? []
      : [{ path: path.resolve(root, p), hash: stamp.hash, size: stamp.size }],
  );
}

/**
 * Why a recorded output may not be removed, or undefined when it is exactly what Kiln wrote.
 * `'missing'` when it is gone already.
 */
export function outputChanged(output: RecordedOutput): string | undefined {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(output.path);
  } catch {
    return 'missing';
  }
  if (output.link !== undefined) {
    if (!st.isSymbolicLink()) return 'it is no longer the symlink Kiln wrote';
    return readlinkSync(output.path) === output.link
      ? undefined
      : 'the symlink points elsewhere now';
  }
  if (output.hash === undefined) return 'Kiln has no record of its content';
  if (!st.isFile()) return 'it is no longer a file';
  if (st.size !== output.size) return 'its content changed since Kiln wrote it';
  return hashFileSync(output.path) === output.hash
    ? undefined
    : 'its content changed since Kiln wrote it';
}

/**
 * Whether `dir` is an outDir of the package at `root`: it holds Kiln's marker (or, for
 * outDirs built before markers, a fingerprint). An outDir of another package is not this
 * package's, unless that package is gone (moved: the recorded root no longer exists).
 */
export function outDirOwner(
  root: string,
  dir: string,
): { ours: true } | { ours: false; reason: string } {
  const marker = readMarker(path.join(dir, OUT_DIR_MARKER), 'out-dir');
  if (!marker) {
    return pathExists(path.join(dir, FINGERPRINT_FILE))
      ? { ours: true }
      : { ours: false, reason: `it has no Kiln marker (${OUT_DIR_MARKER})` };
  }
  return belongsTo(root, marker.root);
}

/** Whether `base` is an out base Kiln created for the package at `root`. */
export function isOurOutBase(root: string, base: string): boolean {
  const marker = readMarker(path.join(base, OUT_BASE_MARKER), 'out-base');
  return !!marker && belongsTo(root, marker.root).ours;
}

function belongsTo(
  root: string,
  recorded: string,
): { ours: true } | { ours: false; reason: string } {
  if (samePath(recorded, root) || !pathExists(path.join(recorded, 'package.json'))) {
    return { ours: true };
  }
  return { ours: false, reason: `it belongs to the package at ${recorded}` };
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

function readMarker(file: string, kind: Marker['kiln']): Marker | undefined {
  const marker = readStateSync(file, MARKER);
  return marker?.kiln === kind ? marker : undefined;
}
