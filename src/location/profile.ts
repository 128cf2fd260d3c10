import { KilnError } from '../errors.js';

/** Optimisation level, as cc-rs and Cargo name them. */
export type OptLevel = '0' | '1' | '2' | '3' | 's' | 'z';

export interface Profile {
  /** `debug` or `release` (or a custom name given with `--profile`). */
  name: string;
  optLevel: OptLevel;
  /** Emit debug info (`-g`). */
  debugInfo: boolean;
}

/**
 * The profile a build uses: `name` when given, else `debug` when asked for, else `release`.
 * Release is the default, as node-gyp and cmake-js build: `bindings`, `node-gyp-build` and
 * `loadAddon` look in `build/Release` first, so a default Debug build would be shadowed by any
 * Release one. `release` stays accepted (it names the default).
 */
export function profileName(name: string | undefined, release?: boolean, debug?: boolean): string {
  if (name) return name;
  if (debug && !release) return 'debug';
  return 'release';
}

/** debug: no optimisation, debug info (Cargo's dev profile); release: -O3, no debug info. */
export function resolveProfile(
  name: string | undefined,
  release?: boolean,
  debug?: boolean,
): Profile {
  const n = profileName(name, release, debug);
  switch (n) {
    case 'debug':
      return { name: 'debug', optLevel: '0', debugInfo: true };
    case 'release':
      return { name: 'release', optLevel: '3', debugInfo: false };
    default:
      throw new KilnError('USAGE', `Unknown profile "${n}"`, {
        hint: 'Use --profile release (the default) or --profile debug (or --debug).',
      });
  }
}
