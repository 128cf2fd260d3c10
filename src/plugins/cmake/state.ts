import path from 'node:path';
import {
  ChangeOracle,
  type FileStamp,
  isRecord,
  isStampMap,
  isStringArray,
  isStringMap,
  readState as readStateFile,
  removeState as removeStateFile,
  type StateKind,
  settle,
  stamp,
  stampWritten,
  writeState as writeStateFile,
} from '../../state/index.js';
import type { Discovery } from './discover.js';
import type { CmakeInstall } from './locate.js';

export type { FileStamp } from '../../state/index.js';

/**
 * What the plugin remembers beside the build tree (`kiln-cmake.json`), so a later run can prove
 * that configure or build would do nothing and skip them without spawning cmake.
 */
export interface CmakeState {
  cmake: CmakeInstall;
  /** Settings CMake only reads on the first configure of a tree (generator, compilers, toolchain file, OSX arches). */
  fresh: Record<string, string>;
  /** Every `-D` passed, and the extra configure arguments: a change means re-configure. */
  defines: Record<string, string>;
  configureArgs: string[];
  envInputs: Record<string, string>;
  /** Configure inputs CMake reported reading (cmakeFiles v1), as of the last configure. */
  configureInputs: Record<string, FileStamp>;
  /** Set after a build + install succeeded: the inputs then (sources, headers) and what it produced. */
  built?:
    | {
        inputs: Record<string, FileStamp>;
        /** Installed files and build-tree libraries, as the build left them. */
        outputs: Record<string, FileStamp>;
        /** The `targets` option the discovery below was made for (JSON). */
        selection: string;
        discovery: Discovery;
      }
    | undefined;
}

const CMAKE_STATE: StateKind<CmakeState> = {
  kind: 'kiln-cmake-step',
  version: 2,
  valid: (d): d is CmakeState =>
    isRecord(d) &&
    isRecord(d.cmake) &&
    isStringMap(d.fresh) &&
    isStringMap(d.defines) &&
    isStringArray(d.configureArgs) &&
    isStringMap(d.envInputs) &&
    isStampMap(d.configureInputs) &&
    (d.built === undefined ||
      (isRecord(d.built) &&
        isStampMap(d.built.inputs) &&
        isStampMap(d.built.outputs) &&
        typeof d.built.selection === 'string' &&
        isRecord(d.built.discovery))),
};

export function stateFile(stepDir: string): string {
  return path.join(stepDir, 'kiln-cmake.json');
}

export function readState(stepDir: string): Promise<CmakeState | undefined> {
  return readStateFile(stateFile(stepDir), CMAKE_STATE);
}

export function writeState(stepDir: string, state: CmakeState): Promise<void> {
  return writeStateFile(stateFile(stepDir), CMAKE_STATE, state);
}

export function removeState(stepDir: string): Promise<void> {
  return removeStateFile(stateFile(stepDir));
}

/**
 * Stamps the files (directories and missing files are left out) that a cmake run which started
 * at `usedFrom` read: one that changed since is recorded as unstable, so the next run redoes it.
 */
export async function stampFiles(
  files: Iterable<string>,
  clock: { usedFrom?: number; takenAt: number },
): Promise<Record<string, FileStamp>> {
  const out: Record<string, FileStamp> = {};
  const { usedFrom } = clock;
  await Promise.all(
    [...new Set(files)].map(async (file) => {
      const s = await stamp(file, clock.takenAt);
      if (s.hash === null || s.hash.startsWith('dir:')) return;
      out[file] = usedFrom === undefined ? s : settle(file, s, usedFrom);
    }),
  );
  return out;
}

/** Stamps of files cmake itself just wrote (no tick rule: their content is what it is). */
export async function stampOutputs(files: Iterable<string>): Promise<Record<string, FileStamp>> {
  const out: Record<string, FileStamp> = {};
  await Promise.all(
    [...new Set(files)].map(async (file) => {
      out[file] = await stampWritten(file);
    }),
  );
  return out;
}

/** The first file that changed (or vanished) since `stamps` were taken. */
export async function firstChanged(
  stamps: Record<string, FileStamp>,
  oracle = new ChangeOracle(),
): Promise<string | undefined> {
  const entries = Object.entries(stamps);
  const changes = await Promise.all(entries.map(([file, s]) => oracle.change(file, s)));
  const i = changes.findIndex((c) => c !== undefined);
  return i >= 0 ? entries[i]![0] : undefined;
}

/** First key whose value differs between two records (added, removed or changed). */
export function firstDifference(
  a: Record<string, string>,
  b: Record<string, string>,
): string | undefined {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[key] !== b[key]) return key;
  }
  return undefined;
}
