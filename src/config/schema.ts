import { z } from 'zod';
import { KilnError } from '../errors.js';
import type { KilnConfig } from './define.js';
import { parseOptions } from './options.js';

const pluginSchema = z.custom<{ name: string; run: unknown }>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { name?: unknown }).name === 'string' &&
    typeof (v as { run?: unknown }).run === 'function',
  { message: 'expected a plugin: an object with a string `name` and a `run(ctx)` function' },
);

const configSchema = z.strictObject({
  plugins: z.array(pluginSchema).optional(),
  build: z
    .custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', {
      message: 'expected a function `build(ctx)`',
    })
    .optional(),
});

/** Validates a loaded config; a wrong key names the key, the file and what was expected. */
export function validateConfig(value: unknown, file: string): KilnConfig {
  if (value === undefined) {
    throw new KilnError('CONFIG_INVALID', `${file} has no default export`, {
      hint: 'End the file with `export default defineConfig({ ... })`.',
    });
  }
  return parseOptions(configSchema, value, file, 'defineConfig') as KilnConfig;
}

export { parseOptions };
