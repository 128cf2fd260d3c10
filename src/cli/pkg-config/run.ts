/**
 * A drop-in `pkg-config`: pkgconf 1.8.1's queries, output bytes and exit codes, answered by the
 * in-process resolver.
 */
import { isKilnError } from '../../errors.js';
import { resolverOptionsFromEnv } from '../../pkgconf/environment.js';
import type { Fragment } from '../../pkgconf/fragments.js';
import { isInvalid } from '../../pkgconf/package.js';
import {
  describeProblem,
  listPcFiles,
  PKGCONF_VERSION,
  type ResolveProblem,
  Resolver,
} from '../../pkgconf/resolver.js';
import type { HostInfo } from '../../pkgconf/search-path.js';
import {
  compareVersions,
  type Dependency,
  formatDependency,
  parseDependencyList,
} from '../../pkgconf/version.js';
import { hostTriple, parseTriple } from '../../target/triple.js';
import { ArgError, type ParsedArgs, parseArgs } from './argv.js';
import { renderFragments } from './render.js';

export interface PkgConfigIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** The host as the `.pc` search path wants it: the same triple the build uses for the host. */
function hostInfo(): HostInfo {
  const { arch, os, env } = parseTriple(hostTriple());
  return { arch, os, env };
}

const OUTPUT_FLAGS = [
  'cflags',
  'cflags-only-I',
  'cflags-only-other',
  'libs',
  'libs-only-L',
  'libs-only-l',
  'libs-only-other',
] as const;

