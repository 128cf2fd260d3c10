import path from 'node:path';
import { KilnError } from '../errors.js';
import type { BuildContext } from '../runner/types.js';
import { crossToolNames } from '../target/cross.js';
import { gnuCrossPrefix, isApple, type Triple } from '../target/triple.js';
import { envNames, lookupToolEnv } from './env.js';
import { WRAPPERS } from './masquerade.js';
import { findMsvc, type MsvcInstall, msvcCandidates, systemMsvcHost } from './msvc/discover.js';
import { splitShellWords } from './shellwords.js';
import type { Tool } from './types.js';
import { findExecutable } from './which.js';

export type ToolKind = 'cc' | 'cxx' | 'ar' | 'ranlib' | 'link';

/** `LD` (in cc-rs's forms) names the linker of MSVC targets; other targets link with the compiler. */
const VARIABLE: Record<ToolKind, string> = {
  cc: 'CC',
  cxx: 'CXX',
  ar: 'AR',
  ranlib: 'RANLIB',
  link: 'LD',
};
const LABEL: Record<ToolKind, string> = {
  cc: 'C compiler',
  cxx: 'C++ compiler',
  ar: 'archiver',
  ranlib: 'ranlib',
  link: 'linker',
};

type Ctx = Pick<BuildContext, 'getEnv' | 'host' | 'packageRoot'> &
  Partial<Pick<BuildContext, 'trackTool'>>;

/**
 * `findExecutable`, with the answer recorded as an input of the build: the program a name
 * resolves to on PATH (and that program's own file) are part of what the build depended on.
 */
function lookup(ctx: Ctx, name: string): string | undefined {
  const found = findExecutable(name, ctx.packageRoot);
  ctx.trackTool?.(name, found);
  return found;
}

/**
 * Finds one tool for `target`: the env var (cc-rs precedence) when set, else the default names
 * for the target in order (cross prefix first, clang as the fallback cross compiler, the host's
 * `cc`/`c++`/`ar` for native builds). Returns undefined only for an optional `ranlib`.
 */
export function discoverTool(ctx: Ctx, kind: ToolKind, target: Triple): Tool | undefined {
  const variable = VARIABLE[kind];
  const hit = lookupToolEnv(ctx, variable, target, { emptyIsUnset: true });
  const compilerLike = kind === 'cc' || kind === 'cxx';
  const wrapperEnv = compilerLike ? ctx.getEnv('KILN_CC_WRAPPER')?.trim() || undefined : undefined;
  if (hit) {
    const words = splitToolValue(hit.value, hit.name, ctx.packageRoot);
    return buildTool(ctx, kind, target, words, wrapperEnv, hit.name);
  }
  if (target.env === 'msvc' && kind !== 'ranlib') {
    const candidates = msvcCandidates(kind, isWindowsHost(ctx), msvcInstall(ctx, target));
    for (const c of candidates) {
      if (lookup(ctx, c.words[0]!)) {
        const tool = buildTool(ctx, kind, target, c.words, wrapperEnv, undefined);
        return c.env ? { ...tool, env: c.env } : tool;
      }
    }
    throw notFound(
      ctx,
      kind,
      target,
      candidates.map((c) => c.words.join(' ')),
    );
  }
  const candidates = defaultNames(ctx, kind, target);
  for (const name of candidates) {
    if (lookup(ctx, name)) {
      return buildTool(ctx, kind, target, [name], wrapperEnv, undefined);
    }
  }
  if (kind === 'ranlib') return undefined;
  throw notFound(ctx, kind, target, candidates);
}

/**
 * cc-rs: a value that is, as a whole, an existing file is one path (spaces allowed, no quoting
 * needed); anything else is split like a shell command line (`ccache gcc -m64`).
 */
function splitToolValue(value: string, envName: string, cwd: string): string[] {
  const trimmed = value.trim();
  if (trimmed.includes(' ') && findExecutable(trimmed, cwd)) return [trimmed];
  const words = splitShellWords(trimmed, envName);
  if (words.length === 0) {
    throw new KilnError('CONFIG_INVALID', `${envName} is set but names no program`, {
      hint: `Unset ${envName} or set it to a program, e.g. ${envName}=gcc.`,
    });
  }
  return words;
}

function buildTool(
  ctx: Ctx,
  kind: ToolKind,
  target: Triple,
  words: string[],
  wrapperEnv: string | undefined,
  fromEnv: string | undefined,
): Tool {
  let wrapperWords: string[] = [];
  let rest = words;
  const first = stem(words[0]!);
  if ((kind === 'cc' || kind === 'cxx') && WRAPPERS.has(first) && words.length > 1) {
    wrapperWords = [words[0]!];
    rest = words.slice(1);
  } else if (wrapperEnv && !WRAPPERS.has(first)) {
    wrapperWords = splitShellWords(wrapperEnv, 'KILN_CC_WRAPPER');
  }
  const toolPath = lookup(ctx, rest[0]!);
  if (!toolPath) throw notFound(ctx, kind, target, [rest[0]!], fromEnv);
  const compilerArgs = rest.slice(1);
  if (wrapperWords.length === 0) {
    return { program: toolPath, args: compilerArgs, path: toolPath, compilerArgs, fromEnv };
  }
  const wrapperPath = lookup(ctx, wrapperWords[0]!);
  if (!wrapperPath) {
    throw new KilnError(
      'TOOL_NOT_FOUND',
      `compiler wrapper "${wrapperWords[0]}" not found on PATH (from ${fromEnv ?? 'KILN_CC_WRAPPER'})`,
      {
        hint: `Install ${stem(wrapperWords[0]!)} (apt install ${stem(wrapperWords[0]!)} / brew install ${stem(wrapperWords[0]!)}) or remove it from ${fromEnv ?? 'KILN_CC_WRAPPER'}.`,
      },
    );
  }
  return {
    program: wrapperPath,
    args: [...wrapperWords.slice(1), toolPath, ...compilerArgs],
    wrapper: stem(wrapperWords[0]!),
    path: toolPath,
    compilerArgs,
    fromEnv,
  };
}

