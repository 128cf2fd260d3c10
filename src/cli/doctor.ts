import { type Dirent, readdirSync } from 'node:fs';
import path from 'node:path';
import { isKilnError } from '../errors.js';
import { declaredNodeApiHeaders, headerReport, nodeIncludeDir } from '../plugins/addon/headers.js';
import { checkCross, searchOptions } from '../plugins/pkg-config/plugin-env.js';
import { hostTriple, parseTriple, type Triple } from '../target/triple.js';
import { discoverTool, type ToolKind } from '../toolchain/discover.js';
import { distccHosts } from '../toolchain/distcc.js';
import { ToolAnswers } from '../toolchain/tool-answers.js';
import type { Tool } from '../toolchain/types.js';
import { declaredDependency, readPackageJson } from '../util/package-json.js';
import { colorsFor } from './colors.js';
import type { WindowsCheck } from './doctor-windows.js';

/** One line of `kiln doctor`: the fields every check has, and what the toolchain checks add. */
interface Check extends WindowsCheck {
  /** For the toolchain checks: the program a build would run. */
  path?: string;
  /** The variable it came from (`CC_x86_64_unknown_linux_gnu`, `HOST_CC`, ...), if any. */
  from?: string;
  /** The compiler cache or distributor in front of it (`ccache`), if any. */
  wrapper?: string;
  /** For the pkg-config check: the search path, in the order a lookup walks it. */
  dirs?: string[];
}

/** Marks a check optional; `why` replaces "not found" when the tool is absent. */
function optional(check: Check, why: string): Check {
  return check.found
    ? { ...check, required: false }
    : { ...check, required: false, optional: true, detail: `not installed (optional: ${why})` };
}

/** A program's version line (`found` when it prints none); undefined when it does not run. */
async function probe(
  answers: ToolAnswers,
  words: string[],
  versionArgs = ['--version'],
): Promise<string | undefined> {
  const [file, ...pre] = words;
  if (!file) return undefined;
  const args = [...pre, ...versionArgs];
  const answer = await answers.ask(file, args, async () => {
    // Loaded only when a program must be asked: remembered answers spawn nothing.
    const { runTool } = await import('../runner/spawn.js');
    const r = await runTool(file, args, { reject: false, timeout: 10_000 });
    if (r.exitCode === undefined) return undefined;
    const first = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => l.trim());
    return { status: r.exitCode, line: first?.trim() ?? null };
  });
  return answer && (answer.line ?? 'found');
}

async function tool(
  answers: ToolAnswers,
  name: string,
  candidates: string[][],
  fix: string,
  required: boolean,
  versionArgs?: string[],
): Promise<Check> {
  for (const words of candidates) {
    const v = await probe(answers, words, versionArgs);
    if (v) return { name, found: true, detail: `${words.join(' ')}: ${v}`, fix, required };
  }
  return { name, found: false, detail: 'not found', fix, required };
}

/** What toolchain discovery reads: the process environment, as `kiln build` gives it. */
type DiscoveryContext = Parameters<typeof discoverTool>[0] & { target: Triple };

/**
 * One tool of the build's toolchain, found by the build's own discovery (`CC_<triple>`,
 * `TARGET_CC`/`HOST_CC`, `CC`, `CROSS_COMPILE`, `KILN_CC_WRAPPER`, then the default names), and
 * asked its version. A tool discovery cannot find is reported with discovery's own hint.
 */
