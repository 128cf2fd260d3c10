import path from 'node:path';
import type { Triple } from '../../target/triple.js';

/**
 * Recognising a build that failed only because no Windows SDK (and MSVC CRT) is set up: off
 * Windows, clang-cl and lld-link have the compiler's own headers (`stdint.h`, `stddef.h`) but
 * not the CRT's, the C++ library's or the Windows SDK's, nor their `.lib` files. Those come from
 * `INCLUDE`/`LIB` (a developer prompt sets them), or from `/winsysroot:` (`KILN_SYSROOT`).
 */

/** Headers of the C runtime, the C++ standard library and the Windows SDK. */
const SDK_HEADERS = new Set([
  'assert.h',
  'complex.h',
  'conio.h',
  'corecrt.h',
  'crtdbg.h',
  'ctype.h',
  'direct.h',
  'errno.h',
  'excpt.h',
  'fcntl.h',
  'fenv.h',
  'inttypes.h',
  'io.h',
  'locale.h',
  'malloc.h',
  'math.h',
  'memory.h',
  'process.h',
  'search.h',
  'setjmp.h',
  'share.h',
  'signal.h',
  'stdio.h',
  'stdlib.h',
  'string.h',
  'time.h',
  'uchar.h',
  'vcruntime.h',
  'wchar.h',
  'wctype.h',
  'windows.h',
]);

/** Windows SDK header families: `winsock2.h`, `ws2tcpip.h`, `shlobj.h`, `objbase.h`, `sys/stat.h`. */
const SDK_HEADER_PATTERN =
  /^(win\w*|ws2\w*|wincrypt|shl\w*|shell\w*|ole\w*|obj\w*|nt\w*|rpc\w*|unknwn|combaseapi|processthreadsapi|synchapi|fileapi|handleapi|bcrypt|iphlpapi|psapi|dbghelp|sys[\\/]\w+)\.h$/i;

/** The missing header of a cl-style "not found" error, when it is an SDK/CRT/C++ library header. */
export function missingSdkHeader(diagnostics: string): string | undefined {
  const patterns = [
    // clang-cl: fatal error: 'stdio.h' file not found
    /fatal error: '([^']+)' file not found/,
    // cl.exe: fatal error C1083: Cannot open include file: 'stdio.h': No such file or directory
    /fatal error C1083: [^:]*: '([^']+)'/,
    // cl.exe with no INCLUDE at all: fatal error C1034: stdio.h: no include path set
    /fatal error C1034: ([^:\s]+): /,
  ];
  for (const re of patterns) {
    const header = re.exec(diagnostics)?.[1];
    if (header && isSdkHeader(header)) return header;
  }
  return undefined;
}

function isSdkHeader(header: string): boolean {
  const name = header.toLowerCase();
  if (SDK_HEADERS.has(name) || SDK_HEADER_PATTERN.test(name)) return true;
  // The C++ standard library's headers have no extension (`iostream`, `vector`, `cstdio`).
  return !name.includes('.') && !name.includes('/') && /^[a-z_]+$/.test(name);
}

/** Import and static libraries of the CRT, the C++ runtime and the Windows SDK. */
const SDK_LIBRARY =
  /^(msvcrtd?|msvcprtd?|libcmtd?|libcpmtd?|ucrtd?|libucrtd?|vcruntimed?|libvcruntimed?|oldnames|legacy_stdio_definitions|kernel32|user32|gdi32|advapi32|shell32|ole32|oleaut32|uuid|ws2_32|bcrypt|ntdll|iphlpapi|psapi|dbghelp|comdlg32|winspool|crypt32|secur32|userenv|delayimp)\.lib$/i;

/** The missing library of a link.exe / lld-link error, when it belongs to the SDK or the CRT. */
export function missingSdkLibrary(diagnostics: string): string | undefined {
  const patterns = [
    // lld-link: error: could not open 'msvcrt.lib': No such file or directory
    /could not open '([^']+\.lib)'/i,
    // link.exe: LINK : fatal error LNK1104: cannot open file 'kernel32.lib'
    /LNK1104: cannot open file '([^']+\.lib)'/i,
  ];
  for (const re of patterns) {
    const lib = re.exec(diagnostics)?.[1];
    if (lib && SDK_LIBRARY.test(path.win32.basename(lib))) return lib;
  }
  return undefined;
}

/** The hint for a missing SDK: what to set, for the host the build runs on. */
export function sdkHint(target: Triple, host: Triple, what: 'headers' | 'libraries'): string {
  const freestanding =
    what === 'headers'
      ? 'Freestanding code (no CRT headers) needs neither.'
      : 'A freestanding link needs neither: add /NODEFAULTLIB and /ENTRY:<function> (or /NOENTRY for a DLL) to ldFlags.';
  if (host.os === 'windows') {
    return `Build from a Visual Studio developer prompt (it sets INCLUDE and LIB), or install the "Desktop development with C++" workload with a Windows SDK. ${freestanding}`;
  }
  return [
    `No Windows SDK is set up for ${target.triple}: clang-cl and lld-link have no CRT, C++ library or Windows SDK of their own.`,
    'Set INCLUDE and LIB (semicolon-separated, as a developer prompt does) to the MSVC and Windows SDK include and lib folders,',
    'or KILN_SYSROOT to a folder with VC/ and "Windows Kits/" (passed as /winsysroot:; `xwin splat --use-winsysroot-style` makes one).',
    freestanding,
  ].join(' ');
}
