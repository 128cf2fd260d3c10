import { type Dirent, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { declaredNodeApiHeaders, headerReport, nodeIncludeDir } from '../plugins/addon/headers.js';
import { distccHosts } from '../toolchain/distcc.js';
import { declaredDependency, readPackageJson } from '../util/package-json.js';
import { splitWords } from '../util/quote.js';
import { colorsFor } from './reporter.js';

interface Check {
  name: string;
  found: boolean;
  detail: string;
  fix: string;
  required: boolean;
  /**
   * Nice to have, never a failure: shown as `--` with why one might want it, not as missing
   * (ccache; lipo away from macOS; node-api-headers, since Node's own headers are the default).
   */
  optional?: true;
}

/** Marks a check optional; `why` replaces "not found" when the tool is absent. */
function optional(check: Check, why: string): Check {
  return check.found
    ? { ...check, required: false }
    : { ...check, required: false, optional: true, detail: `not installed (optional: ${why})` };
}

async function probe(words: string[], versionArgs = ['--version']): Promise<string | undefined> {
  const [file, ...pre] = words;
  if (!file) return undefined;
  const { runTool: execa } = await import('../runner/spawn.js');
  const r = await execa(file, [...pre, ...versionArgs], { reject: false, timeout: 10_000 });
  if (r.failed && r.exitCode === undefined) return undefined;
  const first = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => l.trim());
  return first?.trim() ?? 'found';
}

async function tool(
  name: string,
  candidates: string[][],
  fix: string,
  required: boolean,
  versionArgs?: string[],
): Promise<Check> {
  for (const words of candidates) {
    const v = await probe(words, versionArgs);
    if (v) return { name, found: true, detail: `${words.join(' ')}: ${v}`, fix, required };
  }
  return { name, found: false, detail: 'not found', fix, required };
}

function fromEnv(name: string): string[][] {
  const v = process.env[name];
  return v ? [splitWords(v)] : [];
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

const PC_DIRS = [
  '/usr/local/lib/pkgconfig',
  '/usr/local/share/pkgconfig',
  `/usr/lib/${process.arch === 'x64' ? 'x86_64' : 'aarch64'}-linux-gnu/pkgconfig`,
  '/usr/lib/pkgconfig',
  '/usr/share/pkgconfig',
  '/opt/homebrew/lib/pkgconfig',
];

/** `kiln doctor`: what Kiln finds on this machine, and a one-line fix for each thing missing. */
export async function doctorCommand(args: {
  cwd?: string | undefined;
  json?: boolean | undefined;
  target?: string | undefined;
}): Promise<number> {
  const cwd = path.resolve(args.cwd ?? process.cwd());
  const checks = await Promise.all([
    tool(
      'cc',
      [...fromEnv('CC'), ['cc'], ['gcc'], ['clang']],
      'apt-get install gcc  |  brew: xcode-select --install',
      true,
    ),
    tool(
      'c++',
      [...fromEnv('CXX'), ['c++'], ['g++'], ['clang++']],
      'apt-get install g++  |  brew: xcode-select --install',
      false,
    ),
    tool('ar', [...fromEnv('AR'), ['ar'], ['llvm-ar']], 'apt-get install binutils', true),
    tool('clang', [['clang']], 'apt-get install clang lld  |  brew install llvm', false),
    tool('cmake', [['cmake']], 'apt-get install cmake  |  brew install cmake', false),
    tool('ninja', [['ninja']], 'apt-get install ninja-build  |  brew install ninja', false),
    tool('make', [['make']], 'apt-get install make', false),
    tool('ccache', [['ccache']], 'apt-get install ccache  |  brew install ccache', false).then(
      (k) => optional(k, 'speeds up rebuilds'),
    ),
    tool('sccache', [['sccache']], 'apt-get install sccache  |  brew install sccache', false).then(
      (k) => optional(k, 'a compiler cache that can be shared'),
    ),
    tool('distcc', [['distcc']], 'apt-get install distcc  |  brew install distcc', false).then(
      (k) => optional(k, 'spreads compiles over other machines'),
    ),
    tool('icecc', [['icecc']], 'apt-get install icecc', false, ['--version']).then((k) =>
      optional(k, 'spreads compiles over an icecream farm'),
    ),
    tool(
      'aarch64 linux cross',
      [['aarch64-linux-gnu-gcc']],
      'apt-get install gcc-aarch64-linux-gnu',
      false,
    ),
    // Windows targets off Windows: clang in cl mode with LLVM's librarian and linker.
    tool(
      'windows msvc cross',
      [['lld-link'], ['lld-link-14']],
      'apt-get install clang llvm lld  (clang-cl, llvm-lib, lld-link)',
      false,
      ['--version'],
    ).then((k) => optional(k, 'only for *-pc-windows-msvc targets')),
    tool(
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
  const pcDirs = PC_DIRS.filter((d) => existsSync(d));
  checks.push({
    name: 'pkg-config dirs',
    found: pcDirs.length > 0,
    detail: pcDirs.join(', ') || 'none of the default directories exist',
    fix: 'Install the -dev package of the library you need (e.g. apt-get install zlib1g-dev), or set PKG_CONFIG_PATH.',
    required: false,
  });
  checks.push(...nodeHeaders(cwd));
  checks.push(distccCheck());
  const win = await import('./doctor-windows.js');
  checks.push(...win.windowsChecksFor(args.target));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ type: 'doctor', checks })}\n`);
  } else {
    const c = colorsFor(process.stdout);
    for (const k of checks) {
      const mark = k.found
        ? c.green('ok  ')
        : k.optional
          ? c.dim('--  ')
          : k.required
            ? c.red('MISS')
            : c.yellow('miss');
      const fix = k.found ? '' : k.optional ? `\n     install: ${k.fix}` : `\n     fix: ${k.fix}`;
      process.stdout.write(`${mark} ${k.name.padEnd(20)} ${k.detail}${fix}\n`);
    }
  }
  return checks.some((k) => k.required && !k.found) ? 1 : 0;
}
