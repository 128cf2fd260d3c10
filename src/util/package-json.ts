import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';

/** The fields of a package.json that name what a package depends on. */
export const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const;

/**
 * A package's own package.json as an object; undefined when there is none (or it is not an
 * object). Invalid JSON is a CONFIG_INVALID naming the file, with `why` saying what reads it.
 */
export function readPackageJson(root: string, why: string): Record<string, unknown> | undefined {
  const file = path.join(root, 'package.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    throw new KilnError('CONFIG_INVALID', `${file} is not valid JSON`, {
      details: (error as Error).message,
      hint: `Fix package.json: ${why}.`,
    });
  }
  return typeof pkg === 'object' && pkg !== null && !Array.isArray(pkg)
    ? (pkg as Record<string, unknown>)
    : undefined;
}

/**
 * The dependency field of the package's own package.json that names `dep`, if one does. Only the
 * package's declaration counts: a copy that arrived through another package's dependencies
 * (hoisted into node_modules) must not change how the package is built.
 */
export function declaredDependency(
  pkg: Record<string, unknown> | undefined,
  dep: string,
): (typeof DEPENDENCY_FIELDS)[number] | undefined {
  return DEPENDENCY_FIELDS.find((field) => {
    const deps = pkg?.[field];
    return typeof deps === 'object' && deps !== null && dep in deps;
  });
}
