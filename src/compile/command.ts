import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Profile } from '../runner/types.js';
import { isClang } from '../toolchain/family.js';
import type { CompilerInfo, Tool, Toolchain } from '../toolchain/types.js';
import type { Language, Source } from './sources.js';

/** What every compile of one cc step shares (options already validated and resolved). */
export interface CompileSettings {
  toolchain: Toolchain;
  profile: Profile;
  pic: boolean;
  /** Absolute include directories. */
  includes: string[];
  defines: string[];
  std: string | undefined;
  warnings: 'on' | 'off' | 'error';
  flags: string[];
  cxxFlags: string[];
  /** Apple/iOS-like targets where -ffunction-sections is not wanted; computed by the caller. */
  sections: boolean;
  /**
   * The package root, where compiles run. When given, paths in the argv are relative to it and
   * the compiler is told to record it as `.`, so objects do not depend on the checkout's path
   * (and a compiler cache keyed on the argv hits from any checkout).
   */
  root?: string;
}

export interface CompileCommand {
  /** What to spawn (the wrapper when there is one). */
  program: string;
  args: string[];
  /** The command without a compiler cache wrapper, as clangd wants it in compile_commands.json. */
  clangdArguments: string[];
  /** Appended when diagnostics go to a terminal (gcc and clang alike); not part of the command hash. */
  colorArgs: string[];
  /** Environment the compile needs on top of the build's (see `reproducible`). */
  env: Record<string, string>;
}

/**
 * On Linux the compiler's idea of its working directory comes from `$PWD` when that names the
 * same directory as `.` (gcc's getpwd, clang's current_path): `/proc/self/cwd` always does, in
 * every checkout, so mapping it to `.` gives a path-free argv. Elsewhere the root itself is
 * mapped, which is just as reproducible but makes the argv differ between checkouts.
 */
const PROC_CWD = '/proc/self/cwd';
let procCwd: boolean | undefined;
function hasProcCwd(): boolean {
  procCwd ??= process.platform === 'linux' && existsSync(PROC_CWD);
  return procCwd;
}

/**
 * What makes an object independent of where the package is checked out: the compilation
 * directory (DW_AT_comp_dir, the working-directory line of preprocessed output) recorded as
 * `.`. `-ffile-prefix-map` implies `-fdebug-prefix-map` and `-fmacro-prefix-map` (gcc ≥ 8,
 * clang ≥ 10); every other path in the argv is relative to the root, so `__FILE__` and the
 * debug file names are relative already.
 */
export function reproducible(
  info: CompilerInfo,
  root: string,
): { flags: string[]; env: Record<string, string> } {
  if (info.family !== 'gcc' && !isClang(info)) return { flags: [], env: {} };
  if (hasProcCwd()) return { flags: [`-ffile-prefix-map=${PROC_CWD}=.`], env: { PWD: PROC_CWD } };
  return { flags: [`-ffile-prefix-map=${root}=.`], env: {} };
}

/** `-O<level>`; cc-rs maps `z` to `-Os` for gcc, which only learned `-Oz` in version 12. */
function optFlag(profile: Profile, info: CompilerInfo): string {
  if (profile.optLevel === 'z' && !isClang(info)) return '-Os';
  return `-O${profile.optLevel}`;
}

function stdApplies(std: string, language: Language): boolean {
  const cxx = std.includes('++');
  if (language === 'c++') return cxx;
  if (language === 'c') return !cxx;
  return false;
}

/**
 * The full argv of one compile, in cc-rs's order (later flags override earlier ones):
 * wrapper/compiler args, Kiln defaults (opt level, sections, PIC, debug), target flags, `-std`,
 * warnings, `-I`, the user's flags and defines, per-file flags, then CFLAGS/CXXFLAGS from the
 * environment last, then the depfile and the input/output.
 */
export function compileCommand(
  s: CompileSettings,
  source: Source,
  perFile: readonly string[],
  object: string,
  depfile: string,
): CompileCommand {
  const cxx = source.language === 'c++';
  const tc = s.toolchain;
  const tool: Tool = cxx ? tc.cxx : tc.cc;
  const info = cxx ? tc.cxxInfo : tc.ccInfo;
  const root = s.root;
  // A path inside the root as the compile (run in the root) sees it. Paths outside stay absolute:
  // `../../../usr/include` would differ with the checkout's depth, `/usr/include` does not.
  const rel = (file: string) => {
    if (root === undefined) return file;
    const r = path.relative(root, file);
    return r.startsWith('..') || path.isAbsolute(r) ? file : r || '.';
  };
  const repro = root === undefined ? { flags: [], env: {} } : reproducible(info, root);
  const own: string[] = [optFlag(s.profile, info)];
  if (s.sections) own.push('-ffunction-sections', '-fdata-sections');
  if (s.pic) own.push('-fPIC');
  if (s.profile.debugInfo) own.push('-g');
  own.push(...repro.flags);
  own.push(...(cxx ? (tc.cxxTargetFlags ?? tc.targetFlags) : tc.targetFlags));
  if (s.std && stdApplies(s.std, source.language)) own.push(`-std=${s.std}`);
  if (source.language !== 'asm') {
    if (s.warnings === 'off') own.push('-w');
    else own.push('-Wall', '-Wextra', ...(s.warnings === 'error' ? ['-Werror'] : []));
  }
  for (const dir of s.includes) own.push(`-I${rel(dir)}`);
  own.push(...s.flags);
  if (cxx) own.push(...s.cxxFlags);
  own.push(...s.defines);
  own.push(...perFile);
  own.push(...(cxx ? tc.cxxflags : tc.cflags));
  own.push('-MD', '-MF', rel(depfile), '-c', rel(source.file), '-o', rel(object));
  const compilerArgs = tool.compilerArgs ?? tool.args;
  return {
    program: tool.program,
    args: [...tool.args, ...own],
    clangdArguments: [tool.path, ...compilerArgs, ...own],
    colorArgs: info.family === 'msvc' ? [] : ['-fdiagnostics-color=always'],
    env: repro.env,
  };
}

/** The library file name for a target: `libz.a`, `libz.so`, `libz.dylib`, `z.dll` / `z.lib`. */
export function artifactName(
  name: string,
  kind: 'static' | 'shared',
  os: string,
  env: string | undefined,
): string {
  if (os === 'windows') {
    if (kind === 'shared') return `${name}.dll`;
    return env === 'msvc' ? `${name}.lib` : `lib${name}.a`;
  }
  if (kind === 'static') return `lib${name}.a`;
  return os === 'darwin' ? `lib${name}.dylib` : `lib${name}.so`;
}

/** Absolute include dirs, resolved against the package root. */
export function resolveIncludes(root: string, includes: readonly string[] | undefined): string[] {
  return (includes ?? []).map((dir) => path.resolve(root, dir));
}

/** `-D` arguments for the defines option, in the order given. */
export function defineFlags(
  defines:
    | Readonly<Record<string, string | number | boolean | null>>
    | readonly string[]
    | undefined,
): string[] {
  if (!defines) return [];
  if (isList(defines)) return defines.map((d) => `-D${d}`);
  const out: string[] = [];
  for (const [name, value] of Object.entries(defines)) {
    if (value === false) continue;
    out.push(value === true || value === null ? `-D${name}` : `-D${name}=${value}`);
  }
  return out;
}

function isList(d: Readonly<Record<string, unknown>> | readonly string[]): d is readonly string[] {
  return Array.isArray(d);
}
