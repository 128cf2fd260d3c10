import { parseDoctorArgs, parsePrintArgs, withDebugProfile } from './args.js';

/**
 * `kiln print`, `kiln doctor` and `kiln pkg-config` with plain flags, each bundled into one
 * CommonJS file of its own (`dist/cli/quick-print.cjs`..., see scripts/build.mjs) that
 * `entry.ts` requires: they start without Node's ES module loader and load no chain of chunks,
 * and none of them loads a config (whose `kilnjs` would be the main bundle). Their flags are few
 * and parsed by hand, without yargs (~70 ms to import). Each answers undefined when the line
 * needs the full parser (help, a usage error, an unusual spelling), which then handles it
 * exactly as before.
 */
export async function quickPkgConfig(args: readonly string[]): Promise<number | undefined> {
  // pkg-config's argv grammar is its own (`zlib >= 1.2`, `--atleast-version=1 zlib`): no yargs.
  const { runPkgConfig } = await import('./pkg-config/index.js');
  return runPkgConfig([...args], {
    env: process.env,
    stdout: (s: string) => process.stdout.write(s),
    stderr: (s: string) => process.stderr.write(s),
  });
}

export async function quickPrint(args: readonly string[]): Promise<number | undefined> {
  const { FORMATS } = await import('../manifest/render/index.js');
  const a = parsePrintArgs(args, FORMATS);
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

export async function quickDoctor(args: readonly string[]): Promise<number | undefined> {
  const a = parseDoctorArgs(args);
  if (!a) return undefined;
  const { doctorCommand } = await import('./doctor.js');
  return reported(a, () => doctorCommand({ cwd: a.cwd, json: a.json, target: a.target }));
}

/** The commands above by name, for `entry.ts`. */
export const QUICK_COMMANDS = {
  print: quickPrint,
  doctor: quickDoctor,
  'pkg-config': quickPkgConfig,
} as const;

export type QuickCommand = keyof typeof QUICK_COMMANDS;

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
