import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Kiln's own version: part of every fingerprint, so upgrading Kiln rebuilds. */
export function kilnVersion(): string {
  if (cached === undefined) cached = ownPackage().version;
  return cached;
}

/**
 * Kiln's package.json, found upwards from this module: the bundler places this code at a depth
 * of its choosing (dist/chunks/, dist/cli/), the tests run it from src/runner/.
 */
function ownPackage(): { version: string } {
  for (let up = '../'; up.length <= 12; up += '../') {
    try {
      const pkg = JSON.parse(readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8'));
      if (pkg?.name === 'kilnjs') return pkg;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`kilnjs: no package.json above ${import.meta.url}`);
}
