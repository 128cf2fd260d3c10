import { KilnError } from '../errors.js';
import { lazy } from '../util/zod.js';
import type { KilnConfig } from './define.js';
import { parseOptions } from './options.js';

const isPlugin = (v: unknown): v is { name: string; run: unknown } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { name?: unknown }).name === 'string' &&
  typeof (v as { run?: unknown }).run === 'function';

const configSchema = lazy((z) =>
  z.strictObject({
    plugins: z
      .array(
        z.custom<{ name: string; run: unknown }>(isPlugin, {
          message: 'expected a plugin: an object with a string `name` and a `run(ctx)` function',
        }),
      )
      .optional(),
    build: z
      .custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', {
        message: 'expected a function `build(ctx)`',
      })
      .optional(),
  }),
);

/**
 * The shape the schema accepts, checked by hand: a valid config (every build) does not load the
 * schema library, which is only needed to word what is wrong with an invalid one.
 */
function isValidConfig(value: unknown): value is KilnConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { plugins, build, ...rest } = value as Record<string, unknown>;
  return (
    Object.keys(rest).length === 0 &&
    (plugins === undefined || (Array.isArray(plugins) && plugins.every(isPlugin))) &&
    (build === undefined || typeof build === 'function')
  );
}

/** Validates a loaded config; a wrong key names the key, the file and what was expected. */
export function validateConfig(value: unknown, file: string): KilnConfig {
  if (value === undefined) {
    throw new KilnError('CONFIG_INVALID', `${file} has no default export`, {
      hint: 'End the file with `export default defineConfig({ ... })`.',
    });
  }
  if (isValidConfig(value)) return value;
  return parseOptions(configSchema, value, file, 'defineConfig') as KilnConfig;
}

export { parseOptions };
