/**
 * The commands that need more than `entry.ts` answers alone: a build whose config must run, and
 * every line that needs the full parser. Resolves to the exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'build') {
    const { runWithoutParser } = await import('./direct.js');
    const code = await runWithoutParser(argv);
    if (code !== undefined) return code;
  }
  const { runCli } = await import('./cli.js');
  return runCli(argv);
}
