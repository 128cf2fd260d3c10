/**
 * `pkgConfig(name, options)`: finds a host library through its `.pc` file, in process by default
 * (or through the system pkg-config in `binary` mode), and adds its link info to the manifest.
 */
import { KilnError } from '../../errors.js';
import { collapseSlashes } from '../../pkgconf/expand.js';
import { fragmentArgs } from '../../pkgconf/fragments.js';
import { Resolver } from '../../pkgconf/resolver.js';
import { type Dependency, parseOp } from '../../pkgconf/version.js';
import type { BuildContext, Plugin } from '../../runner/types.js';
import { queryBinary } from './binary.js';
import { missError } from './errors.js';
import {
  assembleLibrary,
  classifyLibs,
  makeStatic,
  type PkgConfigLibrary,
  toLinkInfo,
} from './link-info.js';
import { checkPkgConfigOptions } from './options.js';
import {
  checkCross,
  envName,
  searchOptions,
  targetedEnv,
  targetedNames,
  wantStatic,
} from './plugin-env.js';

export type { PkgConfigLibrary } from './link-info.js';

export interface PkgConfigOptions {
  /** Version constraint(s): `'>=1.2.11'`, `'>= 1.2, < 2'`; a bare `'1.2'` means `>= 1.2`. Default: any. */
  version?: string;
  /** Link statically (Libs.private, Requires.private; `.a` files required). Default: from env, else dynamic. */
  static?: boolean;
  /** Return `undefined` instead of failing when the library is missing or unsuitable. Default: false. */
  optional?: boolean;
  /** `builtin`: Kiln's own resolver; `binary`: the system pkg-config. Default: `binary` when `PKG_CONFIG` is set, else `builtin`. */
  mode?: 'builtin' | 'binary';
  /** Variables overriding the `.pc` files' own (`--define-variable`). Default: none. */
  defineVariables?: Record<string, string>;
}

/** Parses the `version` option into constraints (no 1.8.1 parsing quirks here). */
export function parseVersionOption(library: string, version: string | undefined): Dependency[] {
  if (version === undefined || version.trim() === '')
    return [{ name: library, op: undefined, version: undefined }];
  return version.split(',').map((part) => {
    const m = /^\s*(>=|<=|!=|==|=|<|>)?\s*([^\s<>=!,]+)\s*$/.exec(part);
    if (!m) {
      throw new KilnError(
        'CONFIG_INVALID',
        `pkgConfig('${library}'): cannot read version constraint "${part.trim()}"`,
        {
          hint: "Write constraints like '>=1.2.11', '= 2.0' or '>= 1.2, < 2'.",
        },
      );
    }
    const op = m[1] === undefined ? '>=' : m[1] === '==' ? '=' : parseOp(m[1]);
    return { name: library, op, version: m[2]! };
  });
}

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
  return {
    name: `pkg-config:${name}`,
    async run(ctx: BuildContext): Promise<PkgConfigLibrary | undefined> {
      try {
        const lib = await probe(ctx, name, options);
        ctx.emitLink(toLinkInfo(lib));
        return lib;
      } catch (e) {
        if (options.optional && e instanceof KilnError && OPTIONAL_CODES.has(e.code)) {
          ctx.log.info(`${name}: not used (${e.message})`);
          return undefined;
        }
        throw e;
      }
    },
  };
}

/** The failures `optional: true` turns into `undefined`; a malformed `.pc` still fails. */
const OPTIONAL_CODES: ReadonlySet<string> = new Set([
  'PKG_NOT_FOUND',
  'PKG_VERSION_MISMATCH',
  'PKG_CONFLICT',
  'PKG_STATIC_UNAVAILABLE',
  'TARGET_UNSUPPORTED',
]);

