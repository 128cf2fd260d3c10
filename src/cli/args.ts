/** The options of `kiln build` that the fresh fast path understands without loading yargs. */
export interface BuildArgs {
  cwd?: string;
  target?: string;
  profile?: string;
  release?: boolean;
  debug?: boolean;
  jobs?: number;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  outDir?: string;
}

const VALUE_FLAGS: Record<string, keyof BuildArgs> = {
  '--cwd': 'cwd',
  '--target': 'target',
  '--profile': 'profile',
  '--jobs': 'jobs',
  '-j': 'jobs',
  '--out-dir': 'outDir',
};
const BOOL_FLAGS: Record<string, keyof BuildArgs> = {
  '--release': 'release',
  '--debug': 'debug',
  '--json': 'json',
  '--quiet': 'quiet',
  '-q': 'quiet',
  '--verbose': 'verbose',
  '-v': 'verbose',
};

/**
 * Parses the common build flags by hand. Returns undefined for anything it does not know, so
 * the full (yargs) parser handles it and reports usage errors properly.
 */
export function parseBuildArgs(argv: readonly string[]): BuildArgs | undefined {
  const out: BuildArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : /^-j\d+$/.test(arg) ? '-j' : arg;
    const key = VALUE_FLAGS[name];
    if (key) {
      const value = eq > 0 ? arg.slice(eq + 1) : /^-j\d+$/.test(arg) ? arg.slice(2) : argv[++i];
      if (value === undefined || value === '') return undefined;
      if (key === 'jobs') {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) return undefined;
        out.jobs = n;
      } else {
        out[key as 'cwd'] = value;
      }
      continue;
    }
    const flag = BOOL_FLAGS[arg];
    if (flag) {
      out[flag as 'release'] = true;
      continue;
    }
    return undefined;
  }
  return out;
}
