import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runWithCodeCache } from './code-cache.js';
import { quickBuild } from './quick-build.js';
import type { QuickCommand } from './quick-commands.js';

/**
 * A reader that went away (`kiln build | head -1`) is not a failure of the build: output to it
 * stops, the build goes on and finishes (or fails) as it would have.
 */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/**
 * Entry point of the `kiln` command; resolves to the exit code.
 *
 * Built as one CommonJS file (`dist/cli/entry.cjs`, see scripts/build.mjs) that `bin/kiln.js`
 * requires: Node starts a CommonJS program without its ES module loader (~5 ms), and one file
 * loads faster than a chain of modules. The commands run all day answer from this file alone:
 * `--version`, `--help`, and `kiln build` when Fresh or replayed (`quick-build.ts`); `print`,
 * `doctor` and `pkg-config` from one CommonJS file more (`quick-commands.ts`). Everything else is
 * the ES module main (`main.ts`), imported on demand.
 */
export async function run(argv: readonly string[]): Promise<number> {
  ignoreClosedPipes();
  // The two commands people run to see whether Kiln is there answer without the parser.
  if (argv.length === 1 && argv[0] === '--version') {
    const { kilnVersion } = await import('../runner/version.js');
    process.stdout.write(`${kilnVersion()}\n`);
    return 0;
  }
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    const { HELP_TEXT } = await import('./help.js');
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  if (argv[0] === 'build') {
    const code = await quickBuild(argv.slice(1));
    if (code !== undefined) return code;
  }
  if (isQuickCommand(argv[0])) {
    const code = await quickCommand(argv[0], argv.slice(1));
    if (code !== undefined) return code;
  }
  const { main } = await import('./main.js');
  return main(argv);
}

/** The commands with a bundle of their own, `quick-<command>.cjs` (scripts/build.mjs). */
const QUICK: Record<QuickCommand, true> = { print: true, doctor: true, 'pkg-config': true };

const isQuickCommand = (name: string | undefined): name is QuickCommand =>
  name !== undefined && Object.hasOwn(QUICK, name);

type QuickRun = (args: readonly string[]) => Promise<number | undefined>;

/**
 * Runs the command from its bundle beside this one, loaded through V8's code cache (as the
 * replay is, `quick-build.ts`); run from the sources, from its function in the module.
 */
async function quickCommand(
  command: QuickCommand,
  args: readonly string[],
): Promise<number | undefined> {
  const file = fileURLToPath(new URL(`./quick-${command}.cjs`, import.meta.url));
  if (!existsSync(file)) return (await import('./quick-commands.js')).QUICK_COMMANDS[command](args);
  return runWithCodeCache<{ run: QuickRun }, number | undefined>(file, (m) => m.run(args));
}
