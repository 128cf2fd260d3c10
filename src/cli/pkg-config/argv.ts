/**
 * pkg-config's argv grammar (pkgconf 1.8.1 uses getopt_long_only): `--opt`, `-opt`, unique
 * prefixes (`--modv`), `--opt=value` or `--opt value`, options anywhere among package names,
 * and a package followed by an operator word and a version word joined into one constraint.
 */

const FLAGS = [
  'about',
  'cflags',
  'cflags-only-I',
  'cflags-only-other',
  'debug',
  'define-prefix',
  'digraph',
  'dont-define-prefix',
  'dont-relocate-paths',
  'env-only',
  'errors-to-stdout',
  'exists',
  'help',
  'ignore-conflicts',
  'internal-cflags',
  'keep-system-cflags',
  'keep-system-libs',
  'libs',
  'libs-only-L',
  'libs-only-l',
  'libs-only-other',
  'list-all',
  'list-package-names',
  'modversion',
  'msvc-syntax',
  'no-cache',
  'no-provides',
  'no-uninstalled',
  'path',
  'print-errors',
  'print-provides',
  'print-requires',
  'print-requires-private',
  'print-variables',
  'pure',
  'shared',
  'short-errors',
  'silence-errors',
  'simulate',
  'static',
  'uninstalled',
  'validate',
  'version',
] as const;

const WITH_VALUE = [
  'atleast-pkgconfig-version',
  'atleast-version',
  'define-variable',
  'env',
  'exact-version',
  'fragment-filter',
  'log-file',
  'max-version',
  'maximum-traverse-depth',
  'personality',
  'prefix-variable',
  'relocate',
  'variable',
  'with-path',
] as const;

export type Flag = (typeof FLAGS)[number];
export type ValueOption = (typeof WITH_VALUE)[number];

export interface ParsedArgs {
  flags: Set<Flag>;
  /** Last value of each option (`--variable` twice keeps the last, as pkgconf does). */
  values: Map<ValueOption, string>;
  /** Every value of the repeatable options (`--define-variable`, `--with-path`). */
  repeated: Map<ValueOption, string[]>;
  /** Package arguments, operator words already joined (`foo >= 1` as one entry). */
  packages: string[];
}

export class ArgError extends Error {}

const ALL: readonly string[] = [...FLAGS, ...WITH_VALUE];

function lookup(name: string): string {
  if (ALL.includes(name)) return name;
  const matches = ALL.filter((o) => o.startsWith(name));
  if (matches.length === 1) return matches[0]!;
  throw new ArgError(`pkgconf: ${matches.length > 1 ? 'ambiguous' : 'unknown'} option -- ${name}`);
}

const isOpChar = (c: string | undefined): boolean =>
  c === '<' || c === '>' || c === '!' || c === '=';

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = {
    flags: new Set(),
    values: new Map(),
    repeated: new Map(),
    packages: [],
  };
  const words: string[] = [];
  let i = 0;
  let optionsDone = false;
  while (i < argv.length) {
    const a = argv[i]!;
    i++;
    if (optionsDone || !a.startsWith('-') || a === '-') {
      words.push(a);
      continue;
    }
    if (a === '--') {
      optionsDone = true;
      continue;
    }
    const body = a.startsWith('--') ? a.slice(2) : a.slice(1);
    const eq = body.indexOf('=');
    const name = lookup(eq >= 0 ? body.slice(0, eq) : body);
    if ((WITH_VALUE as readonly string[]).includes(name)) {
      let value: string;
      if (eq >= 0) value = body.slice(eq + 1);
      else if (i < argv.length) value = argv[i++]!;
      else throw new ArgError(`pkgconf: option requires an argument -- ${name}`);
      const key = name as ValueOption;
      parsed.values.set(key, value);
      parsed.repeated.set(key, [...(parsed.repeated.get(key) ?? []), value]);
    } else {
      if (eq >= 0) throw new ArgError(`pkgconf: option doesn't take an argument -- ${name}`);
      parsed.flags.add(name as Flag);
    }
  }
  // `pkgconf --exists foo '>=' 1.0`: an operator word joins the package before and the version after.
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    const next = words[k + 1];
    if (next !== undefined && isOpChar(next[0]) && words[k + 2] !== undefined) {
      parsed.packages.push(`${w} ${next} ${words[k + 2]}`);
      k += 2;
    } else {
      parsed.packages.push(w);
    }
  }
  return parsed;
}
