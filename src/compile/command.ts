import { existsSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';
import type { Profile } from '../runner/types.js';
import { isClang } from '../toolchain/family.js';
import { msvcCompileArgs } from '../toolchain/msvc/flags.js';
import { ENGLISH_PREFIX } from '../toolchain/msvc/show-includes.js';
import type { CompilerInfo, Tool, Toolchain } from '../toolchain/types.js';
import { relativeInside } from '../util/paths.js';
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
  /**
   * For cl-style compilers: the `/showIncludes` prefix. The headers are then read from what the
   * compile prints (and those lines dropped from it) instead of from a depfile.
   */
  showIncludes?: string | undefined;
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
    const r = relativeInside(root, file);
    return r === undefined ? file : r || '.';
  };
  if (info.family === 'msvc') return msvcCommand(s, source, perFile, object, tool, info, rel);
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
    colorArgs: ['-fdiagnostics-color=always'],
    env: repro.env,
  };
}

/**
 * The same compile for cl.exe / clang-cl, in MSVC syntax (see `msvcCompileArgs`). Assembly is
 * refused: MSVC assembles with ml64/armasm64, which take MASM, not the GNU `.s` syntax.
 */
function msvcCommand(
  s: CompileSettings,
  source: Source,
  perFile: readonly string[],
  object: string,
  tool: Tool,
  info: CompilerInfo,
  rel: (file: string) => string,
): CompileCommand {
  const tc = s.toolchain;
  const cxx = source.language === 'c++';
  if (source.language !== 'c' && !cxx) {
    throw new KilnError(
      'CONFIG_INVALID',
      `${source.rel} is GNU assembly, which MSVC tools cannot assemble (building for ${tc.target.triple})`,
      {
        hint: 'Leave .s/.S sources out of the sources for MSVC targets (a C fallback or a separate cc step per target).',
      },
    );
  }
  // clang-cl records its working directory in the debug info like clang does: the same
  // `/proc/self/cwd` trick, and `.` as the compilation directory. cl.exe has only /Brepro.
  const repro =
    info.clangCl && s.root !== undefined
      ? {
          flags: ['-fdebug-compilation-dir=.'],
          env: hasProcCwd() ? { PWD: PROC_CWD } : ({} as Record<string, string>),
        }
      : { flags: [], env: {} };
  const own = msvcCompileArgs({
    language: cxx ? 'c++' : 'c',
    optLevel: s.profile.optLevel,
    debugInfo: s.profile.debugInfo,
    debugRuntime: s.profile.name === 'debug',
    reproducible: repro.flags,
    targetFlags: cxx ? (tc.cxxTargetFlags ?? tc.targetFlags) : tc.targetFlags,
    std: s.std,
    warnings: s.warnings,
    includes: s.includes.map(rel),
    flags: cxx ? [...s.flags, ...s.cxxFlags] : s.flags,
    defines: s.defines,
    perFile,
    envFlags: cxx ? tc.cxxflags : tc.cflags,
    source: rel(source.file),
    object: rel(object),
  });
  const compilerArgs = tool.compilerArgs ?? tool.args;
  return {
    program: tool.program,
    args: [...tool.args, ...own],
    clangdArguments: [tool.path, ...compilerArgs, ...own],
    // clang-cl colours like clang; cl.exe has no such switch.
    colorArgs: info.clangCl ? ['-fdiagnostics-color=always'] : [],
    env: { ...tool.env, ...repro.env, VSLANG: '1033' },
    showIncludes: info.showIncludesPrefix ?? ENGLISH_PREFIX,
  };
}

/** Object file name extension: `.obj` for MSVC-style compilers, `.o` elsewhere. */
export function objectExtension(info: CompilerInfo): string {
  return info.family === 'msvc' ? '.obj' : '.o';
}

/**
 * The file name for a target: `libz.a`, `libz.so`, `libz.dylib`, `z.dll` / `z.lib`; a program
 * is `z` (`z.exe` on Windows).
 */
export function artifactName(
  name: string,
  kind: 'static' | 'shared' | 'executable',
  os: string,
  env: string | undefined,
): string {
  if (kind === 'executable') return os === 'windows' ? `${name}.exe` : name;
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
