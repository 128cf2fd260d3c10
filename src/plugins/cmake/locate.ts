import { realpathSync, statSync } from 'node:fs';
import { KilnError } from '../../errors.js';
import type { BuildContext } from '../../runner/types.js';
import { findExecutable } from '../../toolchain/which.js';

/**
 * Oldest CMake the plugin drives: install-rule data in the File API ("directory" objects with
 * `installers`) arrived with codemodel 2.3 in CMake 3.21, and link discovery depends on it.
 */
export const MIN_CMAKE = { major: 3, minor: 21 } as const;

export interface CmakeVersion {
  major: number;
  minor: number;
  patch: number;
  string: string;
}

/** What `cmake -E capabilities` says, plus where the binary is. */
export interface CmakeInstall {
  /** Absolute path of the cmake executable. */
  path: string;
  version: CmakeVersion;
  generators: string[];
  /** Identity of the binary (real path, size, mtime): a changed binary is a changed cmake. */
  stamp: string;
}

const INSTALL_HINT =
  'Install CMake (Debian/Ubuntu: `sudo apt-get install cmake`; Fedora: `sudo dnf install cmake`; ' +
  'macOS: `brew install cmake`), or set CMAKE to the path of a cmake executable.';

/** Finds cmake: the `CMAKE` variable (as cmake-rs reads it), else `cmake` on PATH. */
export function findCmake(ctx: Pick<BuildContext, 'getEnv' | 'packageRoot'>): string {
  const fromEnv = ctx.getEnv('CMAKE')?.trim();
  if (fromEnv) {
    const found = findExecutable(fromEnv, ctx.packageRoot);
    if (!found) {
      throw new KilnError(
        'CMAKE_NOT_FOUND',
        `CMAKE is set to "${fromEnv}", which is not an executable`,
        {
          hint: `Point CMAKE at a cmake executable or unset it to use cmake from PATH. ${INSTALL_HINT}`,
        },
      );
    }
    return found;
  }
  const found = findExecutable('cmake', ctx.packageRoot);
  if (!found) {
    throw new KilnError('CMAKE_NOT_FOUND', 'cmake was not found on PATH', {
      hint: INSTALL_HINT,
      details: `PATH searched: ${process.env.PATH ?? '(unset)'}`,
    });
  }
  return found;
}

/** A cheap identity for the binary, so capabilities are asked once per cmake install, not per build. */
export function binaryStamp(file: string): string {
  const real = realpathSync(file);
  const st = statSync(real);
  return `${real}:${st.size}:${Math.round(st.mtimeMs)}`;
}

/**
 * Asks `cmake -E capabilities` (CMake >= 3.7; one call answers version and generators), reusing
 * a previous answer when the binary is unchanged, so a no-change build spawns no cmake at all.
 */
export async function locateCmake(
  ctx: BuildContext,
  file: string,
  previous: CmakeInstall | undefined,
): Promise<CmakeInstall> {
  const stamp = binaryStamp(file);
  if (previous && previous.path === file && previous.stamp === stamp) return previous;
  const res = await ctx.exec(file, ['-E', 'capabilities'], {
    jobs: 0,
    directives: false,
    allowFailure: true,
  });
  if (res.exitCode !== 0) {
    throw new KilnError(
      'CMAKE_NOT_FOUND',
      `${file} -E capabilities failed (exit ${res.exitCode})`,
      {
        details: (res.stderr || res.stdout).trim(),
        command: res.command,
        hint: `This cmake is broken or older than 3.7. ${INSTALL_HINT}`,
      },
    );
  }
  const install = parseCapabilities(res.stdout, file, stamp);
  checkVersion(install);
  return install;
}

export function parseCapabilities(json: string, file: string, stamp: string): CmakeInstall {
  let data: {
    version?: Partial<CmakeVersion>;
    generators?: { name?: string }[];
  };
  try {
    data = JSON.parse(json);
  } catch (cause) {
    throw new KilnError('CMAKE_NOT_FOUND', `${file} -E capabilities printed no JSON`, {
      details: json.slice(0, 500),
      hint: INSTALL_HINT,
      cause,
    });
  }
  const v = data.version ?? {};
  const version: CmakeVersion = {
    major: v.major ?? 0,
    minor: v.minor ?? 0,
    patch: v.patch ?? 0,
    string: v.string ?? `${v.major ?? 0}.${v.minor ?? 0}.${v.patch ?? 0}`,
  };
  const generators = (data.generators ?? []).map((g) => g.name).filter((n): n is string => !!n);
  return { path: file, version, generators, stamp };
}

export function checkVersion(install: CmakeInstall): void {
  const { major, minor } = install.version;
  if (major < MIN_CMAKE.major || (major === MIN_CMAKE.major && minor < MIN_CMAKE.minor)) {
    throw new KilnError(
      'CMAKE_NOT_FOUND',
      `cmake ${install.version.string} at ${install.path} is too old: Kiln needs CMake ${MIN_CMAKE.major}.${MIN_CMAKE.minor} or newer`,
      {
        hint: `CMake ${MIN_CMAKE.major}.${MIN_CMAKE.minor} added the install-rule data Kiln reads to find the libraries. Install a newer CMake (pip install cmake, or the kitware apt repository) or set CMAKE to it.`,
      },
    );
  }
}

/** `ninja` (or Fedora's `ninja-build`) on PATH, if any. */
export function findNinja(cwd: string): string | undefined {
  return findExecutable('ninja', cwd) ?? findExecutable('ninja-build', cwd);
}
