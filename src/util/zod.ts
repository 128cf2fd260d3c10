/**
 * zod, loaded the first time a schema is used rather than when Kiln is imported: building the
 * schema library costs more than the rest of `import('kilnjs')`, and most commands (print,
 * doctor, a fresh or cached build, a program importing the package) never validate an option.
 * Loaded synchronously because plugin factories (`cc({...})`) validate as they are called.
 */
import type * as zodModule from 'zod';
import { requireVendored } from './vendor.js';

/** The schema builders Kiln uses; scripts/build.mjs bundles exactly these (ZOD_BUILDERS). */
export type Zod = Pick<
  typeof zodModule.z,
  | 'array'
  | 'boolean'
  | 'custom'
  | 'enum'
  | 'literal'
  | 'null'
  | 'number'
  | 'object'
  | 'record'
  | 'strictObject'
  | 'string'
  | 'union'
>;

let zod: Zod | undefined;

export function loadZod(): Zod {
  if (!zod) {
    zod = requireVendored<typeof zodModule>('zod').z;
  }
  return zod;
}

/** A value built from zod on first use: `const schema = lazy((z) => z.object({...}))`. */
export function lazy<T>(build: (z: Zod) => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build(loadZod());
      built = true;
    }
    return value as T;
  };
}

/** One problem a schema reports (zod 4's issues have this shape). */
export interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** The unknown keys, for `code: 'unrecognized_keys'`. */
  readonly keys?: readonly string[];
}

/** What Kiln needs of an options schema: zod 4's `safeParse`. */
export interface OptionsSchema<O = unknown> {
  safeParse(
    value: unknown,
  ): { success: true; data: O } | { success: false; error: { issues: readonly SchemaIssue[] } };
}
