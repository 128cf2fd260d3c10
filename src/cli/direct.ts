import { parseDirectBuildArgs, withDebugProfile } from './args.js';

/**
 * `kiln build` with plain flags, when the config must run (`entry.ts` answered the Fresh and
 * replayed builds), without yargs (~70 ms to import): its flags are few and parsed by hand.
 * Undefined when the line needs the full parser (help, a usage error, an unusual spelling),
 * which then handles it exactly as before.
 */
export async function runWithoutParser(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (command !== 'build') return undefined;
  // A workspace build checks hundreds of fingerprints, and a single package's edit loop waits
  // for its first compile: the parser would cost as much again.
  const a = parseDirectBuildArgs(rest);
  if (!a) return undefined;
  if (a.workspaces) {
    const { tryFreshWorkspace } = await import('./fresh-workspace.js');
    const fresh = await tryFreshWorkspace(a);
    if (fresh !== undefined) return fresh;
  }
  const { buildCommand } = await import('../build-engine.js');
  return buildCommand(withDebugProfile(a));
}
