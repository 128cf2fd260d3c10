import { type BuildArgs, withDebugProfile } from './args.js';
import { buildCommand } from './build.js';

/**
 * `kiln build` by replaying the plan recorded in the fingerprint; undefined, having reported
 * nothing but the start, when under the lock the config turns out to be needed after all.
 */
export function replayCommand(args: BuildArgs): Promise<number | undefined> {
  return buildCommand(withDebugProfile(args), true);
}
