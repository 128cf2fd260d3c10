import { replayablePlan } from '../runner/replay.js';
import { buildCommand } from './build.js';
import { checkPackageBuild } from './fast.js';

/**
 * `kiln build` on the paths a developer takes all day, bundled as one file of its own (no
 * chunks to load one after another): a package that is fresh, and one whose recorded plan
 * replays because only sources or headers changed. Undefined when the config must run (or the
 * flags need the full command): the full command then takes over.
 */
export async function quickBuild(argv: readonly string[]): Promise<number | undefined> {
  const check = checkPackageBuild(argv);
  if (!check) return undefined;
  if ('code' in check) return check.code;
  if (!check.stale || !replayablePlan(check.stale, check.query)) return undefined;
  const { debug, ...args } = check.args;
  return buildCommand({ ...args, ...(debug ? { profile: 'debug' } : {}) }, true);
}
