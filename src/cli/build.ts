import { build, replayBuild } from '../runner/build.js';
import { killChildGroupsSync } from '../runner/exec.js';
import { releaseHeldLocksSync } from '../runner/lock.js';
import { createReporter, reportError } from './reporter.js';

export interface BuildCommandArgs {
  cwd?: string | undefined;
  target?: string | undefined;
  profile?: string | undefined;
  release?: boolean | undefined;
  jobs?: number | undefined;
  json?: boolean | undefined;
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
  outDir?: string | undefined;
  force?: boolean | undefined;
  workspaces?: boolean | undefined;
  filter?: string[] | undefined;
}

/** The shell's convention for "terminated by signal N": 128 + N. */
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const SIGNALS = Object.keys(SIGNAL_EXIT) as NodeJS.Signals[];

/**
 * `kiln build`. SIGINT/SIGTERM/SIGHUP abort the build: running programs are stopped, the lock
 * is released, no fingerprint is written, and the exit code is 128 + the signal number. A
 * second signal exits at once (with the same code) after killing every child's process group.
 */
export async function buildCommand(args: BuildCommandArgs): Promise<number>;
/**
 * `replayOnly`: the package's build only when it is fresh or replays its recorded plan;
 * undefined, having reported nothing but the start, when its config must run.
 */
export async function buildCommand(
  args: BuildCommandArgs,
  replayOnly: true,
): Promise<number | undefined>;
export async function buildCommand(
  args: BuildCommandArgs,
  replayOnly = false,
): Promise<number | undefined> {
  const reporter = createReporter({
    json: !!args.json,
    quiet: !!args.quiet,
    verbose: !!args.verbose,
    showPackage: !!(args.workspaces || args.filter?.length),
  });
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (received) {
      killChildGroupsSync();
      releaseHeldLocksSync();
      process.exit(SIGNAL_EXIT[received]);
    }
    received = sig;
    controller.abort(new Error(`received ${sig}`));
  };
  for (const sig of SIGNALS) process.on(sig, onSignal);
  const exitCode = (code: number) => (received ? (SIGNAL_EXIT[received] ?? code) : code);
  try {
    const common = {
      ...(args.cwd ? { cwd: args.cwd } : {}),
      ...(args.target ? { target: args.target } : {}),
      ...(args.profile ? { profile: args.profile } : {}),
      ...(args.release ? { release: true } : {}),
      ...(args.jobs ? { jobs: args.jobs } : {}),
      ...(args.outDir ? { outBase: args.outDir } : {}),
      ...(args.force ? { force: true } : {}),
      verbose: !!args.verbose,
      onEvent: reporter.onEvent,
      signal: controller.signal,
    };
    if (args.workspaces || args.filter?.length) {
      const { buildWorkspace } = await import('../build-engine.js');
      const result = await buildWorkspace({ ...common, filter: args.filter ?? [] });
      reporter.finish();
      reporter.summary(result.packages);
      return exitCode(result.ok ? 0 : 1);
    }
    if (replayOnly) {
      if (!(await replayBuild(common))) return undefined;
    } else {
      await build(common);
    }
    reporter.finish();
    return exitCode(0);
  } catch (error) {
    reporter.finish();
    return exitCode(reportError(error, { json: !!args.json, verbose: !!args.verbose }));
  } finally {
    for (const sig of SIGNALS) process.off(sig, onSignal);
  }
}
