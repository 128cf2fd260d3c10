/**
 * Option checking shared by every plugin and recipe: a zod schema per plugin, and one error
 * shape (CONFIG_INVALID naming the plugin, the key, what was expected, and the closest known
 * key for a misspelt one). Kiln's schemas are given as functions that build them on first use
 * (`lazy` in zod.ts), so importing a plugin does not load the schema library.
 *
 * The types here are structural (what Kiln calls on a schema), not zod's: zod is bundled into
 * Kiln rather than installed with it, and a plugin may bring its own zod 4 schema.
 */
import { KilnError } from '../errors.js';
import { isLinkable } from '../runner/linkable.js';
import type { Linkable } from '../runner/types.js';
import type { OptionsSchema, SchemaIssue } from '../util/schema.js';
import { didYouMean } from '../util/suggest.js';
import { lazy } from '../util/zod.js';

export type { OptionsSchema, SchemaIssue } from '../util/schema.js';

/** The options a schema produces. */
export type OptionsOf<T extends OptionsSchema> = Extract<
  ReturnType<T['safeParse']>,
  { success: true }
>['data'];

/** A schema, or a function that builds it when it is first needed. */
export type SchemaSource<T extends OptionsSchema> = T | (() => T);

/** The parts of a zod schema's definition `knownKeys` walks (zod v4 `_zod.def`). */
interface SchemaDef {
  type: string;
  shape?: Record<string, SchemaNode>;
  element?: SchemaNode;
  valueType?: SchemaNode;
  innerType?: SchemaNode;
}
type SchemaNode = { _zod?: { def?: SchemaDef } } | undefined;

const defOf = (s: SchemaNode): SchemaDef | undefined => s?._zod?.def;

/**
 * The keys an object schema accepts at a key path (`['sources', 0]` walks into arrays). Read
 * from the schema's definition rather than by `instanceof`, so a plugin's schema built with its
 * own copy of zod is walked the same way.
 */
export function knownKeys(schema: OptionsSchema, keyPath: readonly PropertyKey[]): string[] {
  let current: SchemaNode = schema as SchemaNode;
  for (const seg of [...keyPath, undefined]) {
    current = unwrap(current);
    if (seg === undefined) break;
    const def = defOf(current);
    if (def?.type === 'object') current = def.shape?.[String(seg)];
    else if (def?.type === 'array') current = def.element;
    else if (def?.type === 'record') current = def.valueType;
    else return [];
  }
  const def = defOf(current);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: SchemaNode): SchemaNode {
  let s = schema;
  for (let def = defOf(s); def && ['optional', 'nullable', 'default'].includes(def.type); ) {
    s = def.innerType;
    def = defOf(s);
  }
  return s;
}

/** The schema of a source, built (and zod loaded) on the first call. */
function resolver<T extends OptionsSchema>(source: SchemaSource<T>): () => T {
  if (typeof source !== 'function') return () => source;
  let schema: T | undefined;
  return () => {
    schema ??= (source as () => T)();
    return schema;
  };
}

/** A zod 4 schema as zod's builders take it (`z.array(linkableSchema)`), typed without zod. */
export interface LinkableSchema extends OptionsSchema<Linkable> {
  // biome-ignore lint/suspicious/noExplicitAny: zod's internals, opaque to Kiln's published types
  readonly _zod: any;
  /** zod's `.optional()`. */
  // biome-ignore lint/suspicious/noExplicitAny: as above
  optional(): OptionsSchema<Linkable | undefined> & { readonly _zod: any };
}

/**
 * The option schema for something to link against (`link: z.array(linkableSchema)`): a library
 * result, a plugin returning one, or a manifest. Resolve the value with `resolveLinkable`. A
 * stand-in until first used, so importing Kiln does not load the schema library.
 */
export const linkableSchema: LinkableSchema = deferredSchema(
  lazy((z) =>
    z.custom<Linkable>(isLinkable, {
      message: 'expected a library result (LinkInfo), a plugin returning one, or a manifest',
    }),
  ),
);

