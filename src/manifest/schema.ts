import { KilnError } from '../errors.js';
import type { OptionsSchema } from '../util/schema.js';
import { lazy } from '../util/zod.js';

/** Bumped whenever a field changes meaning; readers refuse manifests from the future. */
export const MANIFEST_SCHEMA_VERSION = 1;

/** How a library is linked: an archive, a shared library, or a macOS framework. */
export type LinkKind = 'static' | 'dylib' | 'framework';

export interface LinkLib {
  /** Library name as the linker sees it: `z` for `-lz`, `CoreFoundation` for a framework. */
  name: string;
  kind: LinkKind;
  /** Full path of the file, when known (archives and shared objects Kiln built or found). */
  path?: string | undefined;
  /** Link every object of a static archive (`--whole-archive` / `-force_load`). */
  wholeArchive?: boolean | undefined;
}

export interface SearchPath {
  kind: 'native' | 'framework';
  path: string;
}

export interface Define {
  name: string;
  value?: string | undefined;
}

export interface Cfg {
  name: string;
  value?: string | undefined;
}

export interface Artifact {
  kind: 'static-lib' | 'shared-lib' | 'object' | 'addon' | 'executable' | 'file' | 'directory';
  path: string;
  /** The step (plugin name) that produced it. */
  step?: string | undefined;
}

const ARTIFACT_KINDS = [
  'static-lib',
  'shared-lib',
  'object',
  'addon',
  'executable',
  'file',
  'directory',
] as const;

/**
 * Names of exported env vars must be POSIX identifiers: `kiln print --format env` writes
 * `NAME='value'` lines meant to be sourced, and only the value can be quoted there. A name is
 * therefore validated wherever it enters (directive lines, `ctx.emit`, a manifest file read back),
 * never escaped.
 */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const ENV_NAME_RULE =
  'an env name must be a POSIX identifier: a letter or "_", then letters, digits or "_" ([A-Za-z_][A-Za-z0-9_]*)';

/** The DIRECTIVE_INVALID error for a bad env name or value, or undefined when both are fine. */
export function envDirectiveProblem(
  name: string,
  value: string,
  source: string,
): KilnError | undefined {
  if (!ENV_NAME_PATTERN.test(name)) {
    return new KilnError(
      'DIRECTIVE_INVALID',
      `Invalid env name ${JSON.stringify(name)} in ${source}`,
      {
        hint: `Rename it: ${ENV_NAME_RULE}.`,
      },
    );
  }
  // No environment can hold a NUL byte (execve strings end at it), and no shell variable either.
  if (value.includes('\0')) {
    return new KilnError(
      'DIRECTIVE_INVALID',
      `The value of env ${name} in ${source} contains a NUL character`,
      {
        hint: 'Environment values cannot contain NUL; encode the data (e.g. base64) first.',
      },
    );
  }
  return undefined;
}

/**
 * The manifest's schema, built on first use: `readManifestFile` checks the shape by hand and
 * needs zod only to word what is wrong with a broken file.
 */
export const manifestSchema = lazy((z): ManifestSchema => {
  const nonEmpty = z.string().min(1);
  const named = z.object({ name: nonEmpty, value: z.string().optional() });
  return z.object({
    schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
    package: z.object({ name: z.string(), version: z.string().optional(), root: z.string() }),
    target: z.string(),
    profile: z.string(),
    kilnVersion: z.string(),
    libs: z.array(
      z.object({
        name: nonEmpty,
        kind: z.enum(['static', 'dylib', 'framework']),
        path: z.string().optional(),
        wholeArchive: z.boolean().optional(),
      }),
    ),
    searchPaths: z.array(z.object({ kind: z.enum(['native', 'framework']), path: nonEmpty })),
    includes: z.array(z.string()),
    defines: z.array(named),
    cflags: z.array(z.string()),
    ldflags: z.array(z.string()),
    rpaths: z.array(z.string()),
    cfg: z.array(named),
    env: z
      .record(
        z.string(),
        z.string().refine((v) => !v.includes('\0'), { error: 'an env value cannot contain NUL' }),
      )
      .superRefine((env, ctx) => {
        for (const name of Object.keys(env)) {
          if (!ENV_NAME_PATTERN.test(name)) {
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: `invalid env name ${JSON.stringify(name)}: ${ENV_NAME_RULE}`,
            });
          }
        }
      }),
    metadata: z.record(z.string(), z.string()),
    artifacts: z.array(
      z.object({ kind: z.enum(ARTIFACT_KINDS), path: nonEmpty, step: z.string().optional() }),
    ),
    inputs: z.object({ files: z.array(z.string()), env: z.array(z.string()) }),
    warnings: z.array(z.string()),
  });
});

