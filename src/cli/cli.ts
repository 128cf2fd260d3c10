import yargs, { type Argv } from 'yargs';
import { KilnError } from '../errors.js';
import { FORMATS, type ManifestFormat } from '../manifest/render/index.js';
import { kilnVersion } from '../runner/version.js';
import { didYouMean } from '../util/suggest.js';
import { reportError } from './reporter.js';

// --debug is turned into `profile: 'debug'` here, once for every command that takes a profile.
function targetOptions<T>(y: Argv<T>) {
  return y
    .option('target', {
      type: 'string',
      describe: 'Target triple (default: the host), e.g. aarch64-unknown-linux-gnu',
    })
    .option('profile', { type: 'string', describe: 'release (default) or debug' })
    .option('release', { type: 'boolean', describe: 'Same as --profile release (the default)' })
    .option('debug', { type: 'boolean', describe: 'Same as --profile debug' })
    .conflicts('debug', ['release', 'profile'])
    .middleware((a) => {
      if (a.debug) (a as { profile?: string }).profile = 'debug';
    })
    .option('out-dir', {
      type: 'string',
      describe: 'Base folder for outputs (default: build/kiln)',
    });
}

/** `-j N`: a whole number of at least 1, or a usage error naming the value. */
function parseJobs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(Array.isArray(value) ? value.at(-1) : value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new Error(
      `--jobs (-j) must be a whole number of at least 1 (e.g. -j 4; leave it out to use every CPU), not "${text}"`,
    );
  }
  return n;
}

