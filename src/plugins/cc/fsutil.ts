import { stat } from 'node:fs/promises';

// Atomic writes and content hashes are the project's shared helpers; re-exported so the cc
// modules have one import for their file needs.
export { hashBytes as hashText, hashFile, writeFileAtomic } from '../../util/fs.js';

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** The size and mtime of a file, or undefined when it does not exist. */
export async function stampOf(file: string): Promise<FileStamp | undefined> {
  try {
    const st = await stat(file);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}
