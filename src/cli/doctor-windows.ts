import { existsSync } from 'node:fs';
import path from 'node:path';
import { hostTriple, parseTriple, type Triple } from '../target/triple.js';
import { findMsvc, msvcCandidates, systemMsvcHost } from '../toolchain/msvc/discover.js';
import { findExecutable } from '../toolchain/which.js';

/** One line of `kiln doctor`: the fields every check has (doctor.ts's own checks extend it). */
export interface WindowsCheck {
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

/**
 * The Windows target doctor reports for: `--target` when it names Windows, else the host when it
 * is Windows; undefined otherwise (the Windows tools are then not this package's concern).
 */
export function windowsTarget(target: string | undefined): Triple | undefined {
  const t = target ? parseTriple(target) : parseTriple(hostTriple());
  return t.os === 'windows' ? t : undefined;
}

/** The checks `kiln doctor` adds: none unless the target (or the host) is Windows. */
export function windowsChecksFor(target: string | undefined): WindowsCheck[] {
  const t = windowsTarget(target);
  return t ? windowsChecks(t) : [];
}

type Which = (name: string) => string | undefined;

const defaultWhich: Which = (name) => findExecutable(name, process.cwd());

/** The first of `candidates` (program words) that exists: a path, or a name on PATH. */
function firstFound(candidates: string[][], which: Which): string | undefined {
  for (const words of candidates) {
    const [file] = words;
    if (!file) continue;
    const found = path.isAbsolute(file) ? (existsSync(file) ? file : undefined) : which(file);
    if (found) return [found, ...words.slice(1)].join(' ');
  }
  return undefined;
}

function check(
  name: string,
  found: string | undefined,
  fix: string,
  required: boolean,
): WindowsCheck {
  return { name, found: !!found, detail: found ?? 'not found', fix, required };
}

/**
 * What a build for the Windows target `t` uses beyond the compiler and archiver (doctor's `cc`
 * and `ar` checks, found as the build finds them): for MSVC targets the linker (Visual Studio's,
 * found by vswhere or the registry on Windows; lld-link elsewhere), llvm-dlltool or lib.exe for
 * an addon's node.lib, and the SDK (INCLUDE/LIB); for MinGW its dlltool and windres. wine64 is
 * listed for running the Windows programs of tests off Windows.
 */
export function windowsChecks(
  t: Triple,
  which: Which = defaultWhich,
  env: (name: string) => string | undefined = (n) => process.env[n],
): WindowsCheck[] {
  // The host as the build sees it (the one triple rule), not a second platform test.
  const host = parseTriple(hostTriple());
  const windowsHost = host.os === 'windows';
  const checks: WindowsCheck[] = [];
  if (t.env === 'msvc') {
    const install = windowsHost ? findMsvc(systemMsvcHost(env, which), t, host) : undefined;
    const linkers = msvcCandidates('link', windowsHost, install).map((c) => c.words);
    const vs = 'install Visual Studio (or its Build Tools) with the C++ workload';
    const llvm = 'apt-get install clang lld llvm  |  brew install llvm';
    const fix = windowsHost ? `${vs}, or LLVM (clang-cl, llvm-lib, lld-link)` : llvm;
    // The compiler and archiver are doctor's own `cc`, `c++` and `ar` checks for this target.
    checks.push(
      check('msvc link', firstFound(linkers, which), fix, true),
      check(
        'node.lib generator',
        firstFound(windowsHost ? [['llvm-dlltool'], ['lib.exe']] : [['llvm-dlltool']], which),
        windowsHost ? `${vs} (lib.exe), or LLVM (llvm-dlltool)` : 'apt-get install llvm',
        false,
      ),
    );
    const include = env('INCLUDE');
    const lib = env('LIB');
    const sysroot = env('KILN_SYSROOT');
    const sdk = install
      ? `${install.source}: ${install.installationPath ?? install.binDir}`
      : include && lib
        ? `INCLUDE=${include}; LIB=${lib}`
        : sysroot
          ? `KILN_SYSROOT=${sysroot}`
          : undefined;
    checks.push(
      check(
        'Windows SDK',
        sdk,
        windowsHost
          ? `${vs} and the Windows SDK, or run from a developer prompt`
          : 'Set INCLUDE and LIB to an MSVC CRT + Windows SDK (e.g. one downloaded with xwin), or KILN_SYSROOT to its root',
        false,
      ),
    );
  } else {
    const prefix = `${t.arch}-w64-mingw32-`;
    const fix =
      'apt-get install gcc-mingw-w64-x86-64 binutils-mingw-w64  |  brew install mingw-w64';
    checks.push(
      check('mingw dlltool', firstFound([[`${prefix}dlltool`]], which), fix, false),
      check('mingw windres', firstFound([[`${prefix}windres`]], which), fix, false),
    );
  }
  if (!windowsHost) {
    // Debian's wine64 package puts the loader outside PATH.
    const wine = firstFound([['wine64'], ['/usr/lib/wine/wine64']], which);
    checks.push({
      ...check('wine64', wine, 'apt-get install wine64  |  brew install --cask wine-stable', false),
      ...(wine
        ? {}
        : {
            optional: true as const,
            detail: 'not installed (optional: runs Windows test programs off Windows)',
          }),
    });
  }
  return checks;
}
