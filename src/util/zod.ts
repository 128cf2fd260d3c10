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
