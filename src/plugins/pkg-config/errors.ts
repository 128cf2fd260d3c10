/**
 * The miss error: what was wanted, what was found and where, every directory searched, the
 * variables that change the search, and the command that installs the library.
 */
import { KilnError } from '../../errors.js';
import type { ResolveProblem } from '../../pkgconf/resolver.js';
import { type Dependency, formatDependency } from '../../pkgconf/version.js';
import { installCommands, similarPcName } from './hints.js';

export interface MissContext {
  /** The `.pc` name asked for. */
  library: string;
  /** The constraints asked for. */
  wanted: readonly Dependency[];
  searchDirs: readonly string[];
  /** Every variable that changes the search, with its value (undefined: unset). */
  env: ReadonlyArray<readonly [string, string | undefined]>;
  /** Files skipped because they lack Name/Description/Version. */
  invalidFiles: readonly string[];
  /** Files skipped because they could not be read or parsed, with the reason. */
  brokenFiles?: readonly string[];
}

function constraintText(wanted: readonly Dependency[]): string {
  const parts = wanted.filter((d) => d.op !== undefined).map((d) => `${d.op} ${d.version}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Builds the KilnError for the first problem (the others are listed in the details). */
export function missError(problems: readonly ResolveProblem[], ctx: MissContext): KilnError {
  const first = problems[0]!;
  const lib = ctx.library;
  const want = `${lib}${constraintText(ctx.wanted)}`;
  let code: 'PKG_NOT_FOUND' | 'PKG_VERSION_MISMATCH' | 'PKG_CONFLICT' = 'PKG_NOT_FOUND';
  let message: string;
  let missingPc = lib;
  switch (first.kind) {
    case 'not-found':
      missingPc = first.dep.name;
      message =
        first.parent === 'virtual:world'
          ? `pkg-config library ${want} was not found${nearMiss(lib, ctx.searchDirs)}`
          : `pkg-config library ${want}: its dependency ${formatDependency(first.dep)} (required by ${first.parent}) was not found`;
      break;
    case 'version':
      code = 'PKG_VERSION_MISMATCH';
      missingPc = first.dep.name;
      message =
        `pkg-config library ${want}: version ${first.found.version} of ${first.dep.name} found at ${first.found.file}` +
        ` does not satisfy ${formatDependency(first.dep)}` +
        (first.parent === 'virtual:world' ? '' : ` (required by ${first.parent})`);
      break;
    case 'conflict':
      code = 'PKG_CONFLICT';
      message = `pkg-config library ${want}: ${first.pkg.name} conflicts with version ${first.other.version} of ${first.other.name} (rule ${formatDependency(first.rule)})`;
      break;
    case 'invalid':
      return first.error;
  }
  const lines: string[] = [];
  // The resolver may meet one problem on several paths: list each once, and name a parent
  // only when it is a real package (not the top-level request).
  const listed = [
    ...new Set(
      problems.map((p) => {
        if (p.kind === 'not-found') {
          return `  ${p.dep.name} not found${p.parent === 'virtual:world' ? '' : ` (required by ${p.parent})`}`;
        }
        if (p.kind === 'version') {
          return `  ${p.dep.name} ${p.found.version} does not satisfy ${formatDependency(p.dep)}`;
        }
        if (p.kind === 'conflict')
          return `  ${p.pkg.name} conflicts with ${p.other.name} ${p.other.version}`;
        return '';
      }),
    ),
  ].filter(Boolean);
  if (listed.length > 1) lines.push('All problems:', ...listed);
  lines.push('Directories searched, in order:');
  // A dir in both PKG_CONFIG_PATH and PKG_CONFIG_LIBDIR is searched twice; it is listed once.
  const dirs = [...new Set(ctx.searchDirs)];
  lines.push(...(dirs.length > 0 ? dirs.map((d) => `  ${d}`) : ['  (none)']));
  if (ctx.invalidFiles.length > 0) {
    lines.push('Skipped as invalid (missing Name, Description or Version):');
    lines.push(...ctx.invalidFiles.map((f) => `  ${f}`));
  }
  if (ctx.brokenFiles && ctx.brokenFiles.length > 0) {
    lines.push('Skipped as unreadable or malformed:');
    lines.push(...ctx.brokenFiles.map((m) => `  ${m}`));
  }
  lines.push('Environment that changes the search:');
  for (const [k, v] of ctx.env) lines.push(`  ${k}=${v === undefined ? '(unset)' : v}`);
  const install = installCommands(missingPc);
  if (install.length > 0) {
    lines.push(`Install ${missingPc}:`);
    lines.push(...install.map((c) => `  ${c}`));
  }
  const installHint =
    install.length > 0
      ? `Install the development package (${install.map((c) => c.replace(/^\w+:\s+/, '')).join(' / ')})`
      : `Install the development package that ships ${missingPc}.pc (often named ${missingPc}-dev or ${missingPc}-devel)`;
  const hint =
    code === 'PKG_VERSION_MISMATCH'
      ? `Install a newer ${missingPc} or put the directory of a matching ${missingPc}.pc first in PKG_CONFIG_PATH; relax the version if older works.`
      : code === 'PKG_CONFLICT'
        ? 'Remove the conflicting version, or set PKG_CONFIG_IGNORE_CONFLICTS if the conflict rule is wrong.'
        : `${installHint}, or add the directory containing ${missingPc}.pc to PKG_CONFIG_PATH. Use \`optional: true\` to fall back to a bundled build.`;
  return new KilnError(code, message, { details: lines.join('\n'), hint });
}

/** ` (did you mean "zlib"? zlib.pc is on the search path)` when the name looks misspelt. */
function nearMiss(name: string, searchDirs: readonly string[]): string {
  const match = similarPcName(name, searchDirs);
  return match ? ` (did you mean "${match}"? ${match}.pc is on the search path)` : '';
}