/** The manifest schema; annotated so the compiler checks that what it produces is a `Manifest`. */
export interface ManifestSchema extends OptionsSchema<Manifest> {
  parse(value: unknown): Manifest;
}

/** A package's build: its link info (what a dependent links against) and what else it made. */
export interface Manifest extends LinkInfo {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  package: { name: string; version?: string | undefined; root: string };
  target: string;
  profile: string;
  kilnVersion: string;
  cfg: Cfg[];
  env: Record<string, string>;
  metadata: Record<string, string>;
  artifacts: Artifact[];
  inputs: { files: string[]; env: string[] };
  warnings: string[];
}

/**
 * What a link-producing step (a built or found library) hands to the steps that link against it.
 * The same shape is what a manifest contributes when a dependent links against a whole package.
 */
export interface LinkInfo {
  libs: LinkLib[];
  searchPaths: SearchPath[];
  includes: string[];
  defines: Define[];
  cflags: string[];
  ldflags: string[];
  rpaths: string[];
}

export function emptyLinkInfo(): LinkInfo {
  return {
    libs: [],
    searchPaths: [],
    includes: [],
    defines: [],
    cflags: [],
    ldflags: [],
    rpaths: [],
  };
}

/** Just the LinkInfo fields of a richer result (what goes into a manifest or a dependent's link). */
export function pickLinkInfo(info: LinkInfo): LinkInfo {
  const { libs, searchPaths, includes, defines, cflags, ldflags, rpaths } = info;
  return { libs, searchPaths, includes, defines, cflags, ldflags, rpaths };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNonEmpty = (v: unknown): boolean => isStr(v) && v.length > 0;
const isOptStr = (v: unknown): boolean => v === undefined || isStr(v);
const isStrList = (v: unknown): boolean => Array.isArray(v) && v.every(isStr);
const isListOf = (v: unknown, item: (x: Record<string, unknown>) => boolean): boolean =>
  Array.isArray(v) && v.every((x) => isObject(x) && item(x));
const isStrRecord = (v: unknown): boolean => isObject(v) && Object.values(v).every(isStr);
const LINK_KINDS = new Set(['static', 'dylib', 'framework']);
const SEARCH_KINDS = new Set(['native', 'framework']);
const ARTIFACT_KIND_SET = new Set<string>(ARTIFACT_KINDS);

/**
 * What `manifestSchema` accepts, checked without zod: every manifest Kiln wrote passes, and
 * only a file that fails here is parsed by the schema for its message. Never looser than the
 * schema.
 */
export function isManifest(v: unknown): v is Manifest {
  if (!isObject(v) || v.schemaVersion !== MANIFEST_SCHEMA_VERSION) return false;
  const pkg = v.package;
  const inputs = v.inputs;
  const env = v.env;
  return (
    isObject(pkg) &&
    isStr(pkg.name) &&
    isOptStr(pkg.version) &&
    isStr(pkg.root) &&
    isStr(v.target) &&
    isStr(v.profile) &&
    isStr(v.kilnVersion) &&
    isListOf(
      v.libs,
      (l) =>
        isNonEmpty(l.name) &&
        LINK_KINDS.has(l.kind as string) &&
        isOptStr(l.path) &&
        (l.wholeArchive === undefined || typeof l.wholeArchive === 'boolean'),
    ) &&
    isListOf(v.searchPaths, (p) => SEARCH_KINDS.has(p.kind as string) && isNonEmpty(p.path)) &&
    isStrList(v.includes) &&
    isListOf(v.defines, (d) => isNonEmpty(d.name) && isOptStr(d.value)) &&
    isStrList(v.cflags) &&
    isStrList(v.ldflags) &&
    isStrList(v.rpaths) &&
    isListOf(v.cfg, (c) => isNonEmpty(c.name) && isOptStr(c.value)) &&
    isStrRecord(env) &&
    Object.entries(env as Record<string, string>).every(
      ([name, value]) => ENV_NAME_PATTERN.test(name) && !value.includes('\0'),
    ) &&
    isStrRecord(v.metadata) &&
    isListOf(
      v.artifacts,
      (a) => ARTIFACT_KIND_SET.has(a.kind as string) && isNonEmpty(a.path) && isOptStr(a.step),
    ) &&
    isObject(inputs) &&
    isStrList(inputs.files) &&
    isStrList(inputs.env) &&
    isStrList(v.warnings)
  );
}
