import path from 'node:path';

/** Default base of all build outputs, relative to the package root. */
export const OUT_BASE = path.join('build', 'kiln');

/** One outDir per target and profile, never shared between them. */
export function outDirFor(root: string, target: string, profile: string, base?: string): string {
  return path.resolve(root, base ?? OUT_BASE, target, profile);
}
