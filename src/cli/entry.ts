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
 * `--version`, `--help`, and `kiln build` when Fresh or replayed (`quick-build.ts`). Every other
 * command is the ES module main (`main.ts`), imported on demand.
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
  const { main } = await import('./main.js');
  return main(argv);
}
