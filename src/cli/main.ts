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

/** Entry point of the `kiln` command; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
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
    // A bundle of its own (see scripts/build.mjs): one file to load, not a chain of chunks.
    const { quickBuild } = await import('./quick-build.js');
    const code = await quickBuild(argv.slice(1));
    if (code !== undefined) return code;
  }
  if (argv[0] === 'pkg-config') {
    // pkg-config's argv grammar is its own (`zlib >= 1.2`, `--atleast-version=1 zlib`): no yargs.
    const { runPkgConfig } = await import('./pkg-config/index.js');
    return runPkgConfig([...argv.slice(1)], {
      env: process.env,
      stdout: (s: string) => process.stdout.write(s),
      stderr: (s: string) => process.stderr.write(s),
    });
  }
  if (argv[0] === 'print' || argv[0] === 'doctor' || argv[0] === 'build') {
    const { runWithoutParser } = await import('./direct.js');
    const code = await runWithoutParser(argv);
    if (code !== undefined) return code;
  }
  const { runCli } = await import('./cli.js');
  return runCli(argv);
}
