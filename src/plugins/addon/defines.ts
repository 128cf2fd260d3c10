import { defineFlags } from '../../compile/defines.js';
import { KilnError } from '../../errors.js';
import type { AddonOptions } from './options.js';

/** The Node-API version addons get unless they ask: 8 runs on every Node this package supports. */
export const DEFAULT_NAPI_VERSION = 8;

/** node-addon-api's switches, the old names first: napi.h (8.x) derives each new one from the old. */
const EXCEPTIONS_ON = ['NAPI_CPP_EXCEPTIONS', 'NODE_ADDON_API_CPP_EXCEPTIONS'];
const EXCEPTIONS_OFF = ['NAPI_DISABLE_CPP_EXCEPTIONS', 'NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS'];

export interface AddonDefines {
  napiVersion: number;
  cxxExceptions: boolean;
  /** Kiln's own `-D` flags: none for a macro the user's `defines` set. */
  own: string[];
  /** The user's `defines` as `-D` flags. */
  user: string[];
}

/**
 * The addon's preprocessor defines, each macro from one place only: a macro defined twice with
 * different text is a "redefined" warning in every source (an error with `warnings: 'error'`).
 *
 * - C++ exceptions: only `NAPI_CPP_EXCEPTIONS` / `NAPI_DISABLE_CPP_EXCEPTIONS`, which every
 *   node-addon-api version reads; 8.x's napi.h defines the `NODE_ADDON_API_*` name from it
 *   unconditionally, so passing both is what redefined it. Nothing when the user's `defines`
 *   already choose (with either name), as long as they agree with `cxxExceptions`.
 * - `NAPI_VERSION`: from `napiVersion`, unless `defines` set it (then that value is the version).
 * - `BUILDING_NODE_EXTENSION`, `NODE_GYP_MODULE_NAME` (node-gyp's addon.gypi): unless `defines` set them.
 *
 * @throws CONFIG_INVALID when options contradict each other, naming both.
 */
export function addonDefines(opts: AddonOptions): AddonDefines {
  const user = userDefines(opts.defines);
  const on = EXCEPTIONS_ON.filter((n) => user.has(n));
  const off = EXCEPTIONS_OFF.filter((n) => user.has(n));
  if (on.length > 0 && off.length > 0) {
    throw contradiction(
      `defines.${on[0]} contradicts defines.${off[0]}`,
      'Keep one: set cxxExceptions instead of defining either (it also passes -fexceptions or -fno-exceptions).',
    );
  }
  const cxxExceptions = opts.cxxExceptions ?? false;
  const stated = `cxxExceptions: ${cxxExceptions}${opts.cxxExceptions === undefined ? ' (the default)' : ''}`;
  if (cxxExceptions && off.length > 0) {
    throw contradiction(
      `${stated} contradicts defines.${off[0]}`,
      `Remove ${off[0]} from defines, or drop cxxExceptions: true to build without exceptions.`,
    );
  }
  if (!cxxExceptions && on.length > 0) {
    throw contradiction(
      `${stated} contradicts defines.${on[0]}`,
      `Set cxxExceptions: true instead of defining ${on[0]} (it also passes -fexceptions).`,
    );
  }
  const flag = (opts.flags ?? []).find(
    (f) => f === (cxxExceptions ? '-fno-exceptions' : '-fexceptions'),
  );
  if (flag) {
    throw contradiction(
      `${stated} contradicts flags: ${flag}`,
      cxxExceptions
        ? 'Remove -fno-exceptions from flags, or drop cxxExceptions: true.'
        : 'Set cxxExceptions: true instead of passing -fexceptions (node-addon-api must be told too).',
    );
  }

  let napiVersion = opts.napiVersion ?? DEFAULT_NAPI_VERSION;
  if (user.has('NAPI_VERSION')) {
    const text = user.get('NAPI_VERSION') ?? '1';
    const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw contradiction(
        `defines.NAPI_VERSION: expected a whole number, got "${text}"`,
        'Set napiVersion instead (Kiln passes -DNAPI_VERSION=<n>).',
      );
    }
    if (opts.napiVersion !== undefined && opts.napiVersion !== value) {
      throw contradiction(
        `napiVersion: ${opts.napiVersion} contradicts defines.NAPI_VERSION=${text}`,
        'Set the version in one place: napiVersion (preferred) or defines.NAPI_VERSION.',
      );
    }
    napiVersion = value;
  }

  const own: string[] = [];
  if (!user.has('NAPI_VERSION')) own.push(`-DNAPI_VERSION=${napiVersion}`);
  if (!user.has('BUILDING_NODE_EXTENSION')) own.push('-DBUILDING_NODE_EXTENSION');
  // Lets sources written for node-gyp (NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)) build unchanged.
  if (!user.has('NODE_GYP_MODULE_NAME')) own.push(`-DNODE_GYP_MODULE_NAME=${opts.name}`);
  // node-addon-api refuses to compile unless exceptions are chosen one way or the other.
  if (on.length === 0 && off.length === 0) {
    own.push(cxxExceptions ? '-DNAPI_CPP_EXCEPTIONS' : '-DNAPI_DISABLE_CPP_EXCEPTIONS');
  }
  return { napiVersion, cxxExceptions, own, user: defineFlags(opts.defines) };
}

/** The user's defines as name → value (undefined for a bare name); `false` ones are not defined. */
function userDefines(defines: AddonOptions['defines']): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (!defines) return out;
  if (Array.isArray(defines)) {
    for (const d of defines) {
      const eq = d.indexOf('=');
      if (eq < 0) out.set(d, undefined);
      else out.set(d.slice(0, eq), d.slice(eq + 1));
    }
    return out;
  }
  for (const [name, value] of Object.entries(defines)) {
    if (value === false) continue;
    out.set(name, value === true || value === null ? undefined : String(value));
  }
  return out;
}

function contradiction(what: string, hint: string): KilnError {
  return new KilnError('CONFIG_INVALID', `addon(options): ${what}`, { hint });
}
