/**
 * The part every recipe shares: choosing system or bundled (options, then env overrides in the
 * `*-sys` crate style), probing pkg-config, checking the bundled folder, and emitting the cfg and
 * metadata dependents read. Each library's module only says how to build its folder.
 */
import { defineOptions, type OptionsSchema, type SchemaSource } from '../config/options.js';
import { KilnError } from '../errors.js';
import { type LinkInfo, pickLinkInfo } from '../manifest/schema.js';
import {
  type PkgConfigLibrary,
  type PkgConfigOptions,
  pkgConfig,
} from '../plugins/pkg-config/index.js';
import type { BuildContext, Plugin } from '../runner/types.js';
import { byCodeUnit } from '../util/order.js';
import type { Zod } from '../util/zod.js';
import { checkBundledVersion, openSourceDir, type SourceDir } from './layout.js';
import type { RecipeLibrary, RecipeOptions, RecipePreference, RecipeSource } from './types.js';

/** What a recipe's bundled build hands back. */
export interface BundledBuild {
  link: LinkInfo;
  includeDir: string;
}

export interface RecipeSpec<O extends RecipeOptions> {
  /** Recipe name; also the cfg/metadata prefix and, upper-cased, the env override prefix. */
  name: string;
  /** The `.pc` module of the system library. */
  pkgConfig: string;
  minVersion: string;
  /** The file that makes a folder this library's sources. */
  marker: string;
  /** How to get the sources, for error hints. */
  fetchHint: string;
  /** Reads the bundled version; `where` names the header it came from. */
  readVersion(dir: SourceDir): { version: string; where: string };
  build(ctx: BuildContext, dir: SourceDir, version: string, options: O): Promise<BundledBuild>;
}

const FALSE_VALUES = new Set(['', '0', 'false', 'no', 'off']);

/** The env overrides of a recipe: `KILN_ZLIB_SYSTEM`, `KILN_ZLIB_BUNDLED`. */
export function envNames(name: string): { system: string; bundled: string } {
  const up = name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return { system: `KILN_${up}_SYSTEM`, bundled: `KILN_${up}_BUNDLED` };
}

/** `base` options schema; recipes extend it with their own keys. */
export const recipeOptionsShape = (z: Zod) => ({
  bundled: z.string().min(1, 'name the folder holding the sources').optional(),
  prefer: z.enum(['system', 'bundled', 'auto']).optional(),
  minVersion: z
    .string()
    .regex(/^[0-9][0-9A-Za-z.]*$/, 'expected a version such as 1.2.11')
    .optional(),
  static: z.boolean().optional(),
});

export const ccRecipeOptionsShape = (z: Zod) => ({
  ...recipeOptionsShape(z),
  defines: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a macro name'),
      z.union([z.string(), z.number(), z.boolean(), z.null()]),
    )
    .optional(),
  flags: z.array(z.string()).optional(),
});

/** Validates options against a recipe's schema; errors name `<recipe>(options).<key>`. */
export function parseRecipeOptions<O>(
  name: string,
  schema: SchemaSource<OptionsSchema>,
  options: unknown,
): O {
  return defineOptions(name, schema, { checkOnly: true }).parse(options) as O;
}

/**
 * Makes the recipe's plugin. Its work runs once per build for equal options (through
 * `ctx.cache`), so a `zlib()` used by both `libpng()` and the addon is built and emitted once.
 */
export function recipePlugin<O extends RecipeOptions>(
  spec: RecipeSpec<O>,
  options: O,
): Plugin<RecipeLibrary> {
  return {
    name: `recipe:${spec.name}`,
    run: (ctx) =>
      ctx.cache(`recipe:${spec.name}:${stableKey(options)}`, () => runRecipe(ctx, spec, options)),
  };
}

async function runRecipe<O extends RecipeOptions>(
  ctx: BuildContext,
  spec: RecipeSpec<O>,
  options: O,
): Promise<RecipeLibrary> {
  const minVersion = options.minVersion ?? spec.minVersion;
  const mode = choose(ctx, spec, options);
  let library: RecipeLibrary;
  if (mode === 'bundled') {
    library = await bundled(ctx, spec, options, minVersion);
  } else if (mode === 'auto' && options.bundled !== undefined) {
    // A miss (absent, too old, no static archive) is the normal way to the bundled build.
    const found = await ctx.use(
      pkgConfig(spec.pkgConfig, { ...pkgConfigOptions(options, minVersion), optional: true }),
    );
    library = found
      ? fromSystem(spec, found)
      : await bundled(
          ctx,
          spec,
          options,
          minVersion,
          `no ${spec.pkgConfig} >= ${minVersion} found by pkg-config`,
        );
  } else {
    // Forced system, or auto with nothing to fall back to: the pkg-config error is the answer.
    library = fromSystem(spec, await probeRequired(ctx, spec, options, minVersion, mode));
  }
  ctx.emit({ type: 'cfg', name: `${spec.name}_${library.source}` });
  ctx.emit({ type: 'metadata', key: `${spec.name}_version`, value: library.version });
  ctx.emit({ type: 'metadata', key: `${spec.name}_source`, value: library.source });
  if (library.includeDir)
    ctx.emit({ type: 'metadata', key: `${spec.name}_include`, value: library.includeDir });
  return library;
}

