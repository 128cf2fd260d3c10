import { checkPackageBuild } from './fast.js';

/**
 * `kiln build` on the paths a developer takes all day, each bundled as one file of its own (no
 * chunks to load one after another): a package that is fresh, answered here, and one whose
 * recorded plan replays because only sources or headers changed, run by `quick-replay.ts`.
 * Undefined when the config must run (or the flags need the full command): the full command
 * then takes over.
 */
export async function quickBuild(argv: readonly string[]): Promise<number | undefined> {
  const check = checkPackageBuild(argv);
  if (!check) return undefined;
  if ('code' in check) return check.code;
  if (!check.replay) return undefined;
  // A bundle of its own too (see scripts/build.mjs): what a build runs, without the config.
  const { replayCommand } = await import('./quick-replay.js');
  return replayCommand(check.args);
}
