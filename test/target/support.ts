import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveProfile } from '../../src/location/index.js';
import { createBuildContext } from '../../src/runner/context.js';
import { JobPool } from '../../src/runner/jobs.js';
import type { BuildContext } from '../../src/runner/types.js';
import { parseTriple } from '../../src/target/index.js';
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
  let best: { v: number; name: string } | undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = new RegExp(`^${base}-(\\d+)$`).exec(name);
      if (m && hasTool(name) && (!best || Number(m[1]) > best.v)) best = { v: Number(m[1]), name };
    }
  }
  return best?.name ?? base;
}

export function tempDir(prefix = 'kiln-target-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real build context (the runner's own) for `target`, with `env` as its whole environment. */
export function makeContext(
  target: string,
  env: NodeJS.ProcessEnv = process.env,
  root: string = tempDir(),
): BuildContext {
  const { ctx } = createBuildContext({
    packageRoot: root,
    packageName: 'target-fixture',
    target: parseTriple(target),
    host: parseTriple('x86_64-unknown-linux-gnu'),
    profile: resolveProfile('debug'),
    outDir: path.join(root, 'out'),
    pool: new JobPool(2),
    env,
    verbose: false,
    signal: new AbortController().signal,
    onEvent: () => {},
    kilnVersion: '0.0.0-test',
  });
  return ctx;
}
