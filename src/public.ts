/**
 * The functions of the public API whose work needs most of Kiln (the plugins' build code, the
 * runner), as thin stand-ins that load it when they run. `import('kilnjs')` then costs the
 * option checks and small helpers only: a program or a config importing it pays for a plugin's
 * code when a build runs that plugin, not when the config is read.
 *
 * A plugin factory still checks its options when it is called (the option modules are light),
 * and its plugin has the name the real one has; `run` creates the real plugin and runs it.
 */
import type { AddonOptions, AddonResult } from './plugins/addon/index.js';
import { parseAddonOptions } from './plugins/addon/options.js';
import type { CcLibrary, CcOptions } from './plugins/cc/index.js';
import { parseCcOptions } from './plugins/cc/options.js';
import type { CmakeOptions, CmakeProject } from './plugins/cmake/index.js';
import { resolveOptions as resolveCmakeOptions } from './plugins/cmake/options.js';
import { checkPkgConfigOptions } from './plugins/pkg-config/options.js';
import type { PkgConfigLibrary, PkgConfigOptions } from './plugins/pkg-config/plugin.js';
import type { BuildOptions, BuildResult } from './runner/build.js';
import { type PlannedPlugin, runPlanned } from './runner/graph.js';
import type { BuildContext, Plugin } from './runner/types.js';
import type { WorkspaceBuildOptions, WorkspaceBuildResult } from './workspace/build.js';

/**
 * A plugin whose real implementation is created (by `make`) and loaded when it is first needed.
 * A step of the build graph (`planned`: cc, addon, cmake) lends the real plugin's `plan` and
 * runs through the graph as this object, so a step used by another (`link: [lib]`) is the same
 * step as the one declared; any other plugin runs the real one.
 */
function deferred<R>(
  name: string,
  extra: { linkOnly?: true; planned?: true },
  make: () => Promise<Plugin<R>>,
): Plugin<R> {
  let real: Promise<Plugin<R>> | undefined;
  const load = () => (real ??= make());
  const { planned, ...flags } = extra;
  if (!planned) return { name, ...flags, run: async (ctx) => (await load()).run(ctx) };
  const step: PlannedPlugin<R> = {
    name,
    ...flags,
    plan: async (ctx: BuildContext) => {
      const plugin = await load();
      if (!plugin.plan) throw new Error(`${name} has no plan`);
      return plugin.plan(ctx);
    },
    run: async (ctx: BuildContext) => runPlanned(ctx, step),
  };
  return step;
}

/**
 * Compiles bundled C, C++ and assembly into a static library (default), a shared library or
 * object files, incrementally and in parallel, under `<outDir>/cc/<name>/`.
 *
 * ```ts
 * const core = await ctx.use(cc({ name: 'core', sources: ['csrc/*.c'], includes: ['include'] }));
 * ```
 */
export function cc(options: CcOptions): Plugin<CcLibrary> {
  const opts = parseCcOptions(options);
  return deferred(`cc:${opts.name}`, { linkOnly: true, planned: true }, async () =>
    (await import('./build-engine.js')).cc(options),
  );
}

/** Builds a Node-API addon (`build/Release/<name>.node`) from C and C++ sources. */
export function addon(options: AddonOptions): Plugin<AddonResult> {
  const opts = parseAddonOptions(options);
  return deferred(`addon:${opts.name}`, { planned: true }, async () =>
    (await import('./build-engine.js')).addon(options),
  );
}

/** Configures, builds and installs a CMake project, and reports its libraries as link info. */
export function cmake(options: CmakeOptions): Plugin<CmakeProject> {
  const resolved = resolveCmakeOptions(options);
  return deferred(`cmake:${resolved.name}`, { planned: true }, async () =>
    (await import('./build-engine.js')).cmake(options),
  );
}

/** Finds a host library through its `.pc` file (`pkgConfig('zlib', { version: '>=1.2' })`). */
export function pkgConfig(
  name: string,
  options: PkgConfigOptions & { optional: true },
): Plugin<PkgConfigLibrary | undefined>;
export function pkgConfig(
  name: string,
  options?: PkgConfigOptions & { optional?: false },
): Plugin<PkgConfigLibrary>;
export function pkgConfig(
  name: string,
  options?: PkgConfigOptions,
): Plugin<PkgConfigLibrary | undefined>;
export function pkgConfig(
  name: string,
  options: PkgConfigOptions = {},
): Plugin<PkgConfigLibrary | undefined> {
  checkPkgConfigOptions(name, options);
  return deferred(`pkg-config:${name}`, {}, async () =>
    (await import('./build-engine.js')).pkgConfig(name, options),
  );
}

/** Builds the package at `options.cwd` (default: the current folder), as `kiln build` does. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  return (await import('./build-engine.js')).build(options);
}

/** Builds the packages of a workspace in dependency order, as `kiln build --workspaces` does. */
export async function buildWorkspace(
  options: WorkspaceBuildOptions = {},
): Promise<WorkspaceBuildResult> {
  return (await import('./build-engine.js')).buildWorkspace(options);
}