async function probe(
  ctx: BuildContext,
  name: string,
  options: PkgConfigOptions,
): Promise<PkgConfigLibrary> {
  const lib = envName(name);
  const no = `${lib}_NO_PKG_CONFIG`;
  if (ctx.getEnv(no) !== undefined) {
    throw new KilnError(
      'PKG_NOT_FOUND',
      `pkg-config lookup of ${name} aborted because ${no} is set`,
      {
        hint: `Unset ${no} to let Kiln find ${name}, or give the build another way to get it (optional: true and a bundled build).`,
      },
    );
  }
  checkCross(ctx, name);
  const isStatic = wantStatic(ctx, name, options.static);
  const world = parseVersionOption(name, options.version);
  const binaryEnv = targetedEnv(ctx, 'PKG_CONFIG');
  const mode = options.mode ?? (binaryEnv !== undefined ? 'binary' : 'builtin');
  // Search-location variables take their target-specific forms; the rest are plain, as pkgconf reads them.
  const getSearchEnv = (n: string): string | undefined => targetedEnv(ctx, n)?.value;
  const resolverOptions = searchOptions(ctx, options.defineVariables);
  if (mode === 'binary') {
    return queryBinary(ctx, {
      file: binaryEnv?.value ?? 'pkg-config',
      library: name,
      world,
      isStatic,
      defineVariables: options.defineVariables ?? {},
      searchEnv: {
        PKG_CONFIG_PATH: getSearchEnv('PKG_CONFIG_PATH'),
        PKG_CONFIG_LIBDIR: getSearchEnv('PKG_CONFIG_LIBDIR'),
        PKG_CONFIG_SYSROOT_DIR: getSearchEnv('PKG_CONFIG_SYSROOT_DIR'),
      },
      system: {
        systemIncludeDirs: resolverOptions.systemIncludeDirs,
        systemLibDirs: resolverOptions.systemLibDirs,
        keepSystemCflags: resolverOptions.keepSystemCflags ?? false,
        keepSystemLibs: resolverOptions.keepSystemLibs ?? false,
      },
    });
  }

  const files: string[] = [];
  const resolver = new Resolver({
    ...resolverOptions,
    onFile: (f) => files.push(f),
    // An unrelated broken file met while looking for Provides must not fail this lookup.
    onSkippedFile: (_f, e) => ctx.log.debug(`${name}: skipping unusable file: ${e.message}`),
  });
  // Every folder on the search path is an input, by the names it holds: a `.pc` added to an
  // earlier folder (shadowing the one found) or a package installed after a miss reruns the build.
  ctx.trackFiles(resolver.searchDirs);
  const cflags = resolver.collectCflags(world, isStatic);
  const libs = resolver.collectLibs(world, isStatic);
  ctx.trackFiles(files);
  const problems = [...cflags.problems, ...libs.problems];
  if (problems.length > 0) {
    throw missError(problems, {
      library: name,
      wanted: world,
      searchDirs: resolver.searchDirs,
      env: [
        ...['PKG_CONFIG_PATH', 'PKG_CONFIG_LIBDIR', 'PKG_CONFIG_SYSROOT_DIR'].map(
          (b) =>
            [
              targetedEnv(ctx, b)?.name ?? targetedNames(ctx, b).join(' | '),
              getSearchEnv(b),
            ] as const,
        ),
        [no, undefined] as const,
        ['PKG_CONFIG (set: use that binary)', binaryEnv?.value] as const,
      ],
      invalidFiles: resolver.invalidFiles.map((f) => f.file),
      brokenFiles: [...resolver.brokenFiles.values()].map((e) => e.message),
    });
  }
  const found = resolver.resolve(world[0]!, 'virtual:world');
  if (!('pkg' in found))
    throw missError([found.problem], {
      library: name,
      wanted: world,
      searchDirs: resolver.searchDirs,
      env: [],
      invalidFiles: [],
    });
  const top = found.pkg;
  const classified = classifyLibs(fragmentArgs(libs.fragments));
  if (isStatic) {
    // Under a sysroot the system libraries live inside it, not on the host.
    const sysroot = getSearchEnv('PKG_CONFIG_SYSROOT_DIR');
    const libDirs = sysroot
      ? resolverOptions.systemLibDirs.map((d) => collapseSlashes(sysroot + d))
      : resolverOptions.systemLibDirs;
    const warnings = makeStatic(classified, libDirs, name);
    for (const w of warnings) ctx.log.warn(`${name}: ${w}`);
  }
  return assembleLibrary(
    name,
    top.version,
    fragmentArgs(cflags.fragments),
    classified,
    Object.fromEntries(top.variables),
  );
}
