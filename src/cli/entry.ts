import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { quickBuild } from './quick-build.js';

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
  const quick = QUICK[argv[0] as keyof typeof QUICK];
  if (quick) {
    const code = await (await quickCommand(quick)).run(argv.slice(1));
    if (code !== undefined) return code;
  }
  const { main } = await import('./main.js');
  return main(argv);
}

/** The commands with a bundle of their own, and its name (scripts/build.mjs builds them). */
const QUICK = { print: 'quick-print', doctor: 'quick-doctor', 'pkg-config': 'quick-pkg-config' };

type QuickRun = (args: readonly string[]) => Promise<number | undefined>;

/** The command's bundle beside this one; run from the sources, its function in the module. */
async function quickCommand(
  bundle: (typeof QUICK)[keyof typeof QUICK],
): Promise<{ run: QuickRun }> {
  const file = fileURLToPath(new URL(`./${bundle}.cjs`, import.meta.url));
  if (existsSync(file)) return createRequire(import.meta.url)(file);
  const { QUICK_COMMANDS } = await import('./quick-commands.js');
  const name = Object.entries(QUICK).find(([, b]) => b === bundle)![0];
  return { run: QUICK_COMMANDS[name as keyof typeof QUICK_COMMANDS] };
}
