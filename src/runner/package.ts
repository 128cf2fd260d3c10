import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface PackageInfo {
  name: string;
  version: string | undefined;
  root: string;
}

/** name and version from package.json; a folder without one is named after the folder. */
export function readPackageInfo(root: string): PackageInfo {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
    };
    return { name: pkg.name ?? path.basename(root), version: pkg.version, root };
  } catch {
    return { name: path.basename(root), version: undefined, root };
  }
}
