import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Triple } from '../../target/triple.js';

/**
 * Finding the MSVC tools, cc-rs's way (`find-msvc-tools`), with every source of information
 * injected so the rules can be tested off Windows:
 *
 * 1. A developer prompt: `VCINSTALLDIR` (with `VSINSTALLDIR`) is set and `cl.exe` is on PATH;
 *    `INCLUDE`/`LIB` are already right, nothing is added.
 * 2. vswhere: `%ProgramFiles(x86)%\Microsoft Visual Studio\Installer\vswhere.exe -latest
 *    -products * -requires Microsoft.VisualStudio.Component.VC.Tools.x86.x64 -property
 *    installationPath`.
 * 3. The registry: `HKLM\SOFTWARE\Microsoft\VisualStudio\SxS\VS7` (Visual Studio 2017 and
 *    later record their installation folder by version there).
 *
 * From the installation folder: the newest `VC\Tools\MSVC\<version>` (or the one named by
 * `VC\Auxiliary\Build\Microsoft.VCToolsVersion.default.txt`), then
 * `bin\Host<host arch>\<target arch>\cl.exe`, with the toolset's `include` and `lib\<arch>` for
 * `INCLUDE`/`LIB`.
 */
export interface MsvcHost {
  env: (name: string) => string | undefined;
  exists: (file: string) => boolean;
  readdir: (dir: string) => string[];
  readFile?: ((file: string) => string | undefined) | undefined;
  /** Runs vswhere with these args; returns its stdout, or undefined when it cannot run. */
  runVswhere: (vswhere: string, args: string[]) => string | undefined;
  /** Value names and data under a registry key (`reg query`); undefined when the key is absent. */
  readRegistry: (key: string) => Record<string, string> | undefined;
  /** Finds a program on PATH. */
  which: (name: string) => string | undefined;
}

export interface MsvcInstall {
  /** How it was found. */
  source: 'developer-prompt' | 'vswhere' | 'registry';
  /** The Visual Studio installation folder (undefined for a developer prompt). */
  installationPath?: string | undefined;
  /** The toolset folder `VC\Tools\MSVC\<version>`. */
  toolsDir?: string | undefined;
  /** The folder of cl.exe, link.exe and lib.exe for this host and target. */
  binDir: string;
  cl: string;
  link: string;
  lib: string;
  /** Environment the tools need (INCLUDE/LIB), empty when a developer prompt already set it. */
  env: Record<string, string>;
}

export const VSWHERE_ARGS = [
  '-latest',
  '-products',
  '*',
  '-requires',
  'Microsoft.VisualStudio.Component.VC.Tools.x86.x64',
  '-property',
  'installationPath',
];

export const VS7_KEY = 'HKLM\\SOFTWARE\\Microsoft\\VisualStudio\\SxS\\VS7';

/** The MSVC folder name of an architecture (`Hostx64\arm64`). */
export function msvcArchDir(arch: string): string | undefined {
  const dirs: Record<string, string> = {
    x86_64: 'x64',
    aarch64: 'arm64',
    i686: 'x86',
    i586: 'x86',
  };
  return dirs[arch];
}

const win = path.win32;

/** The MSVC tools for `target` on a Windows `host`, or undefined when none is installed. */
export function findMsvc(
  host: MsvcHost,
  target: Triple,
  hostTriple: Triple,
): MsvcInstall | undefined {
  const targetDir = msvcArchDir(target.arch);
  const hostDir = msvcArchDir(hostTriple.arch) ?? 'x64';
  if (!targetDir) return undefined;

  if (host.env('VCINSTALLDIR')) {
    const cl = host.which('cl.exe');
    if (cl) {
      const binDir = win.dirname(cl);
      return {
        source: 'developer-prompt',
        installationPath: host.env('VSINSTALLDIR'),
        binDir,
        cl,
        link: win.join(binDir, 'link.exe'),
        lib: win.join(binDir, 'lib.exe'),
        env: {},
      };
    }
  }

  const programFiles = host.env('ProgramFiles(x86)') ?? 'C:\\Program Files (x86)';
  const vswhere = win.join(programFiles, 'Microsoft Visual Studio', 'Installer', 'vswhere.exe');
  if (host.exists(vswhere)) {
    for (const line of (host.runVswhere(vswhere, VSWHERE_ARGS) ?? '').split(/\r?\n/)) {
      const install = line.trim();
      if (!install) continue;
      const found = fromInstallation(host, install, hostDir, targetDir, 'vswhere');
      if (found) return found;
    }
  }

  const vs7 = host.readRegistry(VS7_KEY);
  if (vs7) {
    // Newest version first: value names are `15.0`, `16.0`, `17.0`.
    const versions = Object.keys(vs7).sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const version of versions) {
      const found = fromInstallation(host, vs7[version]!, hostDir, targetDir, 'registry');
      if (found) return found;
    }
  }
  return undefined;
}