async function buildTool(
  answers: ToolAnswers,
  ctx: DiscoveryContext,
  name: string,
  kind: ToolKind,
  required: boolean,
): Promise<Check> {
  let tool: Tool | undefined;
  try {
    tool = discoverTool(ctx, kind, ctx.target);
  } catch (err) {
    if (!isKilnError(err)) throw err;
    return { name, found: false, detail: err.message, fix: err.hint ?? '', required };
  }
  if (!tool) return { name, found: false, detail: 'not found', fix: '', required };
  // The compiler itself, not its wrapper: `ccache --version` names ccache.
  const words = [tool.path, ...(tool.compilerArgs ?? [])];
  // lib.exe and llvm-lib have no --version; their help's first line names them.
  const version = await probe(
    answers,
    words,
    kind === 'ar' && ctx.target.env === 'msvc' ? ['/?'] : undefined,
  );
  const via = [
    tool.fromEnv ? `from ${tool.fromEnv}` : '',
    tool.wrapper ? `through ${tool.wrapper}` : '',
  ].filter(Boolean);
  return {
    name,
    found: version !== undefined,
    detail: `${words.join(' ')}${via.length ? ` (${via.join(', ')})` : ''}: ${version ?? 'does not run'}`,
    fix: `Check that ${tool.fromEnv ?? tool.path} names a working ${name} for ${ctx.target.triple}.`,
    required,
    path: tool.path,
    ...(tool.fromEnv ? { from: tool.fromEnv } : {}),
    ...(tool.wrapper ? { wrapper: tool.wrapper } : {}),
  };
}

/**
 * The `.pc` search path a pkgConfig() lookup for the target walks, in order (existing dirs only):
 * `PKG_CONFIG_PATH`, then `PKG_CONFIG_LIBDIR` or the default dirs, in their target-specific
 * forms and under `PKG_CONFIG_SYSROOT_DIR` for a cross build.
 */
function pkgConfigCheck(ctx: DiscoveryContext): Check {
  const dirs = searchOptions(ctx).searchDirs;
  const check: Check = {
    name: 'pkg-config dirs',
    found: dirs.length > 0,
    detail: dirs.join(', ') || 'no directory of the search path exists',
    fix: 'Install the -dev package of the library you need (e.g. apt-get install zlib1g-dev), or set PKG_CONFIG_PATH.',
    required: false,
    dirs,
  };
  try {
    // A cross build refuses the host's .pc files unless told otherwise: say so before a build does.
    checkCross(ctx, 'any library');
  } catch (err) {
    if (!isKilnError(err)) throw err;
    return {
      ...check,
      found: false,
      detail: `${check.detail}; not used for ${ctx.target.triple} until pkg-config is set up for cross builds`,
      fix: err.hint ?? check.fix,
    };
  }
  return check;
}

/** Whether the package's own package.json names `dep` in a dependency field. */
function declares(cwd: string, dep: string): boolean {
  try {
    return (
      declaredDependency(readPackageJson(cwd, 'kiln doctor reads its dependencies'), dep) !==
      undefined
    );
  } catch {
    return false;
  }
}

const AARCH64_LINUX = 'aarch64-unknown-linux-gnu';

const CXX_SOURCE = /\.(cc|cpp|cxx|c\+\+|C)$/;
const SKIP_DIRS = new Set(['node_modules', 'build', 'dist', 'prebuilds', '.git']);

/**
 * Whether the package holds C++ sources (the only addons that may want napi.h). A bounded walk of
 * the package's own folders: dependencies and build outputs are not its sources.
 */
function hasCxxSources(dir: string, depth = 0): boolean {
  if (depth > 6) return false;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    if (e.isFile() && CXX_SOURCE.test(e.name)) return true;
  }
  return entries.some(
    (e) =>
      e.isDirectory() &&
      !SKIP_DIRS.has(e.name) &&
      !e.name.startsWith('.') &&
      hasCxxSources(path.join(dir, e.name), depth + 1),
  );
}

/**
 * Node-API headers as the addon step finds them (offline), and what `headers: 'auto'` picks.
 * Only what this package would use is reported as needed: node-api-headers when package.json
 * declares it (else Node's own headers are the default), node-addon-api when the package declares
 * it or has C++ sources.
 */
