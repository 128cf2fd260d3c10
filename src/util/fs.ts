import path from 'node:path';

/** A path as it should be shown to people: relative to `root` when inside it. */
export function displayPath(file: string, root: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
