import { z } from 'zod';
import { KilnError } from '../errors.js';
import type { KilnConfig } from './define.js';

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

/**
 * Parses options with a schema and turns the first problem into a KilnError that names the
 * key path (`cc(options).sources[1]`) and what was expected. Plugins use it for their options.
 */
export function parseOptions<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
  subject: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  // An unknown key explains a "missing" one (`plugin` for `plugins`): report it first.
  const issues = [...parsed.error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const lines = issues.slice(0, 5).map((issue) => {
    const keyPath = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return `unknown option ${issue.keys.map((k) => `"${[keyPath, k].filter(Boolean).join('.')}"`).join(', ')}`;
    }
    return `${keyPath ? `"${keyPath}"` : 'value'}: ${issue.message}`;
  });
  throw new KilnError('CONFIG_INVALID', `${where}: invalid ${subject}: ${lines.join('; ')}`, {
    hint: `Check the ${subject} options in the README; remove or correct the key named above.`,
  });
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>(
    (acc, seg) =>
      typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg),
    '',
  );
}