function pkgConfigOptions(options: RecipeOptions, minVersion: string): PkgConfigOptions {
  return {
    version: `>= ${minVersion}`,
    ...(options.static === undefined ? {} : { static: options.static }),
  };
}

/** Env beats options: a packager forcing the system copy must not have to patch the config. */
function choose<O extends RecipeOptions>(
  ctx: BuildContext,
  spec: RecipeSpec<O>,
  options: O,
): RecipePreference {
  const names = envNames(spec.name);
  const system = envFlag(ctx.getEnv(names.system));
  const bundledEnv = envFlag(ctx.getEnv(names.bundled));
  if (system && bundledEnv) {
    throw new KilnError(
      'CONFIG_INVALID',
      `${names.system} and ${names.bundled} are both set: ${spec.name} cannot be both`,
      { hint: `Unset one of them (or set it to 0).` },
    );
  }
  const mode: RecipePreference = system
    ? 'system'
    : bundledEnv
      ? 'bundled'
      : (options.prefer ?? 'auto');
  if (mode === 'bundled' && options.bundled === undefined) {
    const why = bundledEnv ? `${names.bundled} is set` : `prefer is 'bundled'`;
    throw new KilnError(
      'CONFIG_INVALID',
      `${spec.name}(options): ${why} but no bundled folder is given`,
      {
        hint: `Give the sources' folder: ${spec.name}({ bundled: 'deps/${spec.name}' }) (${spec.fetchHint}).`,
      },
    );
  }
  return mode;
}

function envFlag(value: string | undefined): boolean {
  return value !== undefined && !FALSE_VALUES.has(value.trim().toLowerCase());
}

/** The system library or the pkg-config error, with a hint about the bundled way out added. */
async function probeRequired<O extends RecipeOptions>(
  ctx: BuildContext,
  spec: RecipeSpec<O>,
  options: O,
  minVersion: string,
  mode: RecipePreference,
): Promise<PkgConfigLibrary> {
  try {
    return await ctx.use(
      pkgConfig(spec.pkgConfig, { ...pkgConfigOptions(options, minVersion), optional: false }),
    );
  } catch (e) {
    if (!(e instanceof KilnError) || !e.code.startsWith('PKG_')) throw e;
    const names = envNames(spec.name);
    const way =
      options.bundled === undefined
        ? `or build it from source: ${spec.name}({ bundled: 'deps/${spec.name}' }) (${spec.fetchHint})`
        : `or unset ${names.system} / drop prefer: 'system' to build ${options.bundled}`;
    throw new KilnError(e.code, `${spec.name} recipe (${mode}): ${e.message}`, {
      hint: `${e.hint ?? `Install ${spec.pkgConfig}'s development package`}; ${way}.`,
      details: e.details,
      command: e.command,
      cause: e,
    });
  }
}

async function bundled<O extends RecipeOptions>(
  ctx: BuildContext,
  spec: RecipeSpec<O>,
  options: O,
  minVersion: string,
  why?: string,
): Promise<RecipeLibrary> {
  const dir = openSourceDir(ctx, spec.name, options.bundled!, spec.marker, spec.fetchHint);
  const { version, where } = spec.readVersion(dir);
  checkBundledVersion(spec.name, dir, version, minVersion, where);
  ctx.log.info(`${spec.name}: building ${version} from ${dir.given}${why ? ` (${why})` : ''}`);
  const built = await spec.build(ctx, dir, version, options);
  return {
    ...built.link,
    name: spec.name,
    version,
    source: 'bundled',
    includeDir: built.includeDir,
  };
}

function fromSystem<O extends RecipeOptions>(
  spec: RecipeSpec<O>,
  lib: PkgConfigLibrary,
): RecipeLibrary {
  return {
    ...pickLinkInfo(lib),
    name: spec.name,
    version: lib.version,
    source: 'system' satisfies RecipeSource,
    includeDir: lib.includes[0] ?? lib.variables.includedir,
  };
}

const pluginIds = new WeakMap<object, number>();
let nextPluginId = 1;

/** A key for equal options; plugins in options (libpng's `zlib`) count by identity. */
function stableKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    if (typeof (v as { run?: unknown }).run === 'function') {
      if (!pluginIds.has(v)) pluginIds.set(v, nextPluginId++);
      return `plugin#${pluginIds.get(v)}`;
    }
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => byCodeUnit(a, b)));
  });
}
