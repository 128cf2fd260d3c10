/** File-system probes of the resolver, in the forms pkgconf uses. */
import { opendirSync, readdirSync, statSync } from 'node:fs';

/** Joins by string, not path.join: `pcfiledir` keeps the dir as written (`./sub`, relative). */
export function joinPc(dir: string, file: string): string {
  return dir.endsWith('/') ? dir + file : `${dir}/${file}`;
}

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `.pc` files of a dir in readdir order (pkgconf's order for Provides and --list-all). */
export function listPcFiles(dir: string): string[] {
  const out: string[] = [];
  let d: ReturnType<typeof opendirSync>;
  try {
    d = opendirSync(dir);
  } catch {
    return out;
  }
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync()) {
      if (e.name.endsWith('.pc') && (e.isFile() || e.isSymbolicLink()))
        out.push(joinPc(dir, e.name));
    }
  } finally {
    d.closeSync();
  }
  return out;
}

/** Names of the files (and symlinks) of a dir; a dir that cannot be read holds no `.pc` file, as for pkgconf. */
export function listDirNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() || e.isSymbolicLink())
      .map((e) => e.name);
  } catch {
    return [];
  }
}
