import { KilnError } from '../../errors.js';
import type { OptLevel } from '../../runner/types.js';
import type { Triple } from '../../target/triple.js';

/**
 * MSVC-syntax command lines (cl.exe, clang-cl, lib.exe / llvm-lib, link.exe / lld-link), built
 * from the same settings the GNU path takes. Options are written with `/`; clang-cl accepts the
 * same spelling, and argv is never read by a shell, so paths with spaces need no quoting.
 */

/** What one MSVC-style compile needs; paths are already as the compile (run in the root) sees them. */
export interface MsvcCompileInput {
  language: 'c' | 'c++';
  optLevel: OptLevel;
  debugInfo: boolean;
  /** The profile is a debug one: link the debug CRT (`/MDd`), as CMake's Debug configuration does. */
  debugRuntime: boolean;
  targetFlags: readonly string[];
  /** Flags that keep the checkout's path out of the object (clang-cl), after `/Brepro`. */
  reproducible?: readonly string[] | undefined;
  std: string | undefined;
  warnings: 'on' | 'off' | 'error';
  includes: readonly string[];
  /** The step's `flags` (and `cxxFlags` for C++), as given. */
  flags: readonly string[];
  /** `-DNAME[=value]` from the defines option. */
  defines: readonly string[];
  perFile: readonly string[];
  /** CFLAGS / CXXFLAGS from the environment, applied last. */
  envFlags: readonly string[];
  source: string;
  object: string;
}

/**
 * cc-rs's optimisation mapping for cl: `/Od` at 0, `/O1` (small code) for 1, s and z, `/O2`
 * (fast code) for 2 and 3.
 */
export function msvcOptFlag(level: OptLevel): string {
  if (level === '0') return '/Od';
  return level === '2' || level === '3' ? '/O2' : '/O1';
}

/**
 * `/std:` for a standard of the source's language, or undefined when cl has no switch for it
 * (C89/C99 are cl's default C; there are no GNU dialects, so `gnu11` means `c11`). Standards
 * newer than the newest cl knows by number map to `latest`.
 */
export function msvcStdFlag(std: string, language: 'c' | 'c++'): string | undefined {
  const m = /^(?:c|gnu)(\+\+)?(\w+)$/.exec(std);
  if (!m) return undefined;
  const cxx = m[1] !== undefined;
  if (cxx !== (language === 'c++')) return undefined;
  const version = m[2]!;
  if (cxx) {
    if (['14', '17', '20'].includes(version)) return `/std:c++${version}`;
    if (['1y', '1z', '2a'].includes(version)) {
      return `/std:c++${{ '1y': '14', '1z': '17', '2a': '20' }[version]}`;
    }
    if (['98', '03', '11', '0x'].includes(version)) return '/std:c++14';
    return '/std:c++latest';
  }
  if (version === '11' || version === '1x') return '/std:c11';
  if (version === '17' || version === '18') return '/std:c17';
  if (['89', '90', '99', '9x'].includes(version)) return undefined;
  return '/std:clatest';
}

/** `/W4` on, `/W4 /WX` as errors, `/W0` off (cc-rs uses `/W4` for its warnings). */
export function msvcWarningFlags(warnings: 'on' | 'off' | 'error'): string[] {
  if (warnings === 'off') return ['/W0'];
  return warnings === 'error' ? ['/W4', '/WX'] : ['/W4'];
}

/** `-DNAME=1` as cl spells it, `/DNAME=1` (cl takes both; one spelling keeps argv tidy). */
export function msvcDefine(flag: string): string {
  return flag.startsWith('-D') ? `/D${flag.slice(2)}` : flag;
}

/**
 * The argv of one compile, in the GNU path's order (later flags win; cl warns and takes the
 * last of two conflicting switches):
 * `/nologo`, optimisation, debug info, runtime, `/EHsc` (C++), `/utf-8`, `/Brepro`, target
 * flags, `/std:`, warnings, `/I`, the step's flags, defines, per-file flags, CFLAGS/CXXFLAGS,
 * then `/showIncludes /c /Fo<obj> /Tc|/Tp<src>`.
 *
 * - Debug info is `/Z7` (in the object) rather than `/Zi` (a shared `.pdb`): parallel compiles
 *   would otherwise contend for one pdb file (cc-rs does the same). The linker's `/DEBUG`
 *   still writes a pdb for the DLL or program.
 * - `/MD` (release) and `/MDd` (debug profile), CMake's defaults, so objects mix with a CMake
 *   build of the same profile; add `/MT` to `flags` for a static CRT.
 * - `/utf-8`: sources and string literals are UTF-8, as gcc and clang assume.
 * - `/Brepro`: no timestamps in the object, so identical sources give identical objects.
 * - `/Tc`/`/Tp` name the language explicitly and keep an absolute POSIX path (`/home/...`, as
 *   clang-cl sees sources off Windows) from being read as an option.
 * - PIC does not exist for COFF: nothing is added for it.
 */
