/**
 * Option checking shared by every plugin and recipe: a zod schema per plugin, and one error
 * shape (CONFIG_INVALID naming the plugin, the key, what was expected, and the closest known
 * key for a misspelt one).
 */
import { z } from 'zod';
import { KilnError } from '../errors.js';
import { isLinkable } from '../runner/linkable.js';
import type { Linkable } from '../runner/types.js';
import { didYouMean } from '../util/suggest.js';

/** The keys an object schema accepts at a key path (`['sources', 0]` walks into arrays). */
export function knownKeys(schema: z.ZodType, keyPath: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const seg of [...keyPath, undefined]) {
    current = unwrap(current);
    if (seg === undefined) break;
    if (current instanceof z.ZodObject) current = current.shape[String(seg)] as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return [];
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

/**
 * The option schema for something to link against (`link: z.array(linkableSchema)`): a library
 * result, a plugin returning one, or a manifest. Resolve the value with `resolveLinkable`.
 */
export const linkableSchema = z.custom<Linkable>(isLinkable, {
  message: 'expected a library result (LinkInfo), a plugin returning one, or a manifest',
});

export interface OptionsParser<T extends z.ZodType> {
  readonly schema: T;
  /** Validates `value`; a problem throws CONFIG_INVALID naming `<name>(options).<key>`. */
  parse(value: unknown): z.output<T>;
}

/**
 * Declares a plugin's options: `defineOptions('pkgConfig', schema).parse(options)`. `name` is
 * how the user calls the plugin, so the error reads `pkgConfig(options): unknown option
 * "verison" (did you mean "version"?)`.
 */
export function defineOptions<T extends z.ZodType>(name: string, schema: T): OptionsParser<T> {
  return {
    schema,
    parse: (value) => parsePluginOptions(schema, value ?? {}, name),
  };
}

/**
 * Parses options with a schema and turns the problems into one KilnError that names each key
 * path (`"sources[1]"`), what was expected and, for an unknown key, the closest known one.
 */
export function parseOptions<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
  subject: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = describeIssues(schema, parsed.error.issues, undefined);
  throw invalid(schema, `${where}: invalid ${subject}: ${lines.join('; ')}`, subject);
}

/** The plugin form: `cc(options).sources: ...`, `cc(options): unknown option "sourcez" ...`. */
function parsePluginOptions<T extends z.ZodType>(
  schema: T,
  value: unknown,
  name: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = `${name}(options)`;
  const lines = describeIssues(schema, parsed.error.issues, (key) =>
    key ? `${where}.${key}` : where,
  );
  throw invalid(schema, lines.join('; '), name);
}

function describeIssues(
  schema: z.ZodType,
  all: readonly z.core.$ZodIssue[],
  /** Names a key path; without it, `"path"` (and `value` for the whole). */
  label: ((keyPath: string) => string) | undefined,
): string[] {
  const name = label ?? ((key: string) => (key ? `"${key}"` : 'value'));
  // An unknown key explains a "missing" one (`plugin` for `plugins`): report it first.
  const issues = [...all].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  return issues.slice(0, 5).map((issue) => {
    const keyPath = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path);
      const names = issue.keys.map((k) => {
        const shown = label ? k : [keyPath, k].filter(Boolean).join('.');
        return `"${shown}"${didYouMean(k, known)}`;
      });
      const list = `unknown option${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
      return label ? `${label(keyPath)}: ${list}` : list;
    }
    return `${name(keyPath)}: ${expected(issue)}`;
  });
}

/** zod's "Invalid input: expected string, received number" reads better without its prefix. */
function expected(issue: z.core.$ZodIssue): string {
  return issue.message.replace(/^Invalid input: /, '');
}

function invalid(schema: z.ZodType, message: string, subject: string): KilnError {
  const top = knownKeys(schema, []);
  return new KilnError('CONFIG_INVALID', message, {
    hint:
      top.length > 0
        ? `${subject} accepts: ${top.join(', ')}. Correct or remove the key named above (see the README).`
        : `Check the ${subject} options in the README; correct the value named above.`,
  });
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>(
    (acc, seg) =>
      typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg),
    '',
  );
}
