import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../state/index.js';

/**
 * Writes only when the content differs. Files Kiln generates for CMake (toolchain file, probe
 * inject file) are configure inputs listed in the generated build system: a new mtime alone
 * makes `cmake --build` re-run CMake, so an unchanged file must keep its mtime.
 */
export async function writeIfChanged(file: string, content: string): Promise<boolean> {
  const old = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (old === content) return false;
  await writeFileAtomic(file, content);
  return true;
}
