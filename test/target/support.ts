import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildContext } from '../../src/runner/types.js';
import { createTestBuild } from '../../src/testing.js';
import { newestVersioned } from '../../src/toolchain/lipo.js';
import { hasTool } from '../support/tools.js';

export const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../native-fixtures/target',
);

/**
 * The name under which an LLVM tool is on PATH: `llvm-lipo`, else the newest versioned
 * `llvm-lipo-<N>` (Debian installs only the versioned name). Falls back to `base` so `itWith`
 * reports it missing.
 */
export function llvmTool(base: string): string {
  if (hasTool(base)) return base;
  const file = newestVersioned(base);
  return file ? path.basename(file) : base;
}

export function tempDir(prefix = 'kiln-target-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The kilnjs/testing build context for `target`, with `env` as its whole environment. */
export function makeContext(
  target: string,
  env: NodeJS.ProcessEnv = process.env,
  root: string = tempDir(),
): BuildContext {
  return createTestBuild({
    root,
    packageName: 'target-fixture',
    target,
    env,
    outDir: path.join(root, 'out'),
  }).ctx;
}