/** An object that is `build()`'s schema for every purpose, built on first touch. */
function deferredSchema<T extends object>(build: () => T): T {
  return new Proxy({} as T, {
    get: (_, key) => {
      const schema = build();
      const value = Reflect.get(schema, key, schema);
      return typeof value === 'function' ? value.bind(schema) : value;
    },
    has: (_, key) => Reflect.has(build(), key),
    ownKeys: () => Reflect.ownKeys(build()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(build(), key);
      return d ? { ...d, configurable: true } : undefined;
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(build()),
  });
}

export interface OptionsParser<T extends OptionsSchema> {
  /** The schema (built on first access). */
  readonly schema: T;
  /** Validates `value`; a problem throws CONFIG_INVALID naming `<name>(options).<key>`. */
  parse(value: unknown): OptionsOf<T>;
}

/**
 * Declares a plugin's options: `defineOptions('pkgConfig', schema).parse(options)`. `name` is
 * how the user calls the plugin, so the error reads `pkgConfig(options): unknown option
 * "verison" (did you mean "version"?)`.
 */
export function defineOptions<T extends OptionsSchema>(
  name: string,
  schema: SchemaSource<T>,
  options: {
    /**
     * The schema only checks (no defaults, no transforms): what it accepts it returns as is, so
     * plain-data options it accepted in an earlier build are accepted again without building it
     * (see `acceptOptionsFrom`). Kiln's own plugins declare this.
     */
    checkOnly?: boolean;
  } = {},
): OptionsParser<T> {
  const get = resolver(schema);
  return {
    get schema() {
      return get();
    },
    parse: (value) => {
      const v = value ?? {};
      const key = options.checkOnly && accepted ? plainKey(name, v) : undefined;
      if (key !== undefined && accepted?.has(key)) return structuredClone(v) as OptionsOf<T>;
      const parsed = parsePluginOptions(get(), v, name);
      if (key !== undefined && accepted && !accepted.has(key)) {
        accepted.add(key);
        added.push(key);
      }
      return parsed;
    },
  };
}

/** Options (as `plainKey`s) that check-only schemas accepted in earlier builds, when in use. */
let accepted: Set<string> | undefined;
let added: string[] = [];

/**
 * From now on, plain-data options named in `keys` (accepted by an earlier build of this config)
 * skip their check, and the schema library is not loaded for them: the edit loop's rebuild runs
 * the same `cc({...})` calls every time. Returns the keys accepted since, for the next build.
 */
export function acceptOptionsFrom(keys: readonly string[]): () => string[] {
  accepted = new Set(keys);
  added = [];
  const mine = added;
  return () => mine;
}

/** `name` and the options as JSON, when they are plain data (no functions, plugins, classes). */
function plainKey(name: string, value: unknown): string | undefined {
  return isPlain(value, 0) ? `${name} ${JSON.stringify(value)}` : undefined;
}

function isPlain(v: unknown, depth: number): boolean {
  if (depth > 8) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isPlain(x, depth + 1));
  if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.values(v).every((x) => x !== undefined && isPlain(x, depth + 1));
}

/**
 * Parses options with a schema and turns the problems into one KilnError that names each key
 * path (`"sources[1]"`), what was expected and, for an unknown key, the closest known one.
 */
export function parseOptions<T extends OptionsSchema>(
  source: SchemaSource<T>,
  value: unknown,
  where: string,
  subject: string,
): OptionsOf<T> {
  const schema = resolver(source)();
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as OptionsOf<T>;
  const lines = describeIssues(schema, parsed.error.issues, undefined);
  throw invalid(schema, `${where}: invalid ${subject}: ${lines.join('; ')}`, subject);
}

/** The plugin form: `cc(options).sources: ...`, `cc(options): unknown option "sourcez" ...`. */
function parsePluginOptions<T extends OptionsSchema>(
  schema: T,
  value: unknown,
  name: string,
): OptionsOf<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as OptionsOf<T>;
  const where = `${name}(options)`;
  const lines = describeIssues(schema, parsed.error.issues, (key) =>
    key ? `${where}.${key}` : where,
  );
  throw invalid(schema, lines.join('; '), name);
}

function describeIssues(
  schema: OptionsSchema,
  all: readonly SchemaIssue[],
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
      const names = (issue.keys ?? []).map((k) => {
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
function expected(issue: SchemaIssue): string {
  return issue.message.replace(/^Invalid input: /, '');
}

function invalid(schema: OptionsSchema, message: string, subject: string): KilnError {
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