function nodeHeaders(cwd: string): Check[] {
  const r = headerReport(cwd);
  let declaredHeaders: string | undefined;
  try {
    declaredHeaders = declaredNodeApiHeaders(cwd);
  } catch {
    declaredHeaders = undefined;
  }
  const apiHeaders: Check = {
    name: 'node-api-headers',
    found: !!r.nodeApiHeaders,
    detail: r.nodeApiHeaders
      ? `${r.nodeApiHeaders.includeDir} (${r.nodeApiHeaders.version})${r.auto === r.nodeApiHeaders ? ', used by addon headers: auto' : ''}`
      : `not installed, but package.json declares it (${declaredHeaders})`,
    fix: declaredHeaders ? 'npm install' : 'npm install --save-dev node-api-headers',
    required: !!declaredHeaders,
  };
  const addonApiDeclared = declares(cwd, 'node-addon-api');
  const addonApi: Check = {
    name: 'node-addon-api',
    found: !!r.nodeAddonApi,
    detail:
      r.nodeAddonApi ??
      (addonApiDeclared
        ? 'not installed, but package.json declares it'
        : 'not installed in this package (C++ addons using napi.h need it)'),
    fix: addonApiDeclared ? 'npm install' : 'npm install node-addon-api',
    required: addonApiDeclared,
  };
  return [
    {
      name: 'node headers',
      found: !!r.runningNode,
      detail: r.runningNode
        ? `${r.runningNode.includeDir} (Node ${r.runningNode.version})`
        : `${nodeIncludeDir()} has no node_api.h`,
      fix: 'Install Node from a full distribution (its include/node folder), or add node-api-headers.',
      required: false,
    },
    declaredHeaders || r.nodeApiHeaders
      ? apiHeaders
      : optional(apiHeaders, "Node's own headers are the default"),
    ...(addonApiDeclared || r.nodeAddonApi || hasCxxSources(cwd) ? [addonApi] : []),
  ];
}

/**
 * The distcc farm as a build with `KILN_CC_WRAPPER=distcc` sizes its compile pool from it: each
 * host with its slots, and the total (what `distcc -j` prints).
 */
function distccCheck(): Check {
  const hosts = distccHosts();
  const fix =
    'Set DISTCC_HOSTS (e.g. "build1/8 build2:3632/8,lzo") and KILN_CC_WRAPPER=distcc; see docs/scaling.md.';
  if (!hosts || hosts.hosts.length === 0) {
    return {
      name: 'distcc hosts',
      found: false,
      detail: 'no DISTCC_HOSTS or hosts file',
      fix,
      required: false,
    };
  }
  const list = hosts.hosts
    .map((h) => `${h.spec}${h.options.length ? `,${h.options.join(',')}` : ''} (${h.limit})`)
    .join(', ');
  const extra = [
    hosts.localSlots !== undefined ? `--localslots=${hosts.localSlots}` : '',
    hosts.zeroconf ? '+zeroconf (hosts found at run time; the pool stays at local cores)' : '',
  ].filter(Boolean);
  return {
    name: 'distcc hosts',
    found: true,
    detail: `${hosts.slots} slots from ${hosts.source}: ${list}${extra.length ? `; ${extra.join('; ')}` : ''}`,
    fix,
    required: false,
  };
}

/**
 * `kiln doctor`: what Kiln finds on this machine, and a one-line fix for each thing missing. The
 * compilers, archiver and `.pc` search path are the ones `kiln build --target <target>` would use.
 */
