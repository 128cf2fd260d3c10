import { KilnError } from '../errors.js';
import type { Profile } from './types.js';

/** debug: no optimisation, debug info (Cargo's dev profile); release: -O3, no debug info. */
export function resolveProfile(name: string | undefined, release?: boolean): Profile {
  const n = name ?? (release ? 'release' : 'debug');
  switch (n) {
    case 'debug':
      return { name: 'debug', optLevel: '0', debugInfo: true };
    case 'release':
      return { name: 'release', optLevel: '3', debugInfo: false };
    default:
      throw new KilnError('USAGE', `Unknown profile "${n}"`, {
        hint: 'Use --profile debug or --profile release (or --release).',
      });
  }
}
