import path from 'node:path';
import {
  type ChangeOracle,
  type FileStamp,
  isRecord,
  isRecordOf,
  isStamp,
  isStampMap,
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

export const CC_STATE: StateKind<StepState> = {
  kind: 'kiln-cc-step',
  version: 2,
  valid: (d): d is StepState =>
    isRecord(d) &&
    isRecordOf(
      d.objects,
      (o) =>
        isRecord(o) &&
        typeof o.command === 'string' &&
        isStampMap(o.deps) &&
        isStamp(o.object) &&
        (o.output === undefined || typeof o.output === 'string'),
    ) &&
    (d.artifact === undefined ||
      (isRecord(d.artifact) && typeof d.artifact.key === 'string' && isStamp(d.artifact.output))),
};

export async function loadState(file: string): Promise<StepState> {
  return (await readState(file, CC_STATE)) ?? { objects: {} };
}

export function saveState(file: string, state: StepState): Promise<void> {
  return writeState(file, CC_STATE, state);
}

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
  const changes = await Promise.all(entries.map(([file, stamp]) => oracle.change(file, stamp)));
  const i = changes.findIndex((c) => c !== undefined);
  return i >= 0 ? `${path.basename(entries[i]![0])} ${changes[i]}` : undefined;
}
