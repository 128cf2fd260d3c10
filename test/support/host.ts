import { hostTriple } from '../../src/target/triple.js';

/** The machine running the tests, as Kiln names it: the default target of every build. */
export const HOST = hostTriple();

/** A package's default output folder for `profile` (relative to the package root). */
export function hostOut(profile = 'release'): string {
  return `build/kiln/${HOST}/${profile}`;
}
