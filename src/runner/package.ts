import path from 'node:path';
import { readPackageJson } from '../util/package-json.js';

export interface PackageInfo {
  name: string;
  version: string | undefined;
  root: string;
}

/**
 * name and version from package.json; a folder without one (or with one that cannot be read) is
 * named after the folder, so a Fresh check never fails on it.
 */
export function readPackageInfo(root: string): PackageInfo {
  let pkg: Record<string, unknown> | undefined;
  try {
    pkg = readPackageJson(root, 'its name and version go into the link manifest');
  } catch {
    pkg = undefined;
  }
  return {
    name: typeof pkg?.name === 'string' ? pkg.name : path.basename(root),
    version: typeof pkg?.version === 'string' ? pkg.version : undefined,
    root,
  };
}
