/**
 * The plugin's environment rules, as pkg-config-rs has them: target-specific variable forms,
 * per-library switches, static/dynamic precedence and the cross-compilation gate.
 * Every read goes through `ctx.getEnv`, so each one is a tracked input of the build.
 */
import { KilnError } from '../../errors.js';
import { resolverOptionsFromEnv } from '../../pkgconf/environment.js';
import type { ResolverOptions } from '../../pkgconf/resolver.js';
import type { BuildContext } from '../../runner/types.js';

type EnvContext = Pick<BuildContext, 'getEnv' | 'host' | 'target'>;

/** `glib-2.0` → `GLIB_2_0`: uppercased, every non-alphanumeric character made `_`. */
export function envName(library: string): string {
  return library.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The names tried for `base`, first hit wins: `<base>_<target>`, `<base>_<target_u>`, `HOST_`/`TARGET_<base>`, `<base>`. */
export function targetedNames(ctx: Pick<EnvContext, 'host' | 'target'>, base: string): string[] {
  const target = ctx.target.triple;
  const kind = ctx.host.triple === target ? 'HOST' : 'TARGET';
  return [`${base}_${target}`, `${base}_${target.replace(/-/g, '_')}`, `${kind}_${base}`, base];
}

export interface EnvHit {
  name: string;
  value: string;
}

export function targetedEnv(ctx: EnvContext, base: string): EnvHit | undefined {
  for (const name of targetedNames(ctx, base)) {
    const value = ctx.getEnv(name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/**
 * Static or dynamic: the option wins; else `<LIB>_STATIC`, `<LIB>_DYNAMIC`,
 * `PKG_CONFIG_ALL_STATIC`, `PKG_CONFIG_ALL_DYNAMIC` in that order (presence counts, the value
 * is not read); else dynamic.
 */
export function wantStatic(ctx: EnvContext, library: string, option: boolean | undefined): boolean {
  if (option !== undefined) return option;
  const lib = envName(library);
  if (ctx.getEnv(`${lib}_STATIC`) !== undefined) return true;
  if (ctx.getEnv(`${lib}_DYNAMIC`) !== undefined) return false;
  if (ctx.getEnv('PKG_CONFIG_ALL_STATIC') !== undefined) return true;
  if (ctx.getEnv('PKG_CONFIG_ALL_DYNAMIC') !== undefined) return false;
  return false;
}

/**
 * pkg-config-rs refuses to hand host libraries to a cross build unless told otherwise:
 * `PKG_CONFIG_ALLOW_CROSS` (not `0`), or a custom `PKG_CONFIG` or `PKG_CONFIG_SYSROOT_DIR`.
 * `PKG_CONFIG_ALLOW_CROSS=0` refuses even then.
 */
export function checkCross(ctx: EnvContext, library: string): void {
  if (ctx.host.triple === ctx.target.triple) return;
  const allow = targetedEnv(ctx, 'PKG_CONFIG_ALLOW_CROSS');
  if (allow !== undefined && allow.value !== '0') return;
  if (allow === undefined) {
    if (targetedEnv(ctx, 'PKG_CONFIG') !== undefined) return;
    if (targetedEnv(ctx, 'PKG_CONFIG_SYSROOT_DIR') !== undefined) return;
  }
  const t = ctx.target.triple;
  throw new KilnError(
    'TARGET_UNSUPPORTED',
    `pkg-config has not been configured to support cross-compilation to ${t} (looking for ${library})` +
      (allow ? ` (${allow.name}=0)` : ''),
    {
      details:
        `Host ${ctx.host.triple} differs from target ${t}; the host's .pc files describe host libraries.\n` +
        `Variables consulted: ${[...targetedNames(ctx, 'PKG_CONFIG_ALLOW_CROSS'), ...targetedNames(ctx, 'PKG_CONFIG_SYSROOT_DIR'), ...targetedNames(ctx, 'PKG_CONFIG')].join(', ')}`,
      hint:
        `Install a sysroot for ${t} and set PKG_CONFIG_SYSROOT_DIR_${t.replace(/-/g, '_')} (and PKG_CONFIG_PATH/PKG_CONFIG_LIBDIR to its pkgconfig dirs), ` +
        `or set PKG_CONFIG_ALLOW_CROSS=1 if the host's .pc files are right for this target.`,
    },
  );
}

/**
 * Where a build for `ctx.target` looks for `.pc` files, and what it treats as system dirs: the
 * search-location variables in their target-specific forms, the rest plain (as pkgconf reads
 * them), the target's default dirs, and under `PKG_CONFIG_SYSROOT_DIR` for a cross build.
 * The plugin and `kiln doctor` both ask here, so doctor shows the path a build searches.
 */
export function searchOptions(
  ctx: EnvContext,
  defineVariables: Readonly<Record<string, string>> = {},
): ResolverOptions {
  return resolverOptionsFromEnv({
    getEnv: (n) => ctx.getEnv(n),
    getSearchEnv: (n) => targetedEnv(ctx, n)?.value,
    host: { arch: ctx.target.arch, os: ctx.target.os, env: ctx.target.env },
    defineVariables,
    sysrootDefaults: ctx.host.triple !== ctx.target.triple,
  });
}
