import { defineOptions, linkableSchema } from '../../config/options.js';
import type { Linkable } from '../../runner/types.js';
import { lazy } from '../../util/zod.js';
import { addonDefines } from './defines.js';

export interface AddonOptions {
  /** Addon name: the file is `<name>.node` and `NODE_GYP_MODULE_NAME` is set to it. */
  name: string;
  /** C and C++ source globs relative to the package root. */
  sources: string | string[];
  /** Libraries of earlier steps (cc, pkgConfig, cmake results or the plugins themselves), linked in order. */
  link?: Linkable[];
  /** `NAPI_VERSION` to compile for. Default: 8 (Node 12.22+ / 14.17+ / 16+), or `defines.NAPI_VERSION` when set there (they must agree). */
  napiVersion?: number;
  /** Header source: `auto` (default: node-api-headers when the package's own package.json declares it, else the running Node's), `node-api-headers` or `node` (also has node.h, uv.h and V8). */
  headers?: 'auto' | 'node-api-headers' | 'node';
  /** Extra include directories, relative to the package root. */
  includes?: string[];
  /** Extra preprocessor defines: `{ NAME: value }` or `['NAME=value']`. Kiln does not define a macro set here itself. */
  defines?: Record<string, string | number | boolean | null> | string[];
  /** C++ exceptions (node-addon-api's `NAPI_CPP_EXCEPTIONS` + `-fexceptions`). Default: false (`NAPI_DISABLE_CPP_EXCEPTIONS` + `-fno-exceptions`), as node-gyp's node-addon-api setup. An exceptions define or flag that disagrees is CONFIG_INVALID. */
  cxxExceptions?: boolean;
  /** Also write `prebuilds/<platform>-<arch>/node.napi[.<libc>].node` for node-gyp-build. Default: false. */
  prebuild?: boolean;
  /** Language standard for the C++ sources (`c++20`). Default: `gnu++17`, as Node's common.gypi (node-gyp). */
  std?: string;
  /** Extra compiler flags for every source. */
  flags?: string[];
  /** Extra compiler flags for C++ sources only, after `flags`. */
  cxxFlags?: string[];
  /** Extra linker flags, before LDFLAGS from the environment. */
  ldFlags?: string[];
  /** `on` (default), `off` or `error`, as for cc. */
  warnings?: 'on' | 'off' | 'error';
  /** Write `build/compile_commands.json`. Default: true. */
  compileCommands?: boolean;
}

const schema = lazy((z) => {
  return z.strictObject({
    name: z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_]*$/,
        'a C identifier (letters, digits, _): it names the module',
      ),
    sources: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    link: z.array(linkableSchema).optional(),
    napiVersion: z.number().int().min(1).max(2147483647).optional(),
    headers: z.enum(['auto', 'node-api-headers', 'node']).optional(),
    includes: z.array(z.string()).optional(),
    defines: z
      .union([
        z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
        z.array(z.string().min(1)),
      ])
      .optional(),
    cxxExceptions: z.boolean().optional(),
    prebuild: z.boolean().optional(),
    std: z
      .string()
      .regex(/^(c|gnu|c\+\+|gnu\+\+)\w+$/, 'a standard such as c11 or c++17')
      .optional(),
    flags: z.array(z.string()).optional(),
    cxxFlags: z.array(z.string()).optional(),
    ldFlags: z.array(z.string()).optional(),
    warnings: z.enum(['on', 'off', 'error']).optional(),
    compileCommands: z.boolean().optional(),
  });
});

const addonOptions = defineOptions('addon', schema, { checkOnly: true });

/**
 * Validates `addon(options)`; a wrong key is a CONFIG_INVALID naming it, and so are options that
 * contradict each other (`cxxExceptions` and an exceptions define, `napiVersion` and
 * `defines.NAPI_VERSION`), checked when the config loads rather than after other steps ran.
 */
export function parseAddonOptions(options: unknown): AddonOptions {
  const opts = addonOptions.parse(options) as AddonOptions;
  addonDefines(opts);
  return opts;
}
