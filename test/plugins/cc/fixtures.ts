import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../native-fixtures/cc',
);

/**
 * A temp copy of `native-fixtures/cc/<name>`, optionally nested under a directory with an awkward
 * name (spaces, quotes, `$()`, non-ASCII) to prove nothing goes through a shell.
 */
export function copyFixture(name: string, nested?: string): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'kiln-cc-'));
  const root = nested ? path.join(base, nested) : path.join(base, name);
  mkdirSync(root, { recursive: true });
  cpSync(path.join(FIXTURES, name), root, { recursive: true });
  return root;
}

/** A directory name no shell-based tool survives. */
export const AWKWARD_DIR = `dir with space/it's "quoted" $(echo pwned) ñandú`;
