import path from 'node:path';
import { defineOptions, linkableSchema } from '../../config/options.js';
import type { Linkable } from '../../runner/types.js';
import { lazy } from '../../util/zod.js';

/** A `-D` value: strings as given, booleans as CMake's ON/OFF, numbers in decimal. */
export type DefineValue = string | number | boolean;

export interface CmakeOptions {
  /** The CMake project: the folder holding its top-level CMakeLists.txt, relative to the package root. */
  source: string;
  /** Name of the build folder (`<outDir>/cmake/<name>`) and of the step. Default: the source folder's name. */
  name?: string;
  /** Cache entries passed as `-D<KEY>=<VALUE>` on every configure (booleans become ON/OFF). */
  defines?: Record<string, DefineValue>;
  /** Library targets to report in the link metadata, by CMake target name. Default: every library the project installs (or builds, without install rules). */
  targets?: string[];
  /** CMake generator (`-G`). Default: `CMAKE_GENERATOR` env, else Ninja when on PATH, else Unix Makefiles. */
  generator?: string;
  /** The user's toolchain file; Kiln's generated one `include()`s it, and then Kiln leaves compilers to it. */
  toolchainFile?: string;
  /** Extra arguments appended to `cmake --build` (use `--` to reach ninja/make). */
  buildArgs?: string[];
  /** Extra arguments appended to the configure command. */
  configureArgs?: string[];
  /** Extra environment for every cmake run (part of the configure fingerprint). */
  env?: Record<string, string>;
  /** `CMAKE_BUILD_TYPE`. Default: from the profile (Debug, Release, RelWithDebInfo or MinSizeRel). */
  buildType?: string;
  /**
   * Libraries handed to the project, keyed by the CMake prefix their Find module reads
   * (`{ ZLIB: zlib }` sets `ZLIB_INCLUDE_DIR`, `ZLIB_LIBRARY`, ...); their folders also go to
   * `CMAKE_PREFIX_PATH`/`CMAKE_INCLUDE_PATH`/`CMAKE_LIBRARY_PATH`.
   */
  deps?: Record<string, Linkable>;
  /**
   * Provide what cmake-js passes a project (`CMAKE_JS_INC`, `CMAKE_JS_SRC`, `CMAKE_JS_LIB`,
   * `NODE_*`, `NAPI_VERSION`, output folders `build/Release|Debug`). Default: on when the
   * top-level CMakeLists.txt reads a `CMAKE_JS_*` variable, or the source is the package root and
   * package.json has a `"cmake-js"` object.
   */
  cmakeJs?: boolean;
}

const schema = lazy((z) => {
  const defineValue = z.union([z.string(), z.number(), z.boolean()]);

  return z.strictObject({
    source: z.string().min(1, 'must name the folder holding CMakeLists.txt'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only (it names a folder)')
      .optional(),
    defines: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]*$/, 'not a CMake variable name'),
        defineValue,
      )
      .optional(),
    targets: z
      .array(z.string().min(1))
      .min(1, 'list at least one target, or leave it out')
      .optional(),
    generator: z.string().min(1).optional(),
    toolchainFile: z.string().min(1).optional(),
    buildArgs: z.array(z.string()).optional(),
    configureArgs: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    buildType: z.string().min(1).optional(),
    deps: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), linkableSchema).optional(),
    cmakeJs: z.boolean().optional(),
  });
});

const cmakeOptions = defineOptions('cmake', schema, { checkOnly: true });

/** Options after validation, with the name resolved. */
export interface ResolvedOptions extends Omit<CmakeOptions, 'name'> {
  name: string;
}

/** Validates `cmake(options)`; an unknown or ill-typed key is a CONFIG_INVALID naming it. */
export function resolveOptions(options: unknown): ResolvedOptions {
  const parsed = cmakeOptions.parse(options) as CmakeOptions;
  const name = parsed.name ?? (path.basename(path.resolve('/', parsed.source)) || 'project');
  return { ...parsed, name: sanitizeName(name) };
}

/** A source folder name can hold spaces or non-ASCII characters; the build folder keeps them readable but safe. */
function sanitizeName(name: string): string {
  return name.replace(/[^\p{L}\p{N}._-]+/gu, '_');
}

export function formatDefine(value: DefineValue): string {
  if (typeof value === 'boolean') return value ? 'ON' : 'OFF';
  return String(value);
}
