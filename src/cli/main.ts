/**
 * The commands that need more than `entry.ts` answers alone: every command but `--version`,
 * `--help`, and a Fresh or replayed `kiln build`. Resolves to the exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
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