export async function doctorCommand(args: {
  cwd?: string | undefined;
  json?: boolean | undefined;
  target?: string | undefined;
}): Promise<number> {
  const cwd = path.resolve(args.cwd ?? process.cwd());
  const host = parseTriple(hostTriple());
  const target = args.target ? parseTriple(args.target) : host;
  const ctx: DiscoveryContext = {
    getEnv: (name) => process.env[name],
    host,
    target,
    packageRoot: cwd,
  };
  const cross = target.triple !== host.triple;
  const answers = ToolAnswers.forUser();
  const main = Promise.all([
    buildTool(answers, ctx, 'cc', 'cc', true),
    buildTool(answers, ctx, 'c++', 'cxx', false),
    buildTool(answers, ctx, 'ar', 'ar', true),
    tool(answers, 'clang', [['clang']], 'apt-get install clang lld  |  brew install llvm', false),
    tool(answers, 'cmake', [['cmake']], 'apt-get install cmake  |  brew install cmake', false),
    tool(
      answers,
      'ninja',
      [['ninja']],
      'apt-get install ninja-build  |  brew install ninja',
      false,
    ),
    tool(answers, 'make', [['make']], 'apt-get install make', false),
    tool(
      answers,
      'ccache',
      [['ccache']],
      'apt-get install ccache  |  brew install ccache',
      false,
    ).then((k) => optional(k, 'speeds up rebuilds')),
    tool(
      answers,
      'sccache',
      [['sccache']],
      'apt-get install sccache  |  brew install sccache',
      false,
    ).then((k) => optional(k, 'a compiler cache that can be shared')),
    tool(
      answers,
      'distcc',
      [['distcc']],
      'apt-get install distcc  |  brew install distcc',
      false,
    ).then((k) => optional(k, 'spreads compiles over other machines')),
    tool(answers, 'icecc', [['icecc']], 'apt-get install icecc', false, ['--version']).then((k) =>
      optional(k, 'spreads compiles over an icecream farm'),
    ),
    tool(
      answers,
      'lipo',
      [['lipo'], ['llvm-lipo']],
      'apt-get install llvm  (llvm-lipo) for universal macOS binaries',
      false,
      ['-version'],
    ).then((k) =>
      // Universal binaries are a macOS matter: elsewhere lipo is only for cross-building them.
      process.platform === 'darwin' ? k : optional(k, 'only for universal macOS binaries'),
    ),
  ]);
  // Asked alongside the checks above, shown after them.
  const extra = Promise.all([
    // What `kiln build --target aarch64-unknown-linux-gnu` would compile with, the usual first
    // cross target; with --target, the cc check above already is the cross compiler.
    !cross && host.triple !== AARCH64_LINUX
      ? buildTool(
          answers,
          { ...ctx, target: parseTriple(AARCH64_LINUX) },
          'aarch64 linux cross',
          'cc',
          false,
        )
      : undefined,
    // Windows targets off Windows: clang in cl mode with LLVM's librarian and linker. For a
    // Windows --target, the Windows checks below name its linker instead.
    target.os !== 'windows' && host.os !== 'windows'
      ? tool(
          answers,
          'windows msvc cross',
          [['lld-link'], ['lld-link-14']],
          'apt-get install clang llvm lld  (clang-cl, llvm-lib, lld-link)',
          false,
          ['--version'],
        ).then((lld) => optional(lld, 'only for *-pc-windows-msvc targets'))
      : undefined,
  ]);
  const [checks, more]: [Check[], (Check | undefined)[]] = await Promise.all([main, extra]);
  for (const k of more) if (k) checks.push(k);
  checks.push(pkgConfigCheck(ctx));
  checks.push(...nodeHeaders(cwd));
  checks.push(distccCheck());
  if (target.os === 'windows') {
    // The Windows checks (and the MSVC discovery they load) matter only for a Windows target.
    const win = await import('./doctor-windows.js');
    checks.push(...win.windowsChecksFor(args.target));
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ type: 'doctor', checks })}\n`);
  } else {
    const c = colorsFor(process.stdout);
    // One write: to a pipe each write is a system call of its own.
    let text = '';
    for (const k of checks) {
      const mark = k.found
        ? c.green('ok  ')
        : k.optional
          ? c.dim('--  ')
          : k.required
            ? c.red('MISS')
            : c.yellow('miss');
      const fix = k.found ? '' : k.optional ? `\n     install: ${k.fix}` : `\n     fix: ${k.fix}`;
      text += `${mark} ${k.name.padEnd(20)} ${k.detail}${fix}\n`;
    }
    process.stdout.write(text);
  }
  await answers.save();
  return checks.some((k) => k.required && !k.found) ? 1 : 0;
}
