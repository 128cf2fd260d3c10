import path from 'node:path';
import {
  type ChangeOracle,
  type FileStamp,
  isRecord,
  isRecordOf,
  isStamp,
  readState,
  type StateKind,
  writeState,
} from '../state/index.js';

/** How one object was made: the command, every file it read, and the object it produced. */
export interface ObjectRecord {
  /** Hash of the full compile command (and compiler identity). */
  command: string;
  /** Every file the compile read (the source and its depfile's headers), by absolute path. */
  deps: Record<string, FileStamp>;
  /**
   * The object as the compile left it. An object that no longer matches (a killed build wrote
   * over it, or a user did) is never taken for the one these inputs made.
   */
  object: FileStamp;
  /** What the compiler printed (warnings), shown again while the object stays up to date. */
  output?: string;
}

/** What a cc step remembers between builds, in `<step dir>/state.json`. */
export interface StepState {
  /** Keyed by the object path relative to the step directory. */
  objects: Record<string, ObjectRecord>;
  /** The artifact last written: the hash of its command and inputs, and the file as written. */
  artifact?: { key: string; output: FileStamp } | undefined;
}

/**
 * The stored form. Every unit of a step reads mostly the same headers (the system's, the
 * package's own), so each distinct (file, stamp) pair is written once in `stamps` and a unit's
 * `deps` are indexes into it: the state of a 31-unit library is ~40 KB instead of ~390 KB, and
 * it is read before the first compile and written after the last.
 */
interface StoredState {
  stamps: [file: string, stamp: FileStamp][];
  objects: Record<string, Omit<ObjectRecord, 'deps'> & { deps: number[] }>;
  artifact?: StepState['artifact'];
}

const isStoredStamp = (v: unknown): boolean =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && isStamp(v[1]);

const CC_STATE: StateKind<StoredState> = {
  kind: 'kiln-cc-step',
  version: 3,
  valid: (d): d is StoredState => {
    if (!isRecord(d) || !Array.isArray(d.stamps) || !d.stamps.every(isStoredStamp)) return false;
    const count = d.stamps.length;
    return (
      isRecordOf(
        d.objects,
        (o) =>
          isRecord(o) &&
          typeof o.command === 'string' &&
          Array.isArray(o.deps) &&
          o.deps.every((i) => Number.isInteger(i) && i >= 0 && i < count) &&
          isStamp(o.object) &&
          (o.output === undefined || typeof o.output === 'string'),
      ) &&
      (d.artifact === undefined ||
        (isRecord(d.artifact) && typeof d.artifact.key === 'string' && isStamp(d.artifact.output)))
    );
  },
};

export async function loadState(file: string): Promise<StepState> {
  const stored = await readState(file, CC_STATE);
  if (!stored) return { objects: {} };
  const objects: Record<string, ObjectRecord> = {};
  for (const [key, { deps, ...record }] of Object.entries(stored.objects)) {
    objects[key] = {
      ...record,
      deps: Object.fromEntries(deps.map((i) => stored.stamps[i]!)),
    };
  }
  return { objects, artifact: stored.artifact };
}

export function saveState(file: string, state: StepState): Promise<void> {
  const stamps: StoredState['stamps'] = [];
  // Per file, the indexes of its stamps so far: two units may have seen one file at different
  // moments, and each distinct stamp is kept.
  const seen = new Map<string, number[]>();
  const objects: StoredState['objects'] = {};
  for (const [key, { deps, ...record }] of Object.entries(state.objects)) {
    const ids: number[] = [];
    for (const [dep, stamp] of Object.entries(deps)) {
      const known = seen.get(dep) ?? [];
      if (known.length === 0) seen.set(dep, known);
      let i = known.find((j) => sameStamp(stamps[j]![1], stamp));
      if (i === undefined) {
        i = stamps.push([dep, stamp]) - 1;
        known.push(i);
      }
      ids.push(i);
    }
    objects[key] = { ...record, deps: ids };
  }
  return writeState(file, CC_STATE, { stamps, objects, artifact: state.artifact });
}

const sameStamp = (a: FileStamp, b: FileStamp): boolean =>
  a.hash === b.hash &&
  a.size === b.size &&
  a.mtimeMs === b.mtimeMs &&
  a.racy === b.racy &&
  a.unstable === b.unstable;

/** Why an object must be rebuilt, or undefined when it is up to date. */
export async function staleReason(
  record: ObjectRecord | undefined,
  command: string,
  objectFile: string,
  oracle: ChangeOracle,
): Promise<string | undefined> {
  if (!record) return 'not built yet';
  if (record.command !== command) return 'command changed';
  const object = await oracle.change(objectFile, record.object);
  if (object) return object === 'was removed' ? 'object missing' : `object ${object}`;
  const entries = Object.entries(record.deps);
  // Stat decides for nearly every file (synchronously); only those it cannot are hashed.
  let changes: (string | undefined)[] = entries.map(([file, stamp]) =>
    oracle.quickChange(file, stamp),
  );
  if (changes.includes('hash')) {
    changes = await Promise.all(
      entries.map(([file, stamp], i) =>
        changes[i] === 'hash' ? oracle.change(file, stamp) : changes[i],
      ),
    );
  }
  const i = changes.findIndex((c) => c !== undefined);
  return i >= 0 ? `${path.basename(entries[i]![0])} ${changes[i]}` : undefined;
}