function fromInstallation(
  host: MsvcHost,
  installationPath: string,
  hostDir: string,
  targetDir: string,
  source: MsvcInstall['source'],
): MsvcInstall | undefined {
  const msvcRoot = win.join(installationPath, 'VC', 'Tools', 'MSVC');
  const defaultFile = win.join(
    installationPath,
    'VC',
    'Auxiliary',
    'Build',
    'Microsoft.VCToolsVersion.default.txt',
  );
  const pinned = host.readFile?.(defaultFile)?.trim();
  const installed = newestFirst(host.readdir(msvcRoot));
  // The pinned toolset first; one without this host/target pair falls back to the newest.
  const versions = pinned ? [pinned, ...installed.filter((v) => v !== pinned)] : installed;
  for (const version of versions) {
    const toolsDir = win.join(msvcRoot, version);
    const binDir = win.join(toolsDir, 'bin', `Host${hostDir}`, targetDir);
    const cl = win.join(binDir, 'cl.exe');
    if (!host.exists(cl)) continue;
    return {
      source,
      installationPath,
      toolsDir,
      binDir,
      cl,
      link: win.join(binDir, 'link.exe'),
      lib: win.join(binDir, 'lib.exe'),
      env: toolsetEnv(host, toolsDir, targetDir),
    };
  }
  return undefined;
}

/** The toolset's own headers and libraries, before whatever INCLUDE/LIB already hold. */
function toolsetEnv(host: MsvcHost, toolsDir: string, targetDir: string): Record<string, string> {
  const join = (dirs: string[], existing: string | undefined) =>
    [...dirs, ...(existing ? [existing] : [])].join(';');
  return {
    INCLUDE: join([win.join(toolsDir, 'include')], host.env('INCLUDE')),
    LIB: join([win.join(toolsDir, 'lib', targetDir)], host.env('LIB')),
  };
}

/** `14.40.33807` before `14.38.33130`: version folders compared numerically, part by part. */
function newestFirst(names: string[]): string[] {
  const parts = (v: string) => v.split('.').map((n) => Number.parseInt(n, 10) || 0);
  return [...names]
    .filter((n) => /^\d+(\.\d+)*$/.test(n))
    .sort((a, b) => {
      const pa = parts(a);
      const pb = parts(b);
      for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pb[i] ?? 0) - (pa[i] ?? 0);
        if (d !== 0) return d;
      }
      return 0;
    });
}

/** The real machine: the process environment, the file system, vswhere and `reg query`. */
export function systemMsvcHost(
  env: (name: string) => string | undefined,
  which: (name: string) => string | undefined,
): MsvcHost {
  return {
    env,
    which,
    exists: existsSync,
    readdir: (dir) => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    },
    readFile: (file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    runVswhere: (vswhere, args) => {
      try {
        // Loaded on use: only a Windows host asks vswhere or the registry.
        const { execFileSync } = process.getBuiltinModule('node:child_process');
        return execFileSync(vswhere, args, { encoding: 'utf8', windowsHide: true });
      } catch {
        return undefined;
      }
    },
    readRegistry: (key) => {
      let out: string;
      try {
        const { execFileSync } = process.getBuiltinModule('node:child_process');
        out = execFileSync('reg', ['query', key, '/reg:32'], {
          encoding: 'utf8',
          windowsHide: true,
        });
      } catch {
        return undefined;
      }
      return parseRegQuery(out);
    },
  };
}

/** `reg query` output: `    15.0    REG_SZ    C:\Program Files (x86)\...` lines. */
export function parseRegQuery(out: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of out.split(/\r?\n/)) {
    const m = /^\s+(\S+)\s+REG_(?:EXPAND_)?SZ\s+(.*)$/.exec(line);
    if (m) values[m[1]!] = m[2]!.trim();
  }
  return values;
}

export type MsvcToolKind = 'cc' | 'cxx' | 'ar' | 'link';

/** One way to run a tool: its words (program and leading args) and the environment it needs. */
export interface MsvcCandidate {
  words: string[];
  env?: Record<string, string> | undefined;
}

/**
 * Default tools for an MSVC target, best first. On Windows: the Visual Studio toolset found by
 * {@link findMsvc}, then the names on PATH (`cl.exe` of a developer prompt), then LLVM's. Off
 * Windows there is no cl.exe: clang-cl (or `clang --driver-mode=cl`), `llvm-lib`, `lld-link`.
 * `link` and `lib` are never looked up off Windows: `link` is coreutils' hard-link tool there.
 */
export function msvcCandidates(
  kind: MsvcToolKind,
  windowsHost: boolean,
  install: MsvcInstall | undefined,
): MsvcCandidate[] {
  const llvm: Record<MsvcToolKind, MsvcCandidate[]> = {
    cc: [{ words: ['clang-cl'] }, { words: ['clang', '--driver-mode=cl'] }],
    cxx: [{ words: ['clang-cl'] }, { words: ['clang', '--driver-mode=cl'] }],
    ar: [{ words: ['llvm-lib'] }],
    link: [{ words: ['lld-link'] }],
  };
  if (!windowsHost) return llvm[kind];
  const fromInstall: Record<MsvcToolKind, string | undefined> = {
    cc: install?.cl,
    cxx: install?.cl,
    ar: install?.lib,
    link: install?.link,
  };
  const onPath: Record<MsvcToolKind, string> = {
    cc: 'cl.exe',
    cxx: 'cl.exe',
    ar: 'lib.exe',
    link: 'link.exe',
  };
  const found = fromInstall[kind];
  return [
    ...(found ? [{ words: [found], env: install!.env }] : []),
    { words: [onPath[kind]] },
    ...llvm[kind],
  ];
}