export function msvcCompileArgs(input: MsvcCompileInput): string[] {
  const args = ['/nologo', msvcOptFlag(input.optLevel)];
  if (input.debugInfo) args.push('/Z7');
  args.push(input.debugRuntime ? '/MDd' : '/MD');
  if (input.language === 'c++') args.push('/EHsc');
  args.push('/utf-8', '/Brepro', ...(input.reproducible ?? []));
  args.push(...input.targetFlags);
  const std = input.std === undefined ? undefined : msvcStdFlag(input.std, input.language);
  if (std) args.push(std);
  args.push(...msvcWarningFlags(input.warnings));
  for (const dir of input.includes) args.push(`/I${dir}`);
  args.push(...input.flags);
  args.push(...input.defines.map(msvcDefine));
  args.push(...input.perFile);
  args.push(...input.envFlags);
  args.push(
    '/showIncludes',
    '/c',
    `/Fo${input.object}`,
    `${input.language === 'c++' ? '/Tp' : '/Tc'}${input.source}`,
  );
  return args;
}

/** The `/MACHINE:` value for a Windows target's architecture. */
export function msvcMachine(target: Triple): string {
  const machine: Record<string, string> = {
    x86_64: 'X64',
    aarch64: 'ARM64',
    i686: 'X86',
    i586: 'X86',
    i386: 'X86',
    armv7: 'ARM',
    thumbv7a: 'ARM',
  };
  const m = machine[target.arch];
  if (!m) {
    throw new KilnError(
      'TARGET_UNSUPPORTED',
      `MSVC tools have no machine type for ${target.triple}`,
      {
        hint: 'Build for x86_64-, aarch64- or i686-pc-windows-msvc.',
      },
    );
  }
  return m;
}

/**
 * `lib.exe` / `llvm-lib`: a fresh archive of the objects. `/MACHINE:` makes a wrong-arch object
 * an error at archive time rather than at the final link.
 */
export function msvcArchiveArgs(
  target: Triple,
  output: string,
  objects: readonly string[],
): string[] {
  return ['/NOLOGO', `/MACHINE:${msvcMachine(target)}`, `/OUT:${output}`, ...objects];
}

/** A library to link: a file, or a name looked up in the `/LIBPATH:` dirs. */
export interface MsvcLinkLibrary {
  name: string;
  path?: string | undefined;
  /** A `.dll` is linked through its import library (`x.lib` beside it). */
  kind: 'static' | 'dylib' | 'framework';
  wholeArchive?: boolean | undefined;
}

export interface MsvcLinkInput {
  target: Triple;
  kind: 'shared' | 'executable';
  /** Where the linker writes the DLL or program. */
  output: string;
  /** The import library of a DLL (`x.lib`); undefined for a program. */
  importLibrary?: string | undefined;
  /** The program database, written with `/DEBUG`. */
  pdb?: string | undefined;
  debug: boolean;
  objects: readonly string[];
  searchPaths: readonly string[];
  libs: readonly MsvcLinkLibrary[];
  /** The step's ldFlags, then LDFLAGS from the environment. */
  flags: readonly string[];
  /** lld-link's `/winsysroot:` (KILN_SYSROOT): where the CRT and SDK libraries are. */
  winsysroot?: string | undefined;
}

/**
 * `link.exe` / `lld-link` argv: `/NOLOGO`, `/DLL` for a library, `/MACHINE:`, `/OUT:`,
 * `/IMPLIB:`, `/DEBUG` + `/PDB:` when the profile has debug info, `/Brepro` (no timestamp: a
 * relink of the same objects gives the same file), the objects, `/LIBPATH:` dirs, libraries,
 * then the user's flags.
 */
export function msvcLinkArgs(input: MsvcLinkInput): string[] {
  const args = ['/NOLOGO'];
  if (input.kind === 'shared') args.push('/DLL');
  args.push(`/MACHINE:${msvcMachine(input.target)}`, `/OUT:${input.output}`);
  if (input.importLibrary) args.push(`/IMPLIB:${input.importLibrary}`);
  if (input.debug) {
    args.push('/DEBUG');
    if (input.pdb) args.push(`/PDB:${input.pdb}`);
  }
  args.push('/Brepro');
  if (input.winsysroot) args.push(`/winsysroot:${input.winsysroot}`);
  args.push(...input.objects);
  for (const dir of input.searchPaths) args.push(`/LIBPATH:${dir}`);
  for (const lib of input.libs) {
    if (lib.kind === 'framework') {
      throw new KilnError(
        'CONFIG_INVALID',
        `the framework ${lib.name} cannot be linked for ${input.target.triple}`,
        { hint: 'Frameworks exist on Apple targets only; link a .lib instead.' },
      );
    }
    const file = libraryFile(lib);
    args.push(lib.wholeArchive ? `/WHOLEARCHIVE:${file}` : file);
  }
  args.push(...input.flags);
  return args;
}

/** The file the linker is given for a library: its path (a DLL's import library), else `<name>.lib`. */
export function libraryFile(lib: MsvcLinkLibrary): string {
  if (lib.path) return /\.dll$/i.test(lib.path) ? lib.path.replace(/\.dll$/i, '.lib') : lib.path;
  return /\.lib$/i.test(lib.name) ? lib.name : `${lib.name}.lib`;
}

/**
 * One argument as Windows' command-line parser (`CommandLineToArgvW`, which lib.exe and llvm-lib
 * use for response files) reads it back: quoted when it holds a space, tab or quote, with
 * backslashes doubled only before a quote.
 */
export function windowsQuote(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    if (ch === '"') {
      out += `${'\\'.repeat(slashes * 2 + 1)}"`;
    } else {
      out += '\\'.repeat(slashes) + ch;
    }
    slashes = 0;
  }
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}
