/**
 * zod, loaded the first time a schema is used rather than when Kiln is imported: building the
 * schema library costs more than the rest of `import('kilnjs')`, and most commands (print,
 * doctor, a fresh or cached build, a program importing the package) never validate an option.
 * Loaded synchronously because plugin factories (`cc({...})`) validate as they are called.
 */
import { createRequire } from 'node:module';
import type * as zodModule from 'zod';

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

/**
 * Set by the bundler: the package-internal specifier of the zod copy bundled into `dist`, which
 * is not a dependency of the published package. From the sources (tests) it is the dev
 * dependency.
 */
declare const KILN_BUNDLED_ZOD: string | undefined;

let zod: Zod | undefined;

export function loadZod(): Zod {
  if (!zod) {
    const spec = typeof KILN_BUNDLED_ZOD === 'string' ? KILN_BUNDLED_ZOD : 'zod';
    zod = (createRequire(import.meta.url)(spec) as typeof zodModule).z;
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