function isWindowsHost(ctx: Ctx): boolean {
  return ctx.host.os === 'windows';
}

/** Visual Studio's toolset for the target, looked up once per process (Windows hosts only). */
const installs = new Map<string, MsvcInstall | undefined>();
function msvcInstall(ctx: Ctx, target: Triple): MsvcInstall | undefined {
  if (!isWindowsHost(ctx)) return undefined;
  // A developer prompt opened later (another VCINSTALLDIR) is looked up again.
  const key = `${ctx.host.triple}>${target.triple}>${ctx.getEnv('VCINSTALLDIR') ?? ''}`;
  if (!installs.has(key)) {
    const host = systemMsvcHost(
      (name) => ctx.getEnv(name),
      (name) => findExecutable(name, ctx.packageRoot),
    );
    installs.set(key, findMsvc(host, target, ctx.host));
  }
  return installs.get(key);
}

/** The file name without directory or `.exe`: what identifies a tool. */
export function stem(file: string): string {
  return path.basename(file).replace(/\.exe$/i, '');
}

/** Default program names for a target, most preferred first. */
export function defaultNames(ctx: Ctx, kind: ToolKind, target: Triple): string[] {
  const cross = target.triple !== ctx.host.triple;
  const appleFromElsewhere = isApple(target) && !isApple(ctx.host);
  if (target.env === 'msvc') {
    if (kind === 'ranlib') return [];
    return msvcCandidates(kind, isWindowsHost(ctx), undefined).map((c) => c.words.join(' '));
  }
  if (kind === 'link') return [];
  if (appleFromElsewhere || (cross && !isApple(target))) {
    // One list for cross tools: the order crossToolNames documents. clang's `--target=` is not
    // part of the name; targetFlags adds it for whichever compiler is picked.
    const prefix = isApple(target) ? undefined : crossPrefixFromEnv(ctx);
    return crossToolNames(target, { prefix })[kind].map((c) => c.program);
  }
  const table: Record<Exclude<ToolKind, 'link'>, string[]> = {
    cc: ['cc', 'gcc', 'clang'],
    cxx: ['c++', 'g++', 'clang++'],
    ar: ['ar', 'llvm-ar'],
    ranlib: ['ranlib', 'llvm-ranlib'],
  };
  return table[kind];
}

/** `CROSS_COMPILE` (the Linux kernel's convention, honoured by cc-rs), with its trailing `-`. */
function crossPrefixFromEnv(ctx: Pick<BuildContext, 'getEnv'>): string | undefined {
  const fromEnv = ctx.getEnv('CROSS_COMPILE')?.trim();
  if (fromEnv) return fromEnv.endsWith('-') ? fromEnv : `${fromEnv}-`;
  return undefined;
}

function notFound(
  ctx: Ctx,
  kind: ToolKind,
  target: Triple,
  tried: string[],
  fromEnv?: string,
): KilnError {
  const variable = VARIABLE[kind];
  const consulted = envNames(variable, target, ctx.host);
  const what = `${LABEL[kind]} "${tried[0]}"`;
  const message = fromEnv
    ? `${what} from ${fromEnv} not found on PATH (building for ${target.triple})`
    : `${what} not found on PATH (building for ${target.triple})`;
  const details = [
    `Looked for: ${tried.join(', ')}`,
    `Environment variables consulted, most specific first: ${consulted.join(', ')}${kind === 'cc' || kind === 'cxx' ? ', KILN_CC_WRAPPER' : ''}`,
  ].join('\n');
  return new KilnError('TOOL_NOT_FOUND', message, {
    details,
    hint: installHint(ctx, kind, target, consulted[1]!),
  });
}

function installHint(ctx: Ctx, kind: ToolKind, target: Triple, specificVar: string): string {
  const setVar = `or set ${specificVar} to the ${LABEL[kind]} to use`;
  if (target.env === 'msvc') {
    return isWindowsHost(ctx)
      ? `Install Visual Studio (or its Build Tools) with the "Desktop development with C++" workload and build from a developer prompt, or install LLVM (winget install LLVM.LLVM) for clang-cl, llvm-lib and lld-link, ${setVar}.`
      : `Install clang, LLVM and lld (apt install clang llvm lld / brew install llvm lld) for clang-cl, llvm-lib and lld-link, ${setVar}.`;
  }
  if (isApple(target)) {
    return isApple(ctx.host)
      ? `Install the Xcode command line tools (xcode-select --install), ${setVar}.`
      : `Install clang and LLVM (apt install clang llvm / brew install llvm) to build for ${target.triple}, ${setVar}.`;
  }
  if (target.triple !== ctx.host.triple && target.os === 'linux') {
    const gnu = gnuCrossPrefix(target).slice(0, -1);
    const pkg = kind === 'cxx' ? `g++-${gnu}` : kind === 'cc' ? `gcc-${gnu}` : `binutils-${gnu}`;
    return `Install a cross toolchain (apt install ${pkg}; brew tap messense/macos-cross-toolchains && brew install ${target.triple}), or clang with --target support, ${setVar}.`;
  }
  if (kind === 'ar' || kind === 'ranlib') {
    return `Install binutils (apt install binutils / dnf install binutils / brew install binutils), ${setVar}.`;
  }
  return `Install a C/C++ toolchain (apt install build-essential / dnf install gcc gcc-c++ / apk add build-base / xcode-select --install on macOS), ${setVar}.`;
}
