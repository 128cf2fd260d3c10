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

/**
 * `--debug` as the debug profile, as the full parser's middleware does (cli.ts): what the hand
 * parsed paths pass on.
 */
export function withDebugProfile<A extends { debug?: boolean; profile?: string }>(
  args: A,
): Omit<A, 'debug'> {
  const { debug, ...rest } = args;
  return debug ? { ...rest, profile: 'debug' } : rest;
}

/** The options of `kiln print` that are read without yargs. */
export interface PrintArgs extends Omit<BuildArgs, 'jobs'> {
  format?: string;
  cflags?: boolean;
  libs?: boolean;
  output?: string;
  workspaces?: boolean;
}

/** The options of `kiln doctor` that are read without yargs. */
export type DoctorArgs = Pick<BuildArgs, 'cwd' | 'json' | 'quiet' | 'verbose' | 'target'>;

type Flags = Record<string, string>;

const GLOBAL_VALUES: Flags = { '--cwd': 'cwd' };
const GLOBAL_BOOLS: Flags = {
  '--json': 'json',
  '--quiet': 'quiet',
  '-q': 'quiet',
  '--verbose': 'verbose',
  '-v': 'verbose',
};
const TARGET_VALUES: Flags = {
  '--target': 'target',
  '--profile': 'profile',
  '--out-dir': 'outDir',
};
const TARGET_BOOLS: Flags = { '--release': 'release', '--debug': 'debug' };

/**
 * Parses the common build flags by hand. Returns undefined for anything it does not know, so
 * the full (yargs) parser handles it and reports usage errors properly.
 */
export function parseBuildArgs(argv: readonly string[]): BuildArgs | undefined {
  return parseFlags(
    argv,
    { ...GLOBAL_VALUES, ...TARGET_VALUES, '--jobs': 'jobs', '-j': 'jobs' },
    { ...GLOBAL_BOOLS, ...TARGET_BOOLS },
  ) as BuildArgs | undefined;
}

/**
 * `kiln build` with plain flags (and `--force`, `--workspaces`), by hand: a build that is not
 * fresh starts its first compile sooner without the parser. Undefined for anything else.
 */
export function parseDirectBuildArgs(
  argv: readonly string[],
): (BuildArgs & { workspaces?: boolean; force?: boolean }) | undefined {
  const args = parseFlags(
    argv,
    { ...GLOBAL_VALUES, ...TARGET_VALUES, '--jobs': 'jobs', '-j': 'jobs' },
    { ...GLOBAL_BOOLS, ...TARGET_BOOLS },
    {},
    { '--workspaces': 'workspaces', '-w': 'workspaces', '--force': 'force' },
  ) as (BuildArgs & { workspaces?: boolean; force?: boolean }) | undefined;
  // Usage errors (--debug with --release or --profile) are worded by the full parser.
  if (!args || (args.debug && (args.release || args.profile))) return undefined;
  return args;
}

/** `kiln print` flags, by hand; undefined for anything else (yargs then reports it). */
export function parsePrintArgs(
  argv: readonly string[],
  formats: readonly string[],
): PrintArgs | undefined {
  const args = parseFlags(
    argv,
    { ...GLOBAL_VALUES, ...TARGET_VALUES, '--format': 'format', '-f': 'format' },
    { ...GLOBAL_BOOLS, ...TARGET_BOOLS, '--cflags': 'cflags', '--libs': 'libs' },
    { '--output': 'output', '-o': 'output' },
    { '--workspaces': 'workspaces', '-w': 'workspaces' },
  ) as PrintArgs | undefined;
  if (!args) return undefined;
  if (args.format !== undefined && !formats.includes(args.format)) return undefined;
  // Both of these are usage errors, worded by the full parser.
  if (args.debug && (args.release || args.profile)) return undefined;
  return args;
}

/** `kiln doctor` flags, by hand; undefined for anything else. */
export function parseDoctorArgs(argv: readonly string[]): DoctorArgs | undefined {
  return parseFlags(argv, { ...GLOBAL_VALUES, '--target': 'target' }, GLOBAL_BOOLS) as
    | DoctorArgs
    | undefined;
}

/**
 * `--name value`, `--name=value`, `-j4` and boolean flags, each at most once; undefined for
 * anything else (a repeated flag, a positional, an empty value), so that yargs decides.
 */
function parseFlags(
  argv: readonly string[],
  values: Flags,
  bools: Flags,
  ...more: Flags[]
): Record<string, string | number | boolean> | undefined {
  const [moreValues = {}, moreBools = {}] = more;
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const glued = /^-j\d+$/.test(arg) && values['-j'] !== undefined;
    const name = eq > 0 ? arg.slice(0, eq) : glued ? '-j' : arg;
    const key = values[name] ?? moreValues[name];
    if (key) {
      const value = eq > 0 ? arg.slice(eq + 1) : glued ? arg.slice(2) : argv[++i];
      if (value === undefined || value === '' || key in out) return undefined;
      if (key === 'jobs') {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) return undefined;
        out.jobs = n;
      } else {
        out[key] = value;
      }
      continue;
    }
    const flag = bools[arg] ?? moreBools[arg];
    if (flag) {
      out[flag] = true;
      continue;
    }
    return undefined;
  }
  return out;
}
