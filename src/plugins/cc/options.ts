import { defineOptions, linkableSchema, type OptionsSchema } from '../../config/options.js';
import type { Linkable } from '../../runner/types.js';
import { lazy } from '../../util/zod.js';

/** A `cc` define value: a string or number as the value, true for `-DNAME`, false to leave it out. */
export type CcDefineValue = string | number | boolean | null;

/**
 * The options of `cc()`. Written out (not inferred from the schema) so the published types need
 * no schema library; the schema below is checked against it.
 */
export interface CcOptions {
  /** Library name: `foo` gives `libfoo.a` / `libfoo.so` / `libfoo.dylib` / `foo.dll`. */
  name: string;
  /** Source globs relative to the package root (`csrc/**\/*.c`); a literal file name is used as is. */
  sources: string | string[];
  /** Include directories, relative to the package root. */
  includes?: string[] | undefined;
  /** Preprocessor defines: `{ NDEBUG: true, LEVEL: 3, NAME: '"x"' }` or `['NDEBUG', 'LEVEL=3']`; false omits. */
  defines?: Record<string, CcDefineValue> | string[] | undefined;
  /** Language standard (`c11`, `gnu99`, `c++17`); applied to the sources of that language. Default: the compiler's. */
  std?: string | undefined;
  /** `on` (-Wall -Wextra, the default), `off` (-w) or `error` (-Wall -Wextra -Werror). */
  warnings?: 'on' | 'off' | 'error' | undefined;
  /** Extra compiler flags for every source, after Kiln's own and before CFLAGS from the environment. */
  flags?: string[] | undefined;
  /** Extra flags for C++ sources only, after `flags`. */
  cxxFlags?: string[] | undefined;
  /** Extra flags for the sources matching a glob: `{ 'csrc/fast/*.c': ['-O3'] }`. */
  perFile?: Record<string, string[]> | undefined;
  /** Position-independent code. Default: true, except for Windows targets. */
  pic?: boolean | undefined;
  /** `static` (default) archive, `shared` library, `executable` program, or just `objects`. */
  kind?: 'static' | 'shared' | 'objects' | 'executable' | undefined;
  /** Ask consumers to link every object of the static archive (`--whole-archive`). Default: false. */
  wholeArchive?: boolean | undefined;
  /** Libraries a shared library links against (results of earlier steps). */
  link?: Linkable[] | undefined;
  /** Extra flags when linking a shared library, before LDFLAGS from the environment. */
  ldFlags?: string[] | undefined;
  /** Write `compile_commands.json`: true (default, `build/compile_commands.json`), false, or a path. */
  compileCommands?: boolean | string | undefined;
}

// Annotated: the compiler checks that what the schema produces is a CcOptions.
const ccOptionsSchema = lazy((z): OptionsSchema<CcOptions> => {
  const flagList = z.array(z.string());

  return z.strictObject({
    /** Library name: `foo` gives `libfoo.a` / `libfoo.so` / `libfoo.dylib` / `foo.dll`. */
    name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, {
      message: 'expected a library name of letters, digits, _ . + - (e.g. "zlib")',
    }),
    /** Source globs relative to the package root (`csrc/**\/*.c`); a literal file name is used as is. */
    sources: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** Include directories, relative to the package root. */
    includes: z.array(z.string()).optional(),
    /** Preprocessor defines: `{ NDEBUG: true, LEVEL: 3, NAME: '"x"' }` or `['NDEBUG', 'LEVEL=3']`; false omits. */
    defines: z
      .union([
        z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
        z.array(z.string().min(1)),
      ])
      .optional(),
    /** Language standard (`c11`, `gnu99`, `c++17`); applied to the sources of that language. Default: the compiler's. */
    std: z
      .string()
      .regex(/^(c|gnu|c\+\+|gnu\+\+)\w+$/, {
        message: 'expected a standard such as c11, gnu17 or c++17',
      })
      .optional(),
    /** `on` (-Wall -Wextra, the default), `off` (-w) or `error` (-Wall -Wextra -Werror). */
    warnings: z.enum(['on', 'off', 'error']).optional(),
    /** Extra compiler flags for every source, after Kiln's own and before CFLAGS from the environment. */
    flags: flagList.optional(),
    /** Extra flags for C++ sources only, after `flags`. */
    cxxFlags: flagList.optional(),
    /** Extra flags for the sources matching a glob: `{ 'csrc/fast/*.c': ['-O3'] }`. */
    perFile: z.record(z.string(), flagList).optional(),
    /** Position-independent code. Default: true, except for Windows targets. */
    pic: z.boolean().optional(),
    /** `static` (default) archive, `shared` library, or just `objects`. */
    kind: z.enum(['static', 'shared', 'objects', 'executable']).optional(),
    /** Ask consumers to link every object of the static archive (`--whole-archive`). Default: false. */
    wholeArchive: z.boolean().optional(),
    /** Libraries a shared library links against (results of earlier steps). */
    link: z.array(linkableSchema).optional(),
    /** Extra flags when linking a shared library, before LDFLAGS from the environment. */
    ldFlags: flagList.optional(),
    /** Write `compile_commands.json`: true (default, `build/compile_commands.json`), false, or a path. */
    compileCommands: z.union([z.boolean(), z.string().min(1)]).optional(),
  });
});

const ccOptions = defineOptions('cc', ccOptionsSchema, { checkOnly: true });

/** Validates `cc(options)`; an invalid option is a CONFIG_INVALID error naming the key. */
export function parseCcOptions(input: unknown): CcOptions {
  return ccOptions.parse(input);
}
