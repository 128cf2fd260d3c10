import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { headerReport, nodeIncludeDir } from '../plugins/addon/headers.js';
import { distccHosts } from '../toolchain/distcc.js';
import { splitWords } from '../util/quote.js';
import { colorsFor } from './reporter.js';

interface Check {
  name: string;
  found: boolean;
  detail: string;
  fix: string;
  required: boolean;
}

async function probe(words: string[], versionArgs = ['--version']): Promise<string | undefined> {
  const [file, ...pre] = words;
  if (!file) return undefined;
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

/** Node-API headers as the addon step finds them (offline), and what `headers: 'auto'` picks. */
function nodeHeaders(cwd: string): Check[] {
  const r = headerReport(cwd);
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
    {
      name: 'node-api-headers',
      found: !!r.nodeApiHeaders,
      detail: r.nodeApiHeaders
        ? `${r.nodeApiHeaders.includeDir} (${r.nodeApiHeaders.version})${r.auto === r.nodeApiHeaders ? ', used by addon headers: auto' : ''}`
        : 'not installed in this package',
      fix: 'npm install --save-dev node-api-headers',
      required: false,
    },
    {
      name: 'node-addon-api',
      found: !!r.nodeAddonApi,
      detail:
        r.nodeAddonApi ?? 'not installed in this package (needed only by C++ addons using napi.h)',
      fix: 'npm install node-addon-api',
      required: false,
    },
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
    tool('ccache', [['ccache']], 'apt-get install ccache  |  brew install ccache', false),
    tool('sccache', [['sccache']], 'apt-get install sccache  |  brew install sccache', false),
    tool('distcc', [['distcc']], 'apt-get install distcc  |  brew install distcc', false),
    tool('icecc', [['icecc']], 'apt-get install icecc', false, ['--version']),
    tool(
      'aarch64 linux cross',
      [['aarch64-linux-gnu-gcc']],
      'apt-get install gcc-aarch64-linux-gnu',
      false,
    ),
    tool(
      'lipo',
      [['lipo'], ['llvm-lipo']],
      'apt-get install llvm  (llvm-lipo) for universal macOS binaries',
      false,
      ['-version'],
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
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ type: 'doctor', checks })}\n`);
  } else {
    const c = colorsFor(process.stdout);
    for (const k of checks) {
      const mark = k.found ? c.green('ok  ') : k.required ? c.red('MISS') : c.yellow('miss');
      process.stdout.write(
        `${mark} ${k.name.padEnd(20)} ${k.detail}${k.found ? '' : `\n     fix: ${k.fix}`}\n`,
      );
    }
  }
  return checks.some((k) => k.required && !k.found) ? 1 : 0;
}
