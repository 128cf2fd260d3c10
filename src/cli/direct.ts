import { parseDirectBuildArgs, parseDoctorArgs, parsePrintArgs, withDebugProfile } from './args.js';

/**
 * `kiln print` and `kiln doctor` with plain flags, run without yargs (~70 ms to import): their
 * flags are few and parsed by hand. Undefined when the line needs the full parser (help, a
 * usage error, an unusual spelling), which then handles it exactly as before.
 */
export async function runWithoutParser(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (command === 'build') {
    // A workspace build checks hundreds of fingerprints, and a single package's edit loop waits
    // for its first compile: the parser would cost as much again.
    const a = parseDirectBuildArgs(rest);
    if (!a) return undefined;
    if (a.workspaces) {
      const { tryFreshWorkspace } = await import('./fresh-workspace.js');
      const fresh = await tryFreshWorkspace(a);
      if (fresh !== undefined) return fresh;
    }
    const { buildCommand } = await import('./build.js');
    return buildCommand(withDebugProfile(a));
  }
  if (command === 'print') {
    const { FORMATS } = await import('../manifest/render/index.js');
    const a = parsePrintArgs(rest, FORMATS);
    if (!a) return undefined;
    const { printCommand, printWorkspaces } = await import('./print.js');
    const { cwd, target, profile, release, outDir } = withDebugProfile(a);
    const common = { cwd, target, profile, release, outDir };
    return reported(a, () =>
      a.workspaces
        ? printWorkspaces({ ...common, json: a.json })
        : printCommand({
            ...common,
            format: (a.format ?? 'json') as (typeof FORMATS)[number],
            cflags: a.cflags,
            libs: a.libs,
            output: a.output,
            json: a.json,
          }),
    );
  }
  if (command === 'doctor') {
    const a = parseDoctorArgs(rest);
    if (!a) return undefined;
    const { doctorCommand } = await import('./doctor.js');
    return reported(a, () => doctorCommand({ cwd: a.cwd, json: a.json, target: a.target }));
  }
  return undefined;
}

async function reported(
  a: { json?: boolean; verbose?: boolean },
  run: () => Promise<number>,
): Promise<number> {
  try {
    return await run();
  } catch (error) {
    const { reportError } = await import('./reporter.js');
    return reportError(error, { json: !!a.json, verbose: !!a.verbose });
  }
}
