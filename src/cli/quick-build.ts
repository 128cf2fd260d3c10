import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BuildArgs } from './args.js';
import { runWithCodeCache } from './code-cache.js';
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
  return replay(check.args);
}

type ReplayModule = typeof import('./quick-replay.js');

/**
 * The replay is a CommonJS bundle of its own beside this one (see scripts/build.mjs), loaded
 * through V8's code cache; run from the sources (tests), it is imported as a module.
 */
async function replay(args: BuildArgs): Promise<number | undefined> {
  const bundle = fileURLToPath(new URL('./quick-replay.cjs', import.meta.url));
  if (!existsSync(bundle)) return (await import('./quick-replay.js')).replayCommand(args);
  return runWithCodeCache<ReplayModule, number | undefined>(bundle, (m) => m.replayCommand(args));
}
