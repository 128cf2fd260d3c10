import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Kiln's own version: part of every fingerprint, so upgrading Kiln rebuilds. */
export function kilnVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    cached = pkg.version;
  }
  return cached;
}
