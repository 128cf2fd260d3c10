import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FileStamp, hashFile, stampOf, writeFileAtomic } from './fsutil.js';

const STATE_VERSION = 1;

/** One input file of an object as it was when the object was built. */
export interface DepRecord {
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
}

export interface ObjectRecord {
  /** Hash of the full compile command (and compiler identity). */
  command: string;
  deps: DepRecord[];
}

/** What a cc step remembers between builds, in `<step dir>/state.json`. */
export interface StepState {
  version: number;
  /** Keyed by the object path relative to the step directory. */
  objects: Record<string, ObjectRecord>;
  /** Hash of the archive/link command and its inputs, for the artifact last written. */
  artifact?: string | undefined;
}

export function emptyState(): StepState {
  return { version: STATE_VERSION, objects: {} };
}

/**
 * Loads the state; a missing, unreadable or older-format file means "nothing known", which only
 * costs a full rebuild — it can never make a stale object look fresh.
 */
export async function loadState(file: string): Promise<StepState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return emptyState();
  }
  try {
    const parsed = JSON.parse(text) as StepState;
    if (parsed.version !== STATE_VERSION || typeof parsed.objects !== 'object') return emptyState();
    return parsed;
  } catch {
    return emptyState();
  }
}

export function saveState(file: string, state: StepState): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(state)}\n`);
}

/**
 * Answers "is this file still what it was?" for many objects sharing headers, touching each file
 * at most once per step: size+mtime equal means unchanged (fast path); otherwise the content hash
 * decides, so a `touch` or a checkout that restores the same bytes does not recompile.
 */
export class FileOracle {
  private readonly stamps = new Map<string, Promise<FileStamp | undefined>>();
  private readonly hashes = new Map<string, Promise<string>>();

  stamp(file: string): Promise<FileStamp | undefined> {
    let p = this.stamps.get(file);
    if (!p) {
      p = stampOf(file);
      this.stamps.set(file, p);
    }
    return p;
  }

  hash(file: string): Promise<string> {
    let p = this.hashes.get(file);
    if (!p) {
      p = hashFile(file);
      this.hashes.set(file, p);
    }
    return p;
  }

  /** True when the file is unchanged; refreshes the record's stamp when only the mtime moved. */
  async unchanged(dep: DepRecord): Promise<boolean> {
    const st = await this.stamp(dep.path);
    if (!st) return false;
    if (st.size === dep.size && st.mtimeMs === dep.mtimeMs) return true;
    if (st.size !== dep.size) return false;
    if ((await this.hash(dep.path)) !== dep.hash) return false;
    dep.mtimeMs = st.mtimeMs;
    return true;
  }

  /** A fresh record of a file just used by a compile. */
  async record(file: string): Promise<DepRecord | undefined> {
    const st = await this.stamp(file);
    if (!st) return undefined;
    return { path: file, size: st.size, mtimeMs: st.mtimeMs, hash: await this.hash(file) };
  }
}

/** Why an object must be rebuilt, or undefined when it is up to date. */
export async function staleReason(
  record: ObjectRecord | undefined,
  command: string,
  objectFile: string,
  oracle: FileOracle,
): Promise<string | undefined> {
  if (!record) return 'not built yet';
  if (record.command !== command) return 'command changed';
  if (!(await oracle.stamp(objectFile))) return 'object missing';
  const results = await Promise.all(record.deps.map((d) => oracle.unchanged(d)));
  const changed = results.indexOf(false);
  return changed >= 0 ? `${path.basename(record.deps[changed]!.path)} changed` : undefined;
}
