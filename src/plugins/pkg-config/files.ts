/** File-system probes of the resolver, in the forms pkgconf uses. */
import { opendirSync, statSync } from 'node:fs';

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
