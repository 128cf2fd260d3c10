import { existsSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';

export const CONFIG_NAMES = [
  'build.config.ts',
  'build.config.mts',
  'build.config.js',
  'build.config.mjs',
];

/** The package's build config, in the order above; none is a usage error that says what to do. */
export function findConfigFile(root: string): string {
  const found = findConfigFileIfAny(root);
  if (found) return found;
  throw new KilnError('CONFIG_NOT_FOUND', `No build config in ${root}`, {
    hint: `Create one of ${CONFIG_NAMES.join(', ')} (\`kiln init\` writes a starter), or pass --cwd <package dir>.`,
  });
}

export function findConfigFileIfAny(root: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const file = path.join(root, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}
