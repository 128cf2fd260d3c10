import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';

/** True when `name` is an executable on PATH (or an existing absolute path). */
export function hasTool(name: string): boolean {
  if (path.isAbsolute(name)) return canExecute(name);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && canExecute(path.join(dir, name))) return true;
  }
  return false;
}

function canExecute(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `it` when every tool is present. When one is missing: with KILN_REQUIRE_TOOLCHAINS=1 (CI) the
 * test file fails at once naming the tool; otherwise the tests are reported as skipped.
 */
export function itWith(...tools: string[]): typeof it {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) return it;
  if (process.env.KILN_REQUIRE_TOOLCHAINS === '1') {
    throw new Error(
      `KILN_REQUIRE_TOOLCHAINS=1 but ${missing.join(', ')} not found on PATH: install it (see .ci/run)`,
    );
  }
  return it.runIf(false) as typeof it;
}
