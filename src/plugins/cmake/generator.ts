import { KilnError } from '../../errors.js';
import type { BuildContext } from '../../runner/types.js';
import type { CmakeInstall } from './locate.js';
import { findNinja } from './locate.js';

export interface GeneratorChoice {
  name: string;
  /** Multi-config generators choose the configuration at build time (`--config`), not at configure. */
  multiConfig: boolean;
  /** Where the choice came from, for `--verbose` and error messages. */
  source: 'option' | 'env' | 'ninja-on-path' | 'visual-studio' | 'default';
  /** The Visual Studio generator's platform (`-A x64|ARM64|Win32`) for an MSVC target. */
  platform?: string | undefined;
}

/** `-A` of the Visual Studio generators for each Windows architecture. */
const VS_PLATFORMS: Record<string, string> = {
  x86_64: 'x64',
  aarch64: 'ARM64',
  i686: 'Win32',
  i586: 'Win32',
  armv7: 'ARM',
};

/**
 * Option, else `CMAKE_GENERATOR` (the variable CMake itself reads since 3.15), else Ninja when it
 * is on PATH (no-op rebuilds: ~40 ms against ~330 ms for Makefiles), else Unix Makefiles. CMake
 * fails at `project()` when the Ninja binary is missing, so Ninja is only chosen once found.
 */
export function chooseGenerator(
  ctx: Pick<BuildContext, 'getEnv' | 'packageRoot'> &
    Partial<Pick<BuildContext, 'target' | 'host'>>,
  cmake: CmakeInstall,
  requested: string | undefined,
): GeneratorChoice {
  const choice = pick(ctx, cmake, requested);
  // The Visual Studio generators build for the platform given with -A (default: the host's).
  const platform = ctx.target?.env === 'msvc' ? VS_PLATFORMS[ctx.target.arch] : undefined;
  return choice.name.startsWith('Visual Studio') && platform ? { ...choice, platform } : choice;
}

function pick(
  ctx: Pick<BuildContext, 'getEnv' | 'packageRoot'> &
    Partial<Pick<BuildContext, 'target' | 'host'>>,
  cmake: CmakeInstall,
  requested: string | undefined,
): GeneratorChoice {
  if (requested) return checked(cmake, requested, 'option');
  const fromEnv = ctx.getEnv('CMAKE_GENERATOR')?.trim();
  if (fromEnv) return checked(cmake, fromEnv, 'env');
  if (findNinja(ctx.packageRoot)) return make('Ninja', 'ninja-on-path');
  // On Windows without Ninja, an MSVC target builds with the newest Visual Studio generator
  // (cmake-js and cmake-ts do the same); Makefiles would need a developer prompt and make.
  if (ctx.host?.os === 'windows' && ctx.target?.env === 'msvc') {
    const vs = newestVisualStudio(cmake.generators);
    if (vs) return make(vs, 'visual-studio');
  }
  return make('Unix Makefiles', 'default');
}

/** `Visual Studio 17 2022` before `Visual Studio 16 2019`, from cmake's generator list. */
function newestVisualStudio(generators: readonly string[]): string | undefined {
  const version = (g: string) => Number(/^Visual Studio (\d+)/.exec(g)?.[1] ?? 0);
  return generators
    .filter((g) => /^Visual Studio \d+ \d{4}$/.test(g))
    .sort((a, b) => version(b) - version(a))[0];
}

function checked(
  cmake: CmakeInstall,
  name: string,
  source: GeneratorChoice['source'],
): GeneratorChoice {
  // Generator lists may carry extra generators ("CodeBlocks - Ninja") only as prefixes; compare the base name.
  const base = name.includes(' - ') ? name.slice(name.lastIndexOf(' - ') + 3) : name;
  const known =
    cmake.generators.length === 0 ||
    cmake.generators.some((g) => g === name || g === base || isVsFamily(g, name));
  if (!known) {
    throw new KilnError(
      'CONFIG_INVALID',
      `cmake(options): generator "${name}"${source === 'env' ? ' (from CMAKE_GENERATOR)' : ''} is not one cmake ${cmake.version.string} knows`,
      { hint: `Use one of: ${cmake.generators.join(', ')}.` },
    );
  }
  return make(name, source);
}

/** "Visual Studio 17 2022" is listed as such, but users may add a platform suffix (" Win64"). */
function isVsFamily(listed: string, name: string): boolean {
  return listed.startsWith('Visual Studio') && name.startsWith(listed);
}

function make(name: string, source: GeneratorChoice['source']): GeneratorChoice {
  const multiConfig =
    name.includes('Multi-Config') || name.startsWith('Visual Studio') || name === 'Xcode';
  return { name, multiConfig, source };
}
