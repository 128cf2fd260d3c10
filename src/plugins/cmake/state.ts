import { readFile, rm, stat } from 'node:fs/promises';
import { hashFile, writeFileAtomic } from '../../util/fs.js';
import type { Discovery } from './discover.js';
import type { CmakeInstall } from './locate.js';

/** Content identity of one input; size + mtime only as the fast path, the hash decides. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  hash: string;
}

/**
 * What the plugin remembers beside the build tree (`kiln-cmake.json`), so a later run can prove
 * that configure or build would do nothing and skip them without spawning cmake.
 */
export interface CmakeState {
  schema: 1;
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
        outputs: string[];
        /** The `targets` option the discovery below was made for (JSON). */
        selection: string;
        discovery: Discovery;
      }
    | undefined;
}

const FILE = 'kiln-cmake.json';

export function stateFile(stepDir: string): string {
  return `${stepDir}/${FILE}`;
}

export async function readState(stepDir: string): Promise<CmakeState | undefined> {
  try {
    const data = JSON.parse(await readFile(stateFile(stepDir), 'utf8')) as CmakeState;
    return data.schema === 1 ? data : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A torn or foreign file is as good as none: the next configure rewrites it.
    if (code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export async function writeState(stepDir: string, state: CmakeState): Promise<void> {
  await writeFileAtomic(stateFile(stepDir), `${JSON.stringify(state, null, 1)}\n`);
}

export async function removeState(stepDir: string): Promise<void> {
  await rm(stateFile(stepDir), { force: true });
}

export async function stampFiles(files: Iterable<string>): Promise<Record<string, FileStamp>> {
  const out: Record<string, FileStamp> = {};
  await Promise.all(
    [...new Set(files)].map(async (file) => {
      const st = await stat(file).catch(() => undefined);
      if (!st?.isFile()) return;
      out[file] = { size: st.size, mtimeMs: st.mtimeMs, hash: await hashFile(file) };
    }),
  );
  return out;
}

/** The first file that changed (or vanished) since `stamps` were taken, if any. */
export async function firstChanged(stamps: Record<string, FileStamp>): Promise<string | undefined> {
  for (const [file, old] of Object.entries(stamps)) {
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) return file;
    if (st.size === old.size && st.mtimeMs === old.mtimeMs) continue;
    if (st.size !== old.size || (await hashFile(file)) !== old.hash) return file;
  }
  return undefined;
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
