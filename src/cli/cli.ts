import yargs, { type Argv } from 'yargs';
import { KilnError } from '../errors.js';
import { FORMATS, type ManifestFormat } from '../manifest/render/index.js';
import { kilnVersion } from '../runner/version.js';
import { buildCommand } from './build.js';
import { cleanCommand } from './clean.js';
import { doctorCommand } from './doctor.js';
import { initCommand } from './init.js';
import { printCommand, printWorkspaces } from './print.js';
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
            type: 'number',
            describe: 'Parallel jobs (default: available CPUs)',
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
      (a) => run(() => buildCommand({ ...a, outDir: a.outDir })),
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
        run(() =>
          a.workspaces
            ? printWorkspaces({ ...a, outDir: a.outDir })
            : printCommand({ ...a, outDir: a.outDir, format: a.format as ManifestFormat }),
        ),
    )
    .command(
      'clean',
      'Remove build outputs',
      (y) =>
        targetOptions(y).option('all', { type: 'boolean', describe: 'Every target and profile' }),
      (a) => run(() => cleanCommand({ ...a, outDir: a.outDir })),
    )
    .command('doctor', 'Report the tools Kiln finds and how to fix what is missing', {}, (a) =>
      run(() => doctorCommand(a as { cwd?: string; json?: boolean })),
    )
    .command(
      'init',
      'Write a starter build.config.ts',
      (y) => y.option('force', { type: 'boolean', describe: 'Overwrite an existing config' }),
      (a) => run(() => initCommand(a)),
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
    .fail((msg, err) => {
      failure =
        err ??
        new KilnError('USAGE', msg ?? 'Invalid command line', { hint: 'Run `kiln --help`.' });
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