/** Runs pkg-config with `args`; returns the exit code pkgconf would return. */
export async function runPkgConfig(args: string[], io: PkgConfigIo): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(args);
  } catch (e) {
    if (e instanceof ArgError) {
      io.stderr(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  try {
    return run(parsed, io);
  } catch (e) {
    if (isKilnError(e)) {
      io.stderr(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function run(a: ParsedArgs, io: PkgConfigIo): number {
  const f = a.flags;
  if (f.has('version')) {
    io.stdout(`${PKGCONF_VERSION}\n`);
    return 0;
  }
  const atleastPc = a.values.get('atleast-pkgconfig-version');
  if (atleastPc !== undefined) return compareVersions(PKGCONF_VERSION, atleastPc) >= 0 ? 0 : 1;

  const getEnv = (n: string): string | undefined => io.env[n];
  const defineVariables: Record<string, string> = {};
  for (const d of a.repeated.get('define-variable') ?? []) {
    const eq = d.indexOf('=');
    if (eq > 0) defineVariables[d.slice(0, eq)] = d.slice(eq + 1);
  }
  const withPath = a.repeated.get('with-path') ?? [];
  const options = resolverOptionsFromEnv({
    getEnv,
    getSearchEnv: (n) => (n === 'PKG_CONFIG_LIBDIR' && f.has('env-only') ? '' : getEnv(n)),
    host: hostInfo(),
    defineVariables,
    withPath,
  });
  if (f.has('keep-system-cflags')) options.keepSystemCflags = true;
  if (f.has('keep-system-libs')) options.keepSystemLibs = true;
  if (f.has('no-uninstalled')) options.disableUninstalled = true;
  if (f.has('no-provides')) options.noProvides = true;
  if (f.has('ignore-conflicts')) options.ignoreConflicts = true;
  const depth = a.values.get('maximum-traverse-depth');
  if (depth !== undefined) options.maxTraverseDepth = Number.parseInt(depth, 10) || 0;
  if (f.has('debug')) {
    // pkgconf skips what it cannot use and says so only under --debug; Kiln does the same.
    options.onSkippedFile = (_file, e) => io.stderr(`skipping unusable file: ${e.message}\n`);
  }
  const r = new Resolver(options);

  if (f.has('list-all') || f.has('list-package-names')) {
    for (const dir of r.searchDirs) {
      for (const file of listPcFiles(dir)) {
        const p = r.loadScanned(file);
        if (p === undefined || isInvalid(p)) continue;
        io.stdout(
          f.has('list-all') ? `${p.id.padEnd(30)} ${p.name} - ${p.description}\n` : `${p.id}\n`,
        );
      }
    }
    return 0;
  }

  const world: Dependency[] = a.packages.flatMap((p) => parseDependencyList(p));
  const wantOutput = OUTPUT_FLAGS.some((o) => f.has(o));
  const errorsOn =
    !f.has('silence-errors') &&
    (f.has('print-errors') ||
      getEnv('PKG_CONFIG_DEBUG_SPEW') !== undefined ||
      wantOutput ||
      f.has('modversion') ||
      f.has('print-variables'));
  const err = f.has('errors-to-stdout') ? io.stdout : io.stderr;
  if (world.length === 0) {
    err('Please specify at least one package name on the command line.\n');
    return 1;
  }

  for (const [flag, test] of [
    ['atleast-version', (c: number) => c >= 0],
    ['exact-version', (c: number) => c === 0],
    ['max-version', (c: number) => c <= 0],
  ] as const) {
    const v = a.values.get(flag);
    if (v === undefined) continue;
    // 1.8.1 ignores a constraint written in the package argument here; any match succeeds.
    for (const dep of world) {
      const pkg = r.find(dep.name);
      if (pkg && test(compareVersions(pkg.version, v))) return 0;
      if (!pkg && f.has('print-errors')) err(`Package '${dep.name}' was not found\n`);
    }
    return 1;
  }

  const isStatic = f.has('static') && !f.has('shared');
  const exists = f.has('exists') || (!wantOutput && a.flags.size === 0 && a.values.size === 0);
  const problems = r.walk(world, {
    // Debian's 1.8.1 also walks Requires.private for --exists; --cflags validates without them
    // and only fails later, while collecting (it then prints an empty line and exits 1).
    searchPrivate: isStatic || f.has('print-requires-private') || exists,
  });
  if (problems.length > 0) {
    if (errorsOn) reportProblems(problems, f.has('short-errors'), err);
    return 1;
  }
  if (f.has('exists')) return 0;
  if (f.has('uninstalled')) {
    let any = false;
    r.walk(world, {
      searchPrivate: false,
      visit: (p) => {
        any ||= p.uninstalled;
      },
    });
    return any ? 0 : 1;
  }

  const pkgs = world.map((d) => {
    const res = r.resolve(d, 'virtual:world');
    if (!('pkg' in res)) throw new Error('unreachable: validated above');
    return res.pkg;
  });
  let printed = false;
  if (f.has('print-provides')) {
    printed = true;
    for (const p of pkgs) {
      for (const pr of p.provides) io.stdout(`${formatDependency(pr)}\n`);
      io.stdout(`${p.id} = ${p.version}\n`);
    }
  }
  if (f.has('modversion')) {
    printed = true;
    for (const p of pkgs) io.stdout(`${p.version}\n`);
  }
  if (f.has('path')) {
    printed = true;
    for (const p of pkgs) io.stdout(`${p.file}\n`);
  }
  if (f.has('print-variables')) {
    printed = true;
    for (const p of pkgs) for (const k of [...p.variables.keys()].reverse()) io.stdout(`${k}\n`);
  }
  const variable = a.values.get('variable');
  if (variable !== undefined) {
    printed = true;
    const vals = pkgs.map((p) => r.globals.get(variable) ?? p.variables.get(variable) ?? '');
    io.stdout(`${vals.join(' ')}\n`);
  }
  if (f.has('print-requires')) {
    printed = true;
    for (const p of pkgs) for (const d of p.requires) io.stdout(`${formatDependency(d)}\n`);
  }
  if (f.has('print-requires-private')) {
    printed = true;
    for (const p of pkgs) for (const d of p.requiresPrivate) io.stdout(`${formatDependency(d)}\n`);
  }
  if (printed || !wantOutput) return 0;

  let out = '';
  const cflagsI = f.has('cflags') || f.has('cflags-only-I');
  const cflagsOther = f.has('cflags') || f.has('cflags-only-other');
  if (cflagsI || cflagsOther) {
    const { fragments: list, problems: cflagsProblems } = r.collectCflags(world, isStatic);
    if (cflagsProblems.length > 0) {
      if (errorsOn) reportProblems(cflagsProblems, f.has('short-errors'), err);
      io.stdout('\n');
      return 1;
    }
    out += renderFragments(list.filter((x) => (x.type === 'I' ? cflagsI : cflagsOther)));
  }
  const libsL = f.has('libs') || f.has('libs-only-L');
  const libsl = f.has('libs') || f.has('libs-only-l');
  const libsOther = f.has('libs') || f.has('libs-only-other');
  if (libsL || libsl || libsOther) {
    const { fragments: list } = r.collectLibs(world, isStatic);
    out += renderFragments(
      list.filter((x: Fragment) => (x.type === 'L' ? libsL : x.type === 'l' ? libsl : libsOther)),
    );
  }
  io.stdout(`${out}\n`);
  return 0;
}

function reportProblems(
  problems: ResolveProblem[],
  short: boolean,
  err: (s: string) => void,
): void {
  let preamble = !short;
  for (const p of problems) {
    if (p.kind === 'not-found' && preamble) {
      preamble = false;
      err(
        `Package ${p.dep.name} was not found in the pkg-config search path.\n` +
          `Perhaps you should add the directory containing \`${p.dep.name}.pc'\n` +
          'to the PKG_CONFIG_PATH environment variable\n',
      );
    }
    err(`${describeProblem(p)}\n`);
  }
}
