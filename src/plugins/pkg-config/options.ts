import { defineOptions } from '../../config/options.js';
import { KilnError } from '../../errors.js';
import { lazy } from '../../util/zod.js';

const schema = lazy((z) =>
  z.strictObject({
    version: z.string().optional(),
    static: z.boolean().optional(),
    optional: z.boolean().optional(),
    mode: z.enum(['builtin', 'binary']).optional(),
    defineVariables: z.record(z.string(), z.string()).optional(),
  }),
);

const pkgConfigOptions = defineOptions('pkgConfig', schema, { checkOnly: true });

/**
 * Validates `pkgConfig(name, options)` when the config is loaded, so a misspelt key
 * (`verison`, `optinal`) or a number for `version` is a config error instead of being ignored
 * or failing deep inside the resolver.
 */
export function checkPkgConfigOptions(name: unknown, options: unknown): void {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new KilnError(
      'CONFIG_INVALID',
      `pkgConfig(name): expected the .pc module name as a string, got ${JSON.stringify(name) ?? String(name)}`,
      { hint: "Call it as pkgConfig('zlib', { version: '>=1.2' })." },
    );
  }
  pkgConfigOptions.parse(options);
}
