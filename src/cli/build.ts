import { build } from '../runner/build.js';
import { buildWorkspace } from '../workspace/build.js';
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

/**
 * `kiln build`. SIGINT/SIGTERM abort the build: running programs are killed, the lock is
 * released, and no fingerprint is written, so the next run starts over cleanly.
 */
export async function buildCommand(args: BuildCommandArgs): Promise<number> {
  const reporter = createReporter({
    json: !!args.json,
    quiet: !!args.quiet,
    verbose: !!args.verbose,
    showPackage: !!(args.workspaces || args.filter?.length),
  });
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    controller.abort(new Error(`received ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
      const result = await buildWorkspace({ ...common, filter: args.filter ?? [] });
      reporter.finish();
      reporter.summary(result.packages);
      return result.ok ? 0 : 1;
    }
    await build(common);
    reporter.finish();
    return 0;
  } catch (error) {
    reporter.finish();
    return reportError(error, { json: !!args.json, verbose: !!args.verbose });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