/** The full command line, on yargs; `kiln build` when fresh never gets here (see fast.ts). */
export async function runCli(argv: readonly string[]): Promise<number> {
  let failure: unknown;
  // Handlers only choose the command; it runs after yargs has validated the whole line, so a
  // bad flag never starts a build.
  let chosen: (() => Promise<number>) | undefined;
  const run = (command: () => Promise<number>) => {
    chosen = command;
  };
  const cli = yargs([...argv])
    .scriptName('kiln')
    .parserConfiguration({ 'boolean-negation': false })
    .usage('$0 <command> [options]\n\nNative build scripts for npm packages.')
    .option('cwd', {
      type: 'string',
      describe: 'Package directory (default: the current directory)',
    })
    .option('json', { type: 'boolean', describe: 'Print events as JSON lines' })
    .option('verbose', {
      alias: 'v',
      type: 'boolean',
      describe: 'Show commands and full diagnostics',
    })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'Only warnings and errors' })
    .command(
      'build',
      'Run build.config.ts (or report it Fresh)',
      (y) =>
        targetOptions(y)
          .option('jobs', {
            alias: 'j',
            type: 'string',
            describe: 'Parallel jobs (default: available CPUs)',
            coerce: parseJobs,
          })
          .option('force', { type: 'boolean', describe: 'Rebuild even when fresh' })
          .option('workspaces', {
            alias: 'w',
            type: 'boolean',
            describe: 'Build every workspace package with a build config, in dependency order',
          })
          .option('filter', {
            type: 'string',
            array: true,
            describe: 'With --workspaces: only these packages (names or globs) and what they need',
          }),
      (a) =>
        // Each command's code (and what it needs: jiti, zod, ...) loads once it is chosen.
        run(async () =>
          (await import('../build-engine.js')).buildCommand({ ...a, outDir: a.outDir }),
        ),
    )
    .command(
      'print',
      'Render the link manifest for a consumer',
      (y) =>
        targetOptions(y)
          .option('format', {
            alias: 'f',
            choices: FORMATS,
            default: 'json' as ManifestFormat,
            describe: 'Output format',
          })
          .option('cflags', { type: 'boolean', describe: 'Only compile flags (-I, -D, ...)' })
          .option('libs', { type: 'boolean', describe: 'Only link flags (-L, -l, ...)' })
          .option('output', {
            alias: 'o',
            type: 'string',
            describe: 'Write to a file instead of stdout',
          })
          .option('workspaces', {
            alias: 'w',
            type: 'boolean',
            describe: 'List each workspace package and the state of its build',
          }),
      (a) =>
        run(async () => {
          const { printCommand, printWorkspaces } = await import('./commands.js');
          return a.workspaces
            ? printWorkspaces({ ...a, outDir: a.outDir })
            : printCommand({ ...a, outDir: a.outDir, format: a.format as ManifestFormat });
        }),
    )
    .command(
      'clean',
      'Remove the outputs Kiln created (never folders without its marker)',
      (y) =>
        targetOptions(y).option('all', {
          type: 'boolean',
          describe: 'Every target and profile Kiln built under the out base',
        }),
      (a) =>
        run(async () => (await import('./commands.js')).cleanCommand({ ...a, outDir: a.outDir })),
    )
    .command(
      'doctor',
      'Report the tools Kiln finds and how to fix what is missing',
      (y) =>
        y.option('target', {
          type: 'string',
          describe: 'Report the tools a build for this triple would use (default: the host)',
        }),
      (a) =>
        run(async () =>
          (await import('./commands.js')).doctorCommand(
            a as { cwd?: string; json?: boolean; target?: string },
          ),
        ),
    )
    .command(
      'init',
      'Write a starter build.config.ts',
      (y) =>
        y
          .option('force', { type: 'boolean', describe: 'Overwrite an existing config' })
          .option('from', {
            type: 'string',
            describe: 'Convert this binding.gyp (default: ./binding.gyp when there is one)',
          }),
      (a) => run(async () => (await import('./commands.js')).initCommand(a)),
    )
    .command(
      'install',
      'For the npm install script: use a matching prebuild, else build from source (Release)',
      (y) =>
        y.option('jobs', {
          alias: 'j',
          type: 'string',
          describe: 'Parallel jobs',
          coerce: parseJobs,
        }),
      (a) => run(async () => (await import('./commands.js')).installCommand(a)),
    )
    .command(
      'pkg-config',
      'A drop-in pkg-config (takes pkg-config flags: --cflags, --libs, --modversion, ...)',
    )
    .demandCommand(1, 'Name a command: build, print, clean, doctor, init or pkg-config.')
    .strict()
    .version(kilnVersion())
    .help()
    .alias('h', 'help')
    .wrap(100)
    .exitProcess(false)
    .fail((msg, err, usage) => {
      // yargs reports its own parse and coerce errors as YError: they are usage errors.
      failure =
        err && err.name !== 'YError'
          ? err
          : new KilnError(
              'USAGE',
              suggestFix(err?.message ?? msg ?? 'Invalid command line', argv, usage),
              { hint: 'Run `kiln --help`.' },
            );
    });
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const json = argv.includes('--json');
  try {
    await cli.parseAsync();
  } catch (error) {
    failure ??= error;
  }
  if (failure) return reportError(failure, { json, verbose });
  if (!chosen) return 0;
  try {
    return await chosen();
  } catch (error) {
    return reportError(error, { json, verbose });
  }
}

/** What yargs hands `fail`: the commands and described options of the command being parsed. */
interface UsageView {
  getCommands(): ReadonlyArray<readonly [string, ...unknown[]]>;
  getDescriptions(): Record<string, unknown>;
}

/**
 * Rewrites yargs' "Unknown argument: biuld" into `unknown command "biuld" (did you mean
 * "build"?)` or `unknown option --relase (did you mean --release?)`.
 */
function suggestFix(message: string, argv: readonly string[], usage: unknown): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  const view = usage as Partial<UsageView> | undefined;
  if (!m || typeof view?.getDescriptions !== 'function') return message;
  const commands = (view.getCommands?.() ?? []).map((c) => c[0].split(' ')[0]!);
  const flags = Object.keys(view.getDescriptions());
  return m[1]!
    .split(', ')
    .map((name) => {
      const dashed = name.length === 1 ? `-${name}` : `--${name}`;
      const asFlag = argv.some((a) => a === dashed || a.startsWith(`${dashed}=`));
      if (!asFlag) {
        return commands.length > 0
          ? `unknown command "${name}"${didYouMean(name, commands)}`
          : `unexpected argument "${name}"`;
      }
      const known = flags.map((f) => (f.length === 1 ? `-${f}` : `--${f}`));
      return `unknown option ${dashed}${didYouMean(dashed, known, '')}`;
    })
    .join('; ');
}
