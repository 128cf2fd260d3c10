/**
 * Packages bundled into Kiln's dist (scripts/build.mjs) that are loaded synchronously and only
 * when used: the published package has them as `dist/vendor/<name>.cjs` (package.json
 * `imports`: `#vendor/<name>`), not as dependencies. From the sources (tests) they are the dev
 * dependencies of the same name.
 */
import { createRequire } from 'node:module';

/** Set to true by the bundler. */
declare const KILN_VENDORED: boolean | undefined;

export function requireVendored<T>(name: 'zod' | 'yaml'): T {
  const spec = typeof KILN_VENDORED === 'boolean' ? `#vendor/${name}` : name;
  return createRequire(import.meta.url)(spec) as T;
}
